package dev.hdbg.host.gdb;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stop replies as gdbserver sends them: {@code T05} with the thread, the expedited registers (so that a step needs no
 * {@code g}) and why ({@code swbreak:}, {@code hwbreak:}, {@code watch:ADDR}); {@code T02} after a Ctrl-C, {@code T0b}
 * for a fault ({@code T} and the signal's GDB number at a stop before a signal is delivered or ends the program),
 * {@code Wnn} for an exit; {@code syscall_entry:NN} and {@code syscall_return:NN} for gdb's {@code catch syscall}
 * ({@link SyscallCatch}). A HyperDbg event's break is a SIGTRAP whose console line names the event. When the agent
 * refuses the registers, the stop is still reported, without them: gdb asks with {@code g} and meets the refusal
 * there as an error reply, and the session goes on.
 */
final class StopReplies {
    private final RegisterFile registers;
    private final TargetPoints points;
    private final SyscallCatch syscalls;
    private final FrontEnd frontEnd;
    private final Supplier<String> threadId;
    private final Consumer<String> log;

    /** @param log where the operator is told that a stop reply went without its registers */
    StopReplies(RegisterFile registers, TargetPoints points, SyscallCatch syscalls, FrontEnd frontEnd,
                Supplier<String> threadId, Consumer<String> log) {
        this.registers = registers;
        this.points = points;
        this.syscalls = syscalls;
        this.frontEnd = frontEnd;
        this.threadId = threadId;
        this.log = log;
    }

    /** The reply to the stop that ended a {@code c} or {@code s}; {@code interrupted} after a Ctrl-C. */
    String of(DebuggerRecord stop, boolean interrupted) throws IOException {
        return switch (stop) {
            case DebuggerRecord.Exit exit -> exit(exit);
            case DebuggerRecord.Break b -> switch (b.reason()) {
                case PAUSE -> withRegisters(interrupted ? 2 : 5, "");
                case STEP -> withRegisters(5, "");
                case FAULT -> {
                    if (b.context() > 0 && b.context() < 65) {
                        // A stop before a signal is delivered (or ends the program): gdb names the signal itself.
                        yield withRegisters(gdbSignal((int) b.context()), "");
                    }
                    frontEnd.console("hdbg: " + b.message() + "\n");
                    yield withRegisters(11, "");
                }
                case BREAKPOINT -> withRegisters(5, points.byId(b.eventId(), false)
                        .map(p -> p.kind().stopKey() + ":;").orElse(""));
                case EVENT -> {
                    var syscall = syscalls.reason(b);
                    if (syscall.isPresent()) {
                        yield withRegisters(5, syscall.get());
                    }
                    var watch = points.byId(b.eventId(), true);
                    if (watch.isPresent()) {
                        // a breakpoint with gdb's condition is an event too: it names no address
                        yield withRegisters(5, watch.get().kind().stopKey() + ":" + (watch.get().kind().watches()
                                ? Long.toHexString(b.context()) : "") + ";");
                    }
                    frontEnd.console("hdbg: " + b.message() + b.eventType().map(t -> " (" + t.command() + ")").orElse("")
                            + " broke in at 0x" + Long.toHexString(b.rip()) + "\n");
                    yield withRegisters(5, "");
                }
            };
            default -> throw new IllegalStateException("not a stop: " + stop);
        };
    }

    /**
     * {@code Wnn} for a program that exited with status nn, {@code Xnn} for one a signal ended (the exit record's
     * status is then 128 + the signal, as a shell reports it), nn in GDB's signal numbers, as gdbserver sends them:
     * gdb says "Program terminated with signal SIGSEGV" rather than "exited with code 0213".
     */
    static String exit(DebuggerRecord stop) {
        if (stop instanceof DebuggerRecord.Exit exit && exit.reason() == DebuggerRecord.ExitKind.SIGNAL
                && exit.status() > 128) {
            return "X" + Packets.hex(new byte[] {(byte) gdbSignal((int) exit.status() - 128)});
        }
        long status = stop instanceof DebuggerRecord.Exit exit ? exit.status() : 0;
        return "W" + Packets.hex(new byte[] {(byte) status});
    }

    /** GDB's number for a signal it has no name for. */
    static final int GDB_SIGNAL_UNKNOWN = 143;

    /**
     * GDB's number for a Linux signal (gdb's include/gdb/signals.def): the same for 1-6, 8, 9, 11 and 13-15, others
     * moved (SIGBUS is 10 to gdb, SIGUSR1 30), the real-time ones at 45 and up (SIG33 to SIG63 are 45 to 75, SIG32
     * 77 and SIG64 78, as gdbserver sends them: checked with {@code set debug remote 1}); SIGSTKFLT, which GDB has no
     * name for, is GDB_SIGNAL_UNKNOWN (143).
     */
    static int gdbSignal(int linux) {
        return switch (linux) {
            case 1, 2, 3, 4, 5, 6, 8, 9, 11, 13, 14, 15, 21, 22, 24, 25, 26, 27, 28 -> linux;
            case 7 -> 10; // SIGBUS
            case 10 -> 30; // SIGUSR1
            case 12 -> 31; // SIGUSR2
            case 17 -> 20; // SIGCHLD
            case 18 -> 19; // SIGCONT
            case 19 -> 17; // SIGSTOP
            case 20 -> 18; // SIGTSTP
            case 23 -> 16; // SIGURG
            case 29 -> 23; // SIGIO
            case 30 -> 32; // SIGPWR
            case 31 -> 12; // SIGSYS
            case 32 -> 77;
            case 64 -> 78;
            default -> linux >= 33 && linux <= 63 ? linux + 12 : GDB_SIGNAL_UNKNOWN;
        };
    }

    /** The Linux signal GDB's number {@code gdb} names ({@link #gdbSignal}'s inverse); 0 when none. */
    static int linuxSignal(int gdb) {
        if (gdb == GDB_SIGNAL_UNKNOWN) {
            return 0; // what gdbSignal answers for a Linux signal GDB has no name for (SIGSTKFLT)
        }
        for (int linux = 1; linux <= 64; linux++) {
            if (gdbSignal(linux) == gdb) {
                return linux;
            }
        }
        return 0;
    }

    /**
     * {@code TAAthread:1;06:rbp;07:rsp;10:rip;} plus {@code reason}, as gdbserver sends it; without the registers
     * when the agent refuses them (they are optional in a stop reply).
     */
    String withRegisters(int signal, String reason) {
        StringBuilder reply = new StringBuilder("T").append(Packets.hex(new byte[] {(byte) signal})).append("thread:").append(threadId.get()).append(';');
        StringBuilder expedited = new StringBuilder();
        try {
            for (int number : TargetDescription.EXPEDITED) {
                expedited.append(Packets.hex(new byte[] {(byte) number})).append(':')
                        .append(registers.read(TargetDescription.REGISTERS.get(number))).append(';');
            }
        } catch (AgentError e) {
            log.accept("gdb: the agent refused the stop's registers (" + e.getMessage() + "): the stop reply goes without them");
            expedited.setLength(0);
        }
        return reply.append(expedited).append(reason).toString();
    }

}
