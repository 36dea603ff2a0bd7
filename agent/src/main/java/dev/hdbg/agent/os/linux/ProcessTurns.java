package dev.hdbg.agent.os.linux;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * How long a thread keeps the CPU when its slice is over and the next runnable thread is another process's: a switch
 * between processes drops the code translated from the blocks they do not share, which the next turn translates again
 * (docs/benchmarks.md, "Process turns, stop 40": two exec'd Python interpreters starting side by side switched every
 * slice, re-translated 58 MiB of code a second and took 35 s; natively 0.1 s). When the waiting process is busy too
 * (its own last turn ended with its slice used up, not in a wait), the two take turns of {@value #SLICES} slices.
 * A process that has not run yet, or last gave the CPU up itself, gets it at the end of the slice, as before: a
 * pipeline's freshly forked child execs its program before {@code ps} lists it. Threads of one process still take
 * turns every slice.
 */
final class ProcessTurns {
    /** Slices a busy process runs while another busy process's thread waits: 10 million instructions. */
    static final int SLICES = 50;

    /** The processes whose last turn ended because their slice ran out (weakly: a reaped process leaves). */
    private final Set<LinuxProcess> busy = Collections.newSetFromMap(new WeakHashMap<>());
    private int slicesRun;

    /**
     * At the end of {@code current}'s slice, with {@code next} the thread that would follow: whether {@code current}
     * keeps the CPU for one more slice of its process's turn.
     */
    boolean keeps(GuestThread current, GuestThread next) {
        if (next == null || next.process == current.process) {
            return false;
        }
        if (busy.contains(next.process) && ++slicesRun < SLICES) {
            return true;
        }
        slicesRun = 0;
        busy.add(current.process); // its turn ends with its slice used up
        return false;
    }

    /** {@code current}'s thread gave the CPU up (waits, yielded or ended): its process is not busy. */
    void gaveUp(GuestThread current) {
        slicesRun = 0;
        busy.remove(current.process);
    }
}
