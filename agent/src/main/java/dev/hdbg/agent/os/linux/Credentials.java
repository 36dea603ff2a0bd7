package dev.hdbg.agent.os.linux;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The guest runs as the agent's own user, so {@code getuid} agrees with the owners {@code stat} reports and the
 * output matches a native run by the same user.
 */
public final class Credentials {
    public static final int UID;
    public static final int GID;
    /**
     * The agent's own capability sets (its /proc/self/status: effective, permitted, inheritable), which capget
     * reports as the guest's: the guest runs as the agent's user, with what that user may do.
     */
    static final long CAP_EFFECTIVE;
    static final long CAP_PERMITTED;
    static final long CAP_INHERITABLE;

    static {
        UnixSystem system = new UnixSystem();
        UID = (int) system.getUid();
        GID = (int) system.getGid();
        Map<String, Long> caps = ownCapabilities();
        CAP_EFFECTIVE = caps.getOrDefault("CapEff", 0L);
        CAP_PERMITTED = caps.getOrDefault("CapPrm", 0L);
        CAP_INHERITABLE = caps.getOrDefault("CapInh", 0L);
    }

    /** The Cap* lines of the agent's /proc/self/status, by name; empty where they cannot be read (none held). */
    private static Map<String, Long> ownCapabilities() {
        Map<String, Long> caps = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] field = line.split(":\\s+");
                if (field.length == 2 && field[0].startsWith("Cap")) {
                    caps.put(field[0], Long.parseUnsignedLong(field[1].strip(), 16));
                }
            }
        } catch (IOException | NumberFormatException e) {
            caps.clear();
        }
        return caps;
    }

    private Credentials() {
    }
}
