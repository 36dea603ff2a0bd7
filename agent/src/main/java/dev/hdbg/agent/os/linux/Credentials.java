package dev.hdbg.agent.os.linux;

import com.sun.security.auth.module.UnixSystem;

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
        java.util.Map<String, Long> caps = ownCapabilities();
        CAP_EFFECTIVE = caps.getOrDefault("CapEff", 0L);
        CAP_PERMITTED = caps.getOrDefault("CapPrm", 0L);
        CAP_INHERITABLE = caps.getOrDefault("CapInh", 0L);
    }

    /** The Cap* lines of the agent's /proc/self/status, by name; empty where they cannot be read (none held). */
    private static java.util.Map<String, Long> ownCapabilities() {
        java.util.Map<String, Long> caps = new java.util.HashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                String[] field = line.split(":\\s+");
                if (field.length == 2 && field[0].startsWith("Cap")) {
                    caps.put(field[0], Long.parseUnsignedLong(field[1].strip(), 16));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            caps.clear();
        }
        return caps;
    }

    private Credentials() {
    }
}
