package dev.hdbg.common.wire;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Whether this JVM's JIT compilers finished work lately: the total compilation time it reports (milliseconds, added
 * as each compile ends) moved within the last {@link #quietNanos}. While it does, a fresh JVM's compiler threads are
 * runnable beside the event loop, and a poll's yield hands them the core for a slice (docs/benchmarks.md, "Fresh
 * sessions, wave 13"). One read of the total costs 13-55 ns ({@code CompilationMXBean.getTotalCompilationTime}).
 *
 * <p>Not thread-safe: one loop's thread owns it.
 */
final class CompilerActivity implements BooleanSupplier {
    /** Quiet this long after the total last moved: the compilers are done for now. */
    static final long QUIET_NANOS = 10_000_000;

    private final LongSupplier totalMillis;
    private final LongSupplier clock;
    private final long quietNanos;
    private long lastTotal = -1;
    private long movedAt;

    CompilerActivity(LongSupplier totalMillis, LongSupplier clock, long quietNanos) {
        this.totalMillis = totalMillis;
        this.clock = clock;
        this.quietNanos = quietNanos;
    }

    /** This JVM's compilers; never busy when it reports no compilation time. */
    static BooleanSupplier ofThisJvm() {
        CompilationMXBean compilers = ManagementFactory.getCompilationMXBean();
        if (compilers == null || !compilers.isCompilationTimeMonitoringSupported()) {
            return () -> false;
        }
        return new CompilerActivity(compilers::getTotalCompilationTime, System::nanoTime, QUIET_NANOS);
    }

    @Override
    public boolean getAsBoolean() {
        long now = clock.getAsLong();
        long total = totalMillis.getAsLong();
        if (total != lastTotal) {
            lastTotal = total;
            movedAt = now;
        }
        return now - movedAt < quietNanos;
    }
}
