package dev.hdbg.agent.os.linux;

/**
 * A process's scheduling policy and I/O priority, as sched_setscheduler and ioprio_set keep them: kept and reported
 * ({@code chrt}, {@code ionice}, Python's {@code os.sched_getscheduler}), inherited by a fork, kept by an exec. The
 * machine's scheduler gives every thread the same turns whatever they say, as it does whatever the nice value; Linux
 * keeps a policy per thread, here the process's threads share one.
 */
final class SchedulingSettings {
    static final int SCHED_OTHER = 0;
    static final int SCHED_FIFO = 1;
    static final int SCHED_RR = 2;
    static final int SCHED_BATCH = 3;
    static final int SCHED_IDLE = 5;
    static final int SCHED_DEADLINE = 6;

    private int policy = SCHED_OTHER;
    /** SCHED_RESET_ON_FORK: a child starts without it (and would start at SCHED_OTHER from a real-time policy). */
    private boolean resetOnFork;
    /** ioprio_set's value: the class in bits 13 and up, the level below; 0, IOPRIO_CLASS_NONE, as Linux starts. */
    private int ioPriority;

    /** A forked child's: the same, but for the reset-on-fork flag, which is not inherited. */
    SchedulingSettings forChild() {
        SchedulingSettings child = new SchedulingSettings();
        child.policy = policy;
        child.ioPriority = ioPriority;
        return child;
    }

    int policy() {
        return policy;
    }

    boolean resetOnFork() {
        return resetOnFork;
    }

    void setPolicy(int policy, boolean resetOnFork) {
        this.policy = policy;
        this.resetOnFork = resetOnFork;
    }

    int ioPriority() {
        return ioPriority;
    }

    void setIoPriority(int value) {
        ioPriority = value;
    }
}
