package dev.hdbg.common.wire;

import dev.hdbg.proto.v1.ProtocolVersion;
import java.util.List;

/** The protocol version this build speaks and the capabilities it announces. */
public final class Protocol {
    public static final int MAJOR = 1;
    public static final int MINOR = 20;
    public static final int DEFAULT_PORT = 7321;
    /** Largest memory read one request may ask for; hosts page larger reads. */
    public static final int MAX_MEMORY_READ = 1024 * 1024;
    /** Since 1.4: announced by hosts that acknowledge records (RecordsAck), and by agents that keep records until then. */
    public static final String RECORDS_ACK = "records.ack";

    /** Since 1.5: Hello's AttachMode (takeover, observe) and DetachRequest. */
    public static final String ATTACH_MODES = "session.attach-modes";

    /** Since 1.5: Ping; a host announcing it pings while idle, so the agent may take its silence as a dead link. */
    public static final String PING = "session.ping";

    /** Since 1.6: dynamically linked programs, signals delivered to programs, and the "signal" exit reason. */
    public static final String SIGNALS = "targets.signals";

    /** Since 1.7: script actions, script-output records and EvaluateRequest ({@code ?}, {@code print}). */
    public static final String SCRIPTS = "scripts";

    /** Since 1.8: StartRequest and KillRequest ({@code .start}, {@code .restart}, {@code .kill}). */
    public static final String RESTART = "targets.restart";

    /** Since 1.8: TrackRequest ({@code !track}). */
    public static final String TRACK = "execution.track";

    /** Since 1.9: a break record carries the registers at the stop ({@code GuestRegister.AT_STOP}). */
    public static final String BREAK_REGISTERS = "records.break-registers";

    /**
     * Since 1.10: the threads of a program run, each on a core of its own: break records say which core, thread and
     * process; the status lists the cores; {@code SelectCoreRequest} ({@code ~ N}) selects the one registers and
     * steps act on.
     */
    public static final String THREADS = "threads";

    /** Since 1.11: ReadMsrRequest and WriteMsrRequest (HyperDbg's {@code rdmsr}, {@code wrmsr}). */
    public static final String MSR = "registers.msr";

    /** Since 1.11: FlushRequest (HyperDbg's {@code flush}). */
    public static final String FLUSH = "records.flush";

    /** Since 1.11: ShortCircuitRequest (HyperDbg's {@code events sc on|off}). */
    public static final String SHORT_CIRCUIT = "events.short-circuit-in-break";

    /** Since 1.11: CpuidRequest (HyperDbg's {@code cpu}). */
    public static final String CPUID = "cpu.cpuid";

    /** Since 1.12: processes (fork, exec, wait, pipes between them), each core's pid, {@code .process}. */
    public static final String PROCESSES = "targets.processes";

    /**
     * Since 1.13: the registers cr8, gdtr, idtr, ldtr and tr (the descriptor tables as their base), by name in
     * ReadRegistersRequest, WriteRegisterRequest and scripts.
     */
    public static final String SYSTEM_REGISTERS = "registers.system";

    /** Since 1.13: the !mode and !trace events and script actions' buffer ($buffer). */
    public static final String EVENTS_1_13 = "events.mode-trace-buffer";

    /** Since 1.13: TypeLayoutRequest (HyperDbg's {@code dt} and {@code struct}). */
    public static final String TYPES = "symbols.types";

    /**
     * Since 1.14: log, script-output and buffer records say which process and thread produced them (buffers also
     * the core); breakpoints take pid, tid and core filters; symbols and modules are the selected process's.
     */
    public static final String RECORDS_PID_TID = "records.pid-tid";

    /**
     * Since 1.15: a step the agent took at once answers with the record of its stop in the StepReply
     * ({@code break_record}) instead of sending it in a record batch; announced by hosts that take it from there.
     */
    public static final String STEP_BREAK_RECORD = "step.break-record";

    /**
     * Since 1.15: a step's reply that carries its stop also carries the stack read at that stop, as the request's
     * {@code stop_memory} window asks ({@code StepReply.stop_memory}); announced by agents.
     */
    public static final String STEP_STOP_MEMORY = "step.stop-memory";

