package dev.hdbg.agent.os.linux;

import com.sun.security.auth.module.UnixSystem;

/**
 * The guest runs as the agent's own user, so {@code getuid} agrees with the owners {@code stat} reports and the
 * output matches a native run by the same user.
 */
public final class Credentials {
    public static final int UID;
    public static final int GID;

    static {
        UnixSystem system = new UnixSystem();
        UID = (int) system.getUid();
        GID = (int) system.getGid();
    }

    private Credentials() {
    }
}
