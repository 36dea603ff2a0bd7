package dev.hdbg.agent.os.linux;

/**
 * How long a thread keeps the CPU when its slice is over and the next runnable thread is another process's: a switch
 * between processes drops the code translated from the blocks they do not share, which the next turn translates again
 * (docs/benchmarks.md, "Process turns, stop 40": two exec'd Python interpreters starting side by side switched every
 * slice, re-translated 58 MiB of code a second and took 35 s; natively 0.1 s). A process therefore runs
 * {@value #SLICES} slices before another process's thread gets the CPU, unless it blocks or yields first; threads of
 * one process still take turns every slice.
 */
final class ProcessTurns {
    /** Slices a process runs while another process's thread waits to run: 10 million instructions. */
    static final int SLICES = 50;

    private int slicesRun;

    /**
     * At the end of {@code current}'s slice, with {@code next} the thread that would follow: whether {@code current}
     * keeps the CPU for one more slice of its process's turn.
     */
    boolean keeps(GuestThread current, GuestThread next) {
        if (next == null || next.process == current.process || ++slicesRun >= SLICES) {
            slicesRun = 0;
            return false;
        }
        return true;
    }

    /** The thread on the CPU gave it up (blocked, yielded, ended): the next process's turn starts afresh. */
    void gaveUp() {
        slicesRun = 0;
    }
}
