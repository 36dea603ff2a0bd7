package dev.hdbg.agent.os.linux;

import java.time.Instant;

/**
 * The guest's time. It runs with the host's, and jumps ahead whenever the guest sleeps: {@code nanosleep},
 * {@code pause} or {@code sigsuspend} waiting for a timer return at once with the clock moved to when they would have
 * woken, so a program that sleeps a minute takes no minute of the user's, yet reads the same elapsed time as natively
 * and its timers fire in the same order. The emulation runs on the debugger's one execution thread, which must not
 * block.
 */
final class GuestClock {
    /** When the agent started, in the host's monotonic nanoseconds: the emulated machine's boot. */
    static final long BOOT_NANOS = System.nanoTime();
    /** The machine has been up a second at the agent's start, so uptimes and monotonic times are never zero. */
    private static final long UP_AT_START = 1_000_000_000L;

    /** Written by the execution thread, read by the debugger's watchdog ({@link Timers#signalDue}). */
    private volatile long skipped;

    /** CLOCK_MONOTONIC in nanoseconds: since the machine's boot. */
    long monotonic() {
        return System.nanoTime() - BOOT_NANOS + UP_AT_START + skipped;
    }

    /** CLOCK_REALTIME in nanoseconds since the epoch. */
    long realtime() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() + skipped;
    }

    /** Moves the clocks ahead by {@code nanos}: the guest slept that long. */
    void sleep(long nanos) {
        if (nanos > 0) {
            skipped += nanos;
        }
    }

    /** The host's monotonic time (System.nanoTime) at which this clock will read {@code monotonic}. */
    long hostNanosAt(long monotonic) {
        return monotonic - skipped - UP_AT_START + BOOT_NANOS;
    }

    /** The machine's uptime in seconds, for sysinfo and /proc/uptime. */
    double uptimeSeconds() {
        return monotonic() / 1e9;
    }
}
