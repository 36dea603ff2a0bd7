package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Who the process is: the agent's own user and group ({@link Credentials}), real, effective, saved and file-system
 * ids alike, and the one supplementary group. The guest keeps them: the agent opens its files as that user whatever
 * the guest asks, so a change the guest would believe in would be a lie. A call that sets an id to the value it has
 * (or leaves it, with -1) succeeds: glibc's {@code posix_spawn} with POSIX_SPAWN_RESETIDS, which GNU make uses for
 * every recipe line, sets the effective ids to the real ones. Any other value is refused with EPERM, as Linux
 * refuses an unprivileged process. The capability sets are the agent's own, kept the same way (capget, capset).
 */
final class IdentitySyscalls {
    /** -1 as an id: this one stays as it is. */
    private static final int UNCHANGED = -1;

    /** _LINUX_CAPABILITY_VERSION_1 (one 32-bit set each), _2 and _3 (two: 64 bits). */
    private static final int CAPABILITY_V1 = 0x19980330;
    private static final int CAPABILITY_V2 = 0x20071026;
    private static final int CAPABILITY_V3 = 0x20080522;

    private final LinuxProcess process;
    private final UserMemory user;

    IdentitySyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
    }

    void register(Map<Integer, Handler> calls) {
        calls.put(102, a -> Credentials.UID); // getuid
        calls.put(107, a -> Credentials.UID); // geteuid
        calls.put(104, a -> Credentials.GID); // getgid
        calls.put(108, a -> Credentials.GID); // getegid
        calls.put(118, a -> ids(a.a0(), a.a1(), a.a2(), Credentials.UID)); // getresuid
        calls.put(120, a -> ids(a.a0(), a.a1(), a.a2(), Credentials.GID)); // getresgid
        calls.put(115, a -> groups(a.i(0), a.a1()));
        calls.put(105, a -> keep(Credentials.UID, a.i(0))); // setuid
        calls.put(106, a -> keep(Credentials.GID, a.i(0))); // setgid
        calls.put(113, a -> keep(Credentials.UID, a.i(0), a.i(1))); // setreuid
        calls.put(114, a -> keep(Credentials.GID, a.i(0), a.i(1))); // setregid
        calls.put(117, a -> keep(Credentials.UID, a.i(0), a.i(1), a.i(2))); // setresuid
        calls.put(119, a -> keep(Credentials.GID, a.i(0), a.i(1), a.i(2))); // setresgid
        calls.put(116, a -> setgroups(a.i(0), a.a1()));
        // setfsuid and setfsgid never fail: they return the id in force before, which stays.
        calls.put(122, a -> Credentials.UID);
        calls.put(123, a -> Credentials.GID);
        calls.put(125, a -> capget(a.a0(), a.a1()));
        calls.put(126, a -> capset(a.a0(), a.a1()));
    }

    /**
     * capget: the agent's own capability sets ({@link AgentCapabilities}), for the caller or any process of the machine
     * (ESRCH for an id that names none). An unknown version is EINVAL with the kernel's preferred one written into the
     * header (0 when there is no data to fill), which is how libcap asks.
     */
    private long capget(long header, long data) {
        int words = capabilityWords(header, data);
        if (words == 0 || data == 0) {
            return 0; // the version asked, or known to be good
        }
        ByteBuffer sets = UserMemory.struct(12 * words);
        for (int i = 0; i < words; i++) {
            sets.putInt((int) (AgentCapabilities.EFFECTIVE >>> 32 * i))
                    .putInt((int) (AgentCapabilities.PERMITTED >>> 32 * i))
                    .putInt((int) (AgentCapabilities.INHERITABLE >>> 32 * i));
        }
        user.write(data, sets.array());
        return 0;
    }

    /**
     * capset: as for the ids, the sets the process has are the ones it keeps, so setting them to what they are
     * succeeds and anything else is EPERM, as Linux refuses a process raising what it does not hold (a drop it would
     * take: the agent cannot drop its own for the guest).
     */
    private long capset(long header, long data) {
        int words = capabilityWords(header, data);
        if (words == 0 || data == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer sets = UserMemory.struct(12 * words).put(user.read(data, 12 * words)).flip();
        long effective = 0;
        long permitted = 0;
        long inheritable = 0;
        for (int i = 0; i < words; i++) {
            effective |= (sets.getInt() & 0xffffffffL) << 32 * i;
            permitted |= (sets.getInt() & 0xffffffffL) << 32 * i;
            inheritable |= (sets.getInt() & 0xffffffffL) << 32 * i;
        }
        long mask = words == 1 ? 0xffffffffL : -1L;
        if (effective != (AgentCapabilities.EFFECTIVE & mask) || permitted != (AgentCapabilities.PERMITTED & mask)
                || inheritable != (AgentCapabilities.INHERITABLE & mask)) {
            throw new SyscallException(Errno.EPERM);
        }
        return 0;
    }

    /**
     * The 32-bit words of each set a capget or capset header's version asks for; 0 (after writing the preferred
     * version) when the version is unknown and there is no data to fill. EINVAL for an unknown version with data, or
     * a negative pid; ESRCH for a pid no process of the machine has.
     */
    private int capabilityWords(long header, long data) {
        int version = user.readInt(header);
        int pid = user.readInt(header + 4);
        int words = switch (version) {
            case CAPABILITY_V1 -> 1;
            case CAPABILITY_V2, CAPABILITY_V3 -> 2;
            default -> {
                user.writeInt(header, CAPABILITY_V3);
                if (data != 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                yield 0;
            }
        };
        if (words == 0) {
            return 0;
        }
        if (pid < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (pid != 0 && process.table().byId(pid).isEmpty()) {
            throw new SyscallException(Errno.ESRCH);
        }
        return words;
    }

    /** Succeeds when every id asked for is {@code current} or -1. */
    private static long keep(int current, int... asked) {
        for (int id : asked) {
            if (id != UNCHANGED && id != current) {
                throw new SyscallException(Errno.EPERM);
            }
        }
        return 0;
    }

    /** getresuid/getresgid: real, effective and saved ids, all the same. */
    private long ids(long real, long effective, long saved, int id) {
        for (long address : new long[] {real, effective, saved}) {
            user.writeInt(address, id);
        }
        return 0;
    }

    /** getgroups: the one group the process runs as; {@code size} 0 asks only how many. */
    private long groups(int size, long list) {
        if (size < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (size > 0) {
            user.writeInt(list, Credentials.GID);
        }
        return 1;
    }

    /** setgroups: none, or the one group it has. */
    private long setgroups(int size, long list) {
        if (size < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        for (int i = 0; i < size; i++) {
            keep(Credentials.GID, user.readInt(list + 4L * i));
        }
        return 0;
    }

    /**
     * The agent's own capability sets (its /proc/self/status: effective, permitted, inheritable), which capget reports
     * as the guest's: the guest runs as the agent's user, with what that user may do. A class of its own so that only
     * a program that asks reads them, not every program's start.
     */
    private static final class AgentCapabilities {
        static final long EFFECTIVE;
        static final long PERMITTED;
        static final long INHERITABLE;

        static {
            Map<String, Long> caps = read();
            EFFECTIVE = caps.getOrDefault("CapEff", 0L);
            PERMITTED = caps.getOrDefault("CapPrm", 0L);
            INHERITABLE = caps.getOrDefault("CapInh", 0L);
        }

        /** The Cap* lines of the agent's /proc/self/status, by name; empty where they cannot be read (none held). */
        private static Map<String, Long> read() {
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
    }
}
