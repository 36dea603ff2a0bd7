package dev.hdbg.agent.os.linux;

import java.time.Instant;
import java.util.Map;

/**
 * Clocks. CLOCK_REALTIME is the host's wall clock; the monotonic clocks count from the agent's start (a
 * "boot" of the emulated machine). The process and thread CPU clocks read the same, since the emulation has no
 * separate account of guest CPU time. Sleeping returns at once: blocking would stall the debugger's execution
 * thread, and no other guest thread could run meanwhile.
 */
final class TimeSyscalls {
    static final long BOOT_NANOS = System.nanoTime();
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_REALTIME_COARSE = 5;
    private static final int CLOCK_REALTIME_ALARM = 8;
    private static final int CLOCK_TAI = 11;
    /** CLOCK_*_COARSE resolution: one tick at HZ=250. */
    private static final long COARSE_RESOLUTION = 4_000_000;

    private final UserMemory user;

    TimeSyscalls(LinuxProcess process) {
        this.user = process.user();
    }

    void register(Map<Integer, Handler> table) {
        table.put(35, a -> {
            long seconds = user.readLong(a.a0());
            long nanos = user.readLong(a.a0() + 8);
            if (seconds < 0 || nanos < 0 || nanos >= 1_000_000_000L) {
                throw new SyscallException(Errno.EINVAL);
            }
            return 0;
        });
        table.put(96, a -> {
            if (a.a0() != 0) {
                Instant now = Instant.now();
                user.write(a.a0(), UserMemory.struct(16).putLong(now.getEpochSecond())
                        .putLong(now.getNano() / 1000).array());
            }
            if (a.a1() != 0) {
                user.write(a.a1(), new byte[8]); // struct timezone: UTC, no DST
            }
            return 0;
        });
        table.put(201, a -> {
            long seconds = Instant.now().getEpochSecond();
            if (a.a0() != 0) {
                user.writeLong(a.a0(), seconds);
            }
            return seconds;
        });
        table.put(228, a -> {
            long nanos = now(a.i(0));
            user.write(a.a1(), timespec(nanos));
            return 0;
        });
        table.put(229, a -> {
            now(a.i(0)); // validates the clock id
            if (a.a1() != 0) {
                int id = a.i(0);
                user.write(a.a1(), timespec(id == CLOCK_REALTIME_COARSE || id == 6 ? COARSE_RESOLUTION : 1));
            }
            return 0;
        });
    }

    /** The clock's reading in nanoseconds. @throws SyscallException EINVAL for an unknown clock */
    /** How long the machine has been up, as /proc/uptime and sysinfo say. */
    static double uptimeSeconds() {
        return (System.nanoTime() - BOOT_NANOS) / 1e9 + 1;
    }

    private static long now(int clock) {
        if (clock < 0 || clock > CLOCK_TAI || clock == 10) {
            throw new SyscallException(Errno.EINVAL); // negative ids name CPU clocks of other processes
        }
        if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_REALTIME_ALARM
                || clock == CLOCK_TAI) {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        return System.nanoTime() - BOOT_NANOS + 1_000_000_000L; // a machine up for a second at the agent's start
    }

    private static byte[] timespec(long nanos) {
        return UserMemory.struct(16).putLong(nanos / 1_000_000_000L).putLong(nanos % 1_000_000_000L).array();
    }
}
