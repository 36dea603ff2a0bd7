package dev.hdbg.agent.os.linux;

/**
 * One thread of the process, as Linux's {@code task_struct} of a thread: its id, the core (vCPU) it runs on, the
 * word {@code CLONE_CHILD_CLEARTID} / {@code set_tid_address} asked to clear when it exits, and the futex it waits on.
 * Execution thread only.
 */
final class GuestThread {
    /** What a thread is doing. */
    enum State {
        RUNNABLE, FUTEX_WAIT, EXITED
    }

    /** No deadline: a futex wait without a timeout. */
    static final long FOREVER = Long.MAX_VALUE;

    final long tid;
    final int core;
    State state = State.RUNNABLE;
    long clearChildTid;
    /** While waiting: the futex word's address, the wait's bitset, and its deadline on the monotonic clock. */
    long futex;
    int bitset;
    long deadline = FOREVER;

    GuestThread(long tid, int core) {
        this.tid = tid;
        this.core = core;
    }

    void waitOn(long address, int mask, long until) {
        state = State.FUTEX_WAIT;
        futex = address;
        bitset = mask;
        deadline = until;
    }

    void runnable() {
        state = State.RUNNABLE;
        futex = 0;
        bitset = 0;
        deadline = FOREVER;
    }

    boolean waitsOn(long address, int mask) {
        return state == State.FUTEX_WAIT && futex == address && (bitset & mask) != 0;
    }

    @Override
    public String toString() {
        return "thread " + tid + " (core " + core + ", " + switch (state) {
            case RUNNABLE -> "runnable";
            case FUTEX_WAIT -> "waiting in futex at 0x" + Long.toHexString(futex)
                    + (deadline == FOREVER ? " without timeout" : " with a timeout");
            case EXITED -> "exited";
        } + ")";
    }
}
