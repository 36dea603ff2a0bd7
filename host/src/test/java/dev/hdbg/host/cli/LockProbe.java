package dev.hdbg.host.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;

/**
 * Whether code takes an object's monitor, found without timing anything: the code runs on a thread of its own while
 * another thread holds the monitor, and either finishes or is seen blocked on a lock that thread owns (where it would
 * stay until the holder lets go). A moment blocked on another lock (a class loader's) does not count. For the tests
 * of what a record costs the host's busiest thread (docs/benchmarks.md, "Records without objects, wave 12").
 */
public final class LockProbe {
    private LockProbe() {
    }

    /**
     * Runs {@code action} once on the calling thread (so that what it loads and initializes is ready), then on a
     * thread of its own while another thread holds {@code monitor}.
     *
     * @return true if it finished without blocking on a monitor; false if it blocked (it then finishes once the
     *         monitor is let go)
     */
    public static boolean runsWithoutTheMonitorOf(Object monitor, Runnable action) throws InterruptedException {
        action.run();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        held.await();
        Thread runner = Thread.ofPlatform().start(action);
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            while (runner.isAlive()) {
                // Blocked on the holder's monitor, not on another lock for a moment (a class loader's, a stream's)
                ThreadInfo info = threads.getThreadInfo(runner.threadId());
                if (info != null && info.getThreadState() == Thread.State.BLOCKED
                        && info.getLockOwnerId() == holder.threadId()) {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        } finally {
            release.countDown();
            holder.join();
            runner.join();
        }
    }
}
