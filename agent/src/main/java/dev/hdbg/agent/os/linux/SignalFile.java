package dev.hdbg.agent.os.linux;

/**
 * A signalfd: signals of its mask (which the program blocks) read as {@code struct signalfd_siginfo}s instead of run
 * by handlers — script(1)'s and systemd's event loops. It reads the signals pending for the thread that reads, its own
 * and its process's, as Linux's does (after fork the child's descriptor reads the child's). A read takes as many as
 * fit in whole records (EINVAL under 128 bytes) and waits, or fails with EAGAIN when non-blocking, while none is
 * pending; every signal sent on the machine wakes the threads that poll, while any signalfd is open.
 */
final class SignalFile extends OpenFile {
    static final int RECORD = 128;

    private final Scheduler scheduler;
    private final ProcessTable table;
    private long mask;

    SignalFile(ProcessTable table, long mask, int statusFlags) {
        super(O_RDONLY | statusFlags);
        this.table = table;
        this.scheduler = table.scheduler();
        this.mask = mask;
        table.signalFileOpened(1);
    }

    /** signalfd on this descriptor again: a new mask. */
    void setMask(long mask) {
        this.mask = mask;
        scheduler.wakeAll(ReadyWait.CHANNEL);
    }

    private long ready() {
        GuestThread reader = scheduler.current();
        return reader.process.signals().pendingFor(reader.signals) & mask;
    }

    @Override
    int read(byte[] buffer) {
        if (buffer.length < RECORD) {
            throw new SyscallException(Errno.EINVAL);
        }
        Signals signals = scheduler.current().process.signals();
        int taken = 0;
        long ready;
        while (buffer.length - taken >= RECORD && (ready = ready()) != 0) {
            SignalInfo info = signals.takePending(Long.numberOfTrailingZeros(ready) + 1);
            System.arraycopy(info.signalfdBytes(), 0, buffer, taken, RECORD);
            taken += RECORD;
        }
        if (taken == 0 && nonBlocking()) {
            throw new SyscallException(Errno.EAGAIN);
        }
        if (taken == 0) {
            // Woken by any signal sent (Signals), a timer's too: the wait knows the process's next timer.
            throw Blocked.untilReady(new ReadyWait(GuestThread.FOREVER));
        }
        return taken;
    }

    @Override
    boolean readReady() {
        return ready() != 0;
    }

    @Override
    void release() {
        table.signalFileOpened(-1);
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(0600, 0, 0x70000, Credentials.UID, Credentials.GID);
    }
}
