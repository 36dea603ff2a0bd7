package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Vcpus;

/**
 * The threads' names, Linux's {@code comm}: a thread starts with its creator's (its program's, for the first), takes
 * the one it sets with {@code prctl(PR_SET_NAME)} ({@code pthread_setname_np} of itself), and its new program's at
 * {@code execve}. Each core shows its thread's, for {@code ~} and gdb's {@code info threads} (protocol 1.19);
 * {@code /proc/PID/comm} reads the leader's. Execution thread.
 */
final class ThreadNames {
    private final Scheduler scheduler;
    private final Vcpus vcpus;

    ThreadNames(Scheduler scheduler, Vcpus vcpus) {
        this.scheduler = scheduler;
        this.vcpus = vcpus;
    }

    /** The name of {@code thread}: its own since a PR_SET_NAME, else its program's. */
    static byte[] of(GuestThread thread) {
        return thread.comm != null ? thread.comm : Comm.of(thread.process.config().programName());
    }

    /** A thread started, or its name changed: its core shows it. */
    void show(GuestThread thread) {
        vcpus.setName(thread.core, Comm.text(of(thread)));
    }

    /** prctl(PR_SET_NAME): the calling thread's name from now on. */
    void rename(byte[] comm) {
        GuestThread thread = scheduler.current();
        thread.comm = comm;
        show(thread);
    }

    /** execve: the calling thread takes its new program's name, as Linux's {@code __set_task_comm} at exec. */
    void execed() {
        GuestThread thread = scheduler.current();
        thread.comm = null;
        show(thread);
    }

    /** {@code /proc/PID/comm}: the name of {@code process}'s first thread (its leader, whose id is the pid). */
    byte[] leader(LinuxProcess process) {
        return scheduler.threadsOf(process).stream().filter(t -> t.tid == process.pid()).findFirst()
                .map(ThreadNames::of).orElseGet(() -> Comm.of(process.config().programName()));
    }
}
