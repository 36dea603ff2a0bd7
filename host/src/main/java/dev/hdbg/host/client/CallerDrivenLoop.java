package dev.hdbg.host.client;

import io.netty.channel.ManualIoEventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** PROTOTYPE: the connecting thread drives the connection's I/O itself while it waits. */
final class CallerDrivenLoop {
    static final boolean ON = Boolean.getBoolean("hdbg.host.callerDriven");
    private static final ThreadLocal<ManualIoEventLoop> DRIVEN = new ThreadLocal<>();

    private CallerDrivenLoop() {
    }

    static void own(ManualIoEventLoop loop) {
        DRIVEN.set(loop);
    }

    static ManualIoEventLoop driven() {
        return DRIVEN.get();
    }

    /** Drives the loop of this thread until {@code done} or the deadline; false when it has none. */
    static boolean driveUntil(BooleanSupplier done, long deadline) {
        ManualIoEventLoop loop = DRIVEN.get();
        if (loop == null) {
            return false;
        }
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            loop.run(left);
        }
        return true;
    }

    static boolean drive(CompletableFuture<?> f, long deadline) {
        return driveUntil(f::isDone, deadline);
    }
}