    /**
     * Since 1.16: a step's request may ask that the stop in its reply come without the registers
     * ({@code StepRequest.stop_without_registers}), for a host that shows none (a --json batch); announced by agents.
     */
    public static final String STEP_BARE_STOP = "step.bare-stop";

    /**
     * Since 1.17: ReadFileRequest, a file of the target's file system read-only (gdb's host I/O through the bridge);
     * announced by agents.
     */
    public static final String TARGET_FILES = "targets.files";

    /**
     * Since 1.18: FatalSignalStopRequest, a stop before a signal's default action ends the program (gdb's "Program
     * received signal SIGSEGV" through the bridge); announced by agents.
     */
    public static final String FATAL_SIGNAL_STOP = "signals.stop-before-fatal";

    /**
     * Since 1.19: SignalStopRequest and ResumeSignalRequest, stops before chosen signals are delivered and the signal
     * the guest goes on with (gdb's {@code handle SIG stop} and {@code signal SIG} through the bridge, {@code sxe} at
     * the prompt); announced by agents.
     */
    public static final String SIGNAL_STOPS = "signals.stop-on-delivery";

    /**
     * Since 1.20: {@code StepRequest.count}, many steps in one request, taken at once while the agent can (a
     * {@code t 100}, a batch's run of {@code t} lines); announced by agents.
     */
    public static final String STEP_COUNT = "step.count";

    /** Largest part of a file one ReadFileRequest returns; hosts page larger reads. */
    public static final int MAX_FILE_READ = 1024 * 1024;

    /**
     * What this agent announces, by the protocol minor that added it: 1.0 the first events, actions, conditions and
     * batched records; 1.1 the rest of the event catalogue and the event options; 1.2 breakpoints and stepping; 1.3
     * ELF targets, symbols and output records; 1.4 acknowledged records; 1.5 attach modes and pings; 1.6 dynamically
     * linked programs and signals; 1.7 scripts; 1.8 starting the target again and !track; 1.9 break records with the
     * registers; 1.10 threads; 1.11 model-specific registers, CPUID, flushing
     * messages and events sc; 1.12 processes; 1.13 cr8 and the descriptor-table registers, !mode, !trace, $buffer,
     * dt and struct; 1.14 records with their pid and tid, breakpoints filtered by pid, tid and core; 1.15 a
     * step's stop in its reply, and the stack at that stop; 1.16 that stop without its registers when asked; 1.17 the
     * target's files; 1.18 a stop before a signal ends the program; 1.19 stops before chosen signals; 1.20 many steps in one request.
     */
    public static final List<String> CAPABILITIES = List.of(
            "events.epthook", "events.cpuid", "actions.break", "actions.log", "actions.custom-code", "conditions",
            "records.batched",
            "events.epthook2", "events.monitor", "events.syscall", "events.sysret", "events.msr", "events.tsc",
            "events.pmc", "events.vmcall", "events.io", "events.exception", "events.interrupt", "events.dr",
            "events.crwrite", "events.xsetbv", "events.options",
            "breakpoints", "stepping",
            "targets.elf", "symbols", "records.output",
            RECORDS_ACK,
            ATTACH_MODES, PING,
            SIGNALS, SCRIPTS,
            RESTART, TRACK,
            BREAK_REGISTERS, THREADS,
            MSR, CPUID, FLUSH, SHORT_CIRCUIT,
            PROCESSES,
            SYSTEM_REGISTERS, EVENTS_1_13, TYPES,
            RECORDS_PID_TID,
            STEP_BREAK_RECORD, STEP_STOP_MEMORY,
            STEP_BARE_STOP,
            TARGET_FILES,
            FATAL_SIGNAL_STOP,
            SIGNAL_STOPS,
            STEP_COUNT);

    private Protocol() {
    }

    public static ProtocolVersion version() {
        return ProtocolVersion.newBuilder().setMajor(MAJOR).setMinor(MINOR).build();
    }
}
