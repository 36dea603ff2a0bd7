package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * Who the process is: the agent's own user and group ({@link Credentials}), real, effective, saved and file-system
 * ids alike, and the one supplementary group. The guest keeps them: the agent opens its files as that user whatever
 * the guest asks, so a change the guest would believe in would be a lie. A call that sets an id to the value it has
 * (or leaves it, with -1) succeeds: glibc's {@code posix_spawn} with POSIX_SPAWN_RESETIDS, which GNU make uses for
 * every recipe line, sets the effective ids to the real ones. Any other value is refused with EPERM, as Linux
 * refuses an unprivileged process.
 */
final class IdentitySyscalls {
    /** -1 as an id: this one stays as it is. */
    private static final int UNCHANGED = -1;

    private final UserMemory user;

    IdentitySyscalls(LinuxProcess process) {
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
}
