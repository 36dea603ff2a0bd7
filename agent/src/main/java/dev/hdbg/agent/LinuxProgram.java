package dev.hdbg.agent;

import dev.hdbg.agent.debugger.RecordQueue;
import dev.hdbg.agent.os.linux.LinuxProcess;
import dev.hdbg.agent.os.linux.LinuxSyscalls;
import dev.hdbg.agent.os.linux.ProcessIo;
import dev.hdbg.agent.vmx.SystemCalls;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Connects an ELF program's Linux system-call layer to the debugger: its calls are performed at
 * the SYSCALL exit (after the {@code !syscall} events, unless short-circuited), what it writes to
 * fd 1 and 2 becomes stdout/stderr records in order with the others, and a call the layer does not
 * implement returns -ENOSYS and is reported once per number, never silently.
 */
final class LinuxProgram implements SystemCalls {
    private final LinuxSyscalls syscalls;
    private final RecordQueue queue;
    private final Set<Long> reported = new HashSet<>();

    LinuxProgram(LinuxProcess process, RecordQueue queue) {
        this.syscalls = new LinuxSyscalls(process);
        this.queue = queue;
    }

    /** Output records carry at most this much: each must fit in a frame (4 MiB) with room to spare. */
    static final int OUTPUT_RECORD_BYTES = 1 << 20;

    /** The target's output as records; batched, they keep their order with logs and breaks. */
    static ProcessIo recordsTo(RecordQueue queue) {
        return new ProcessIo() {
            @Override
            public void stdout(byte[] data) {
                publish(queue, DebuggerRecord.Stream.STDOUT, data);
            }

            @Override
            public void stderr(byte[] data) {
                publish(queue, DebuggerRecord.Stream.STDERR, data);
            }

            @Override
            public void notice(String message) {
                queue.publish(seq -> new DebuggerRecord.Notice(seq, message), true);
            }
        };
    }

    private static void publish(RecordQueue queue, DebuggerRecord.Stream stream, byte[] data) {
        int at = 0;
        do {
            byte[] part = Arrays.copyOfRange(data, at, Math.min(data.length, at + OUTPUT_RECORD_BYTES));
            queue.publish(seq -> new DebuggerRecord.Output(seq, stream, part), false);
            at += OUTPUT_RECORD_BYTES;
        } while (at < data.length);
    }

    /**
     * A fault no event swallowed becomes the signal Linux sends for it: its handler runs, or it kills the program, or
     * it kills another process, and the CPU goes to the next thread.
     */
    @Override
    public Optional<Outcome> fault(Fault fault) {
        return Optional.of(switch (syscalls.fault(fault.vector(), fault.rip(), fault.address(), fault.errorCode())) {
            case LinuxSyscalls.Result.Killed(int signal) -> new Outcome.Killed(signal);
            case LinuxSyscalls.Result.Yielded y -> new Outcome.Yielded();
            default -> new Outcome.Returned();
        });
    }

    @Override
    public Optional<byte[]> fatalFault(Fault fault) {
        return syscalls.fatalFault(fault.vector(), fault.rip(), fault.address(), fault.errorCode());
    }

    @Override
    public boolean hasSignals() {
        return true;
    }

    @Override
    public void stopBeforeSignals(long signals) {
        syscalls.stopBeforeSignals(signals);
    }

    @Override
    public Optional<byte[]> stoppingFault(Fault fault) {
        return syscalls.stoppingFault(fault.vector(), fault.rip(), fault.address(), fault.errorCode());
    }

    @Override
    public Optional<Outcome> resumeSignal(int signal) {
        return Optional.of(switch (syscalls.resumeSignal(signal)) {
            case LinuxSyscalls.Result.Killed(int killedBy) -> new Outcome.Killed(killedBy);
            case LinuxSyscalls.Result.Stopped st -> new Outcome.Stopped(st.signal(), st.siginfo(), st.job());
            case LinuxSyscalls.Result.Yielded y -> new Outcome.Yielded(); // a child ended: the next thread's turn
            default -> new Outcome.Returned();
        });
    }

    @Override
    public boolean stopsBeforeCall() {
        return syscalls.stopsBeforeCall();
    }

    @Override
    public Optional<byte[]> fatalSignalInfo() {
        return syscalls.fatalSignalInfo();
    }

    /** A timer's signal is due while the program spins without system calls. */
    @Override
    public boolean due() {
        return syscalls.signalDue();
    }

    /** Another thread's turn. */
    @Override
    public boolean switchDue() {
        return syscalls.switchDue();
    }

    @Override
    public long sliceBlocks() {
        return syscalls.sliceBlocks();
    }

    @Override
    public void sliceEnded() {
        syscalls.sliceEnded();
    }

    /** Another thread's turn, a timer's signal; a deadlock ends the program with a notice saying where each waits. */
    @Override
    public Outcome atSafePoint() {
        // instanceof tests, not a pattern switch, on every program's path: see perform
        LinuxSyscalls.Result due = syscalls.deliverDue();
        if (due instanceof LinuxSyscalls.Result.Killed killed) {
            return new Outcome.Killed(killed.signal());
        } else if (due instanceof LinuxSyscalls.Result.Deadlocked deadlocked) {
            queue.publish(seq -> new DebuggerRecord.Notice(seq, "deadlock: " + deadlocked.message()
                    + "; hdbg ends it as kill -9 would (exit status 137)"), true);
            return new Outcome.Killed(DEADLOCK_SIGNAL);
        } else if (due instanceof LinuxSyscalls.Result.Stopped stopped) {
            return new Outcome.Stopped(stopped.signal(), stopped.siginfo(), stopped.job());
        } else if (due instanceof LinuxSyscalls.Result.Idle idle) {
            return new Outcome.Idle(idle.until());
        }
        return new Outcome.Returned();
    }

    /** SIGKILL: how a deadlocked program ends. */
    private static final int DEADLOCK_SIGNAL = 9;

    @Override
    public Outcome perform() {
        // instanceof tests, not a pattern switch: a switch's first run spins a class (SwitchBootstraps) inside every
        // program's run (docs/benchmarks.md, "A program's first milliseconds, stop 43")
        LinuxSyscalls.Result result = syscalls.handle();
        if (result instanceof LinuxSyscalls.Result.Returned) {
            return new Outcome.Returned();
        } else if (result instanceof LinuxSyscalls.Result.Yielded) {
            return new Outcome.Yielded();
        } else if (result instanceof LinuxSyscalls.Result.Exited e) {
            syscalls.ended();
            return new Outcome.Exited(e.status());
        } else if (result instanceof LinuxSyscalls.Result.Killed k) {
            syscalls.ended();
            return new Outcome.Killed(k.signal());
        } else if (result instanceof LinuxSyscalls.Result.Stopped stopped) {
            return new Outcome.Stopped(stopped.signal(), stopped.siginfo(), stopped.job());
        } else if (result instanceof LinuxSyscalls.Result.Unknown u) {
            if (reported.add(u.number())) {
                queue.publish(seq -> new DebuggerRecord.Notice(seq, "system call " + u.number()
                        + " is not implemented: it returned -ENOSYS (reported once per number)"), true);
            }
            return new Outcome.Returned();
        }
        throw new IllegalStateException("a system call deadlocked: "
                + ((LinuxSyscalls.Result.Deadlocked) result).message()); // only deliverDue schedules
    }
}
