package dev.hdbg.host.client;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.ActionType;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.model.FilePart;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection to one hdbg agent: the Java API whose calls mirror HyperDbg's actions
 * specification. Every call returns a future; it fails with {@link AgentError} when the agent
 * refuses the request (the error's kind says why) or the connection is lost. Records the agent
 * sends on its own (logs, buffers, breaks, exits, action errors) reach the listeners in
 * sequence-number order, on one thread.
 *
 * <p>Obtain one with {@link #connect}. Thread-safe. It runs over 400 lines because it is the protocol's whole
 * client API, one documented method per request; its implementations and codecs are split by concern.
 */
public interface DebuggerClient extends AutoCloseable {

    /**
     * Connects and performs the handshake.
     *
     * @throws AgentError of kind CONNECTION when nothing listens there, VERSION_MISMATCH,
     *                    UNAUTHENTICATED (missing or wrong token) or BUSY (another host is attached)
     */
    static DebuggerClient connect(String host, int port, String token) {
        return connectWith(host, port, ConnectSettings.defaults().withToken(token));
    }

    /**
     * Connects with every setting spelled out ({@link ConnectSettings}). Since 1.5.
     *
     * @throws AgentError as {@link #connect(String, int, String)}; BUSY only for {@link AttachMode#CONTROL}
     */
    static DebuggerClient connectWith(String host, int port, ConnectSettings settings) {
        return NettyDebuggerClient.connect(host, port, settings);
    }

    /**
     * Connects with an {@link AttachMode}: TAKEOVER disconnects the host controlling the agent (it is told why),
     * OBSERVE watches without control and is never refused as BUSY. Since 1.5.
     *
     * @throws AgentError as {@link #connect(String, int, String)}; BUSY only for CONTROL
     */
    static DebuggerClient connect(String host, int port, String token, AttachMode mode) {
        return connectWith(host, port, ConnectSettings.defaults().withToken(token).withMode(mode));
    }

    /**
     * Connects over TLS when {@code tls} is given (clear text when it is null), checks the agent's certificate as
     * {@code tls} says before anything is sent, then performs the handshake.
     *
     * @throws AgentError as {@link #connect(String, int, String)}, and of kind UNTRUSTED_AGENT when the agent's
     *                    certificate is not the pinned one or not the one known_agents records (the message names both
     *                    fingerprints), TLS when the agent does not speak TLS or refuses this host's certificate (or its
     *                    lack of one), UNAUTHENTICATED when {@code tls} is null and the agent requires TLS
     * @throws IllegalArgumentException when the client certificate or key of {@code tls} cannot be read or used
     */
    static DebuggerClient connect(String host, int port, String token, TlsSettings tls) {
        return connectWith(host, port, ConnectSettings.defaults().withToken(token).withTls(tls));
    }

    /**
     * Connects again after a lost connection: when it is the same agent run as {@code previous}'s, records the
     * previous connection's listeners already saw are not delivered twice, and the ones the agent kept for want of
     * an acknowledgement are. Since 1.4.
     */
    static DebuggerClient reconnect(String host, int port, String token, ResumePoint previous) {
        return connectWith(host, port, ConnectSettings.defaults().withToken(token).withResumeFrom(previous));
    }

    /** {@link #reconnect(String, int, String, ResumePoint)} over TLS when {@code tls} is given. */
    static DebuggerClient reconnect(String host, int port, String token, TlsSettings tls, ResumePoint previous) {
        return connectWith(host, port, ConnectSettings.defaults().withToken(token).withTls(tls).withResumeFrom(previous));
    }

    /** The settings this client connected with; {@code .connect} reuses them. */
    ConnectSettings settings();

    /** The mode the agent granted: CONTROL (also after a takeover) or OBSERVE. */
    AttachMode attachMode();

    /** After a takeover: the host that was controlling the agent (it has been disconnected); else empty. */
    java.util.Optional<String> tookOverFrom();

    /** Which agent run this client talks to and the last record its listeners saw. Since 1.4. */
    record ResumePoint(String agentInstance, long lastSeq) {
    }

    /** Where a later {@link #reconnect} picks up. */
    ResumePoint resumePoint();

    /** The agent's status as of the handshake. */
    AgentStatus statusAtConnect();

    /** Registers an event with its condition and actions; armed unless {@code spec.enabled()} is false. */
    CompletableFuture<AddedEvent> addEvent(EventSpec spec);

    /**
     * spec: {@code DebuggerAddActionToEvent(Event, ActionType, SendTheResultsImmediately,
     * InTheCaseOfCustomCode, InTheCaseOfLogTheStates)}. The action runs after the event's
     * existing actions. {@code customCode} is required for RUN_CUSTOM_CODE and ignored otherwise,
     * {@code logConfiguration} likewise for LOG_THE_STATES.
     *
     * @return the new action's id
     */
    default CompletableFuture<Long> addActionToEvent(long eventId, ActionType type, boolean sendTheResultsImmediately,
                                                     CustomCodeRequest customCode, LogConfiguration logConfiguration) {
        ActionSpec action = switch (type) {
            case BREAK_TO_DEBUGGER -> new ActionSpec.Break();
            case LOG_THE_STATES -> new ActionSpec.Log(logConfiguration, sendTheResultsImmediately);
            case RUN_CUSTOM_CODE -> new ActionSpec.CustomCode(customCode.code(), customCode.optionalRequestedBufferSize(),
                    sendTheResultsImmediately);
            case RUN_SCRIPT -> throw new IllegalArgumentException("a script action takes its text: use addScriptAction");
        };
        return addAction(eventId, action);
    }

    /**
     * HyperDbg's RUN_SCRIPT action (since protocol 1.7): the script runs after the event's existing actions, its
     * printf output arriving as script-output records, sent as {@code sendTheResultsImmediately} says. The agent
     * checks and compiles the script; one with errors is refused (INVALID_ARGUMENT, the errors with their carets).
     *
     * @return the new action's id
     */
    default CompletableFuture<Long> addScriptAction(long eventId, String script, boolean sendTheResultsImmediately) {
        return addAction(eventId, new ActionSpec.Script(script, sendTheResultsImmediately));
    }

    /**
     * HyperDbg's {@code ?} (since protocol 1.7): runs a script once on the target at the agent's next safe point, in
     * the machine's global variables; its register and memory writes reach the guest.
     *
     * @param expression whether {@code script} is one expression whose value is wanted ({@code ? @rax + 8}), else
     *                   statements ({@code ? { .count = 0; }})
     * @return the value (0 for statements) and what printf wrote
     * @throws AgentError (in the future) INVALID_ARGUMENT when the script has errors or its run stops early, the
     *                    message saying where; INVALID_ARGUMENT too from an agent before 1.7
     */
    CompletableFuture<Evaluation> evaluate(String script, boolean expression);

    /**
     * HyperDbg's {@code .restart} and {@code .start path} (since protocol 1.8): a live target ends (an exit record with
     * signal 9), the agent empties its machine and loads the target again, paused at its entry. Events, breakpoints
     * and the record sequence stay; a notice record says what started.
     *
     * @param path empty for the target as last started; else a Linux program as the program's file system names it
     *             (beneath the agent's --root)
     * @param args with {@code path}, the new program's argv[1..]
     * @return the new target's status
     * @throws AgentError (in the future) INVALID_ARGUMENT when it cannot be started (no such program, a raw target
     *                    given a path, an agent before 1.8), the reason in the message
     */
    CompletableFuture<AgentStatus> start(Optional<String> path, List<String> args);

    /**
     * HyperDbg's {@code .kill} (since protocol 1.8): the target ends now, an exit record with status 128 + 9 follows.
     *
     * @throws AgentError (in the future) BAD_STATE when the target has already exited; INVALID_ARGUMENT from an agent
     *                    before 1.8
     */
    CompletableFuture<Void> kill();

    /**
     * HyperDbg's {@code !track} (since protocol 1.8): runs the paused target for {@code count} instructions, each one
     * looked at, and completes with the calls and returns it executed when the run ends: by its count (a break
     * record with reason STEP), a break or the target's end.
     *
     * @param count     1 .. 0x10000000 instructions
     * @param registers with each call, the registers as the called function starts ({@code !track reg})
     * @throws AgentError (in the future) BAD_STATE when the target is not paused; INVALID_ARGUMENT for a count out of
     *                    range or an agent before 1.8
     */
    CompletableFuture<CallTrack> track(long count, boolean registers);

    /** spec: DEBUGGER_EVENT_REQUEST_CUSTOM_CODE. */
    record CustomCodeRequest(MachineCode code, int optionalRequestedBufferSize) {
    }

    CompletableFuture<Long> addAction(long eventId, ActionSpec action);

    CompletableFuture<List<Long>> enableEvent(long eventId);

    CompletableFuture<List<Long>> disableEvent(long eventId);

    CompletableFuture<List<Long>> clearEvent(long eventId);

    /** Enable, disable or clear every event. */
    CompletableFuture<List<Long>> modifyAllEvents(EventModification modification);

    CompletableFuture<List<EventInfo>> listEvents();

    /** Lets a paused target run; fails with BAD_STATE if it runs already or has exited. */
    CompletableFuture<Void> cont();

    /** {@code g ADDR}: lets a paused target run until execution reaches {@code address}; a STEP break follows. */
    CompletableFuture<Void> runTo(long address);

    /** {@code t} (INTO), {@code p} (OVER), {@code gu} (OUT); a break record with reason STEP ends the step. */
    CompletableFuture<Void> step(StepMode mode);

    /**
     * {@link #step}, for a caller that shows no registers at the stop (a --json batch): an agent with
     * "step.bare-stop" (since 1.16) sends the stop that comes with the reply without them, so the listeners get a
     * break whose {@code registers()} are empty, as from an agent before 1.9. A stop that comes as a record, and
     * every stop from an older agent, keeps them. Same semantics as {@link #step} otherwise. The registers were most
     * of a step's reply, encoded and decoded for nothing (docs/benchmarks.md, "A step's cost, wave 10").
     */
    default CompletableFuture<Void> stepBare(StepMode mode) {
        return step(mode);
    }

    /**
     * Up to {@code count} steps of {@code mode} in one request (since 1.20, "step.count"): an agent takes steps INTO at
     * once while it can (one core, no event armed, no system call next), each stop a record, and ends them at the
     * first stop that is not a plain step; the future holds how many ran. Another mode, a count of 1 or an older agent:
     * one step, as {@link #step} (or {@link #stepBare} when {@code bare}), whose stop comes as a step's does.
     */
    default CompletableFuture<StepsTaken> steps(StepMode mode, long count, boolean bare) {
        return (bare ? stepBare(mode) : step(mode)).thenApply(v -> StepsTaken.ONE);
    }

    /**
     * {@link #step}, with the stop that ended it when the agent sent it with the reply (since 1.15,
     * "step.break-record": a step taken at once). The record listeners get that stop too, once and in order, as
     * any record; a caller that takes it from here must not act on it again when its listener sees the same sequence
     * number. Empty when the stop comes only as a record (an older agent, a step through the execution thread).
     */
    default CompletableFuture<Optional<DebuggerRecord>> stepWithStop(StepMode mode) {
        return step(mode).thenApply(v -> Optional.empty());
    }

    /**
     * {@link #stepWithStop(StepMode)}, asking the agent to read {@code window} of the stack at that stop and send it
     * with the reply (since 1.15, "step.stop-memory"): one round trip for the step and gdb's read of the frame. The
     * stop's stack is empty from an agent that does not announce it; its bytes are empty when the agent could not
     * read the stack (read exactly then, to meet the fault).
     */
    default CompletableFuture<Optional<StepStop>> stepWithStop(StepMode mode, StackWindow window) {
        return stepWithStop(mode).thenApply(stop -> stop.map(s -> new StepStop(s, Optional.empty())));
    }

    /**
     * {@link #stepWithStop(StepMode, StackWindow)} as gdb's range stepping (since 1.20, "step.count"): the thread
     * steps on while it stops inside {@code range}, and only where it leaves it (or stops otherwise) is the stop. An
     * older agent takes one step, a stop gdb allows inside the range.
     */
    default CompletableFuture<Optional<StepStop>> stepWithStop(StackWindow window, StepRange range) {
        return stepWithStop(StepMode.INTO, window);
    }

    /**
     * Whether {@code stop}, as a record listener is given it, came with a step's reply (since 1.15), also when the
     * listeners are behind the replies (records are asked about in their order): the agent took that step at once,
     * and such a step runs no system call (docs/protocol.md), so the target's modules and memory map are as they were
     * before it. False for any other record, and for clients that cannot tell.
     */
    default boolean cameWithStepReply(DebuggerRecord stop) {
        return false;
    }

    /**
     * {@code bp ADDR [condition {HEX}]}: a breakpoint invisible to the guest (no memory changes).
     *
     * @param condition machine code with the condition convention, or null
     * @return the breakpoint's id
     */
    CompletableFuture<Long> addBreakpoint(long address, MachineCode condition);

    /**
     * {@code bp ADDR [pid N] [tid N] [core N] [condition {HEX}]} (since 1.14): a breakpoint that stops only in the
     * process, thread and core {@code scope} admits, as an event's {@code pid} and {@code core} options select.
     *
     * @param condition machine code with the condition convention, or null
     * @return the breakpoint's id; a failed future ({@link AgentError}, invalid argument) when the scope is not all and
     *         the agent is older than 1.14, which would stop everywhere. This default, for clients that cannot send a
     *         scope, fails the same way for any scope but all.
     */
    default CompletableFuture<Long> addBreakpoint(long address, MachineCode condition, Scope scope) {
        if (!scope.isAll()) {
            return CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT,
                    "this client cannot send a breakpoint's pid, tid or core"));
        }
        return addBreakpoint(address, condition);
    }

    /** {@code be}, {@code bd}, {@code bc}; {@code id} 0 with {@code all}. */
    CompletableFuture<List<Long>> modifyBreakpoints(long id, boolean all, EventModification modification);

    /** {@code bl}. */
    CompletableFuture<List<BreakpointInfo>> listBreakpoints();

    /**
     * {@code x}, and symbols in expressions and displays: the target's symbols matching a WinDbg pattern ({@code *},
     * {@code ?}); all when empty. {@code MODULE!PATTERN} searches only the modules whose name matches {@code MODULE}
     * (a library's symbols come back named {@code module!symbol}, the program's plainly). Since 1.3.
     */
    CompletableFuture<List<Symbol>> listSymbols(String pattern);

    /** {@code lm}: the loaded image(s) with their sections. Since 1.3. */
    CompletableFuture<List<LoadedModule>> listModules();

    /** Halts a running target; a break record with reason PAUSE follows. */
    CompletableFuture<Void> pause();

    CompletableFuture<AgentStatus> status();

    /**
     * HyperDbg's {@code ~ N}: selects core {@code core} (each thread of the program runs on a core of its own), whose
     * registers {@link #readRegisters} and {@link #writeRegister} then read and write and which {@link #step} steps,
     * the other cores standing still. A break selects the core that broke. Since 1.10.
     *
     * @return the core selected
     * @throws AgentError (in the future) INVALID_ARGUMENT when the core does not exist, BAD_STATE while the target
     *                    runs, and an UnsupportedOperationException from an agent older than 1.10
     */
    default CompletableFuture<CoreInfo> selectCore(int core) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("selecting a core needs protocol 1.10"));
    }

    /** @param names register names; empty for the general-purpose registers, rip and rflags */
    CompletableFuture<Map<String, Long>> readRegisters(List<String> names);

    CompletableFuture<Void> writeRegister(String name, long value);

    /** HyperDbg's {@code rdmsr} (since protocol 1.11): MSR {@code msr} of core {@code core}. */
    CompletableFuture<Long> readMsr(int msr, int core);

    /** HyperDbg's {@code wrmsr} (since protocol 1.11), while the target is halted. */
    CompletableFuture<Void> writeMsr(int msr, long value, int core);

    /** HyperDbg's {@code cpu} (since protocol 1.11): EAX, EBX, ECX, EDX of CPUID leaf.subleaf as the guest sees them. */
    CompletableFuture<int[]> cpuid(int leaf, int subleaf);

    /**
     * HyperDbg's {@code dt} and {@code struct} (since protocol 1.13): gdb's {@code ptype /o} layout of the struct,
     * union or typedef {@code name} in the program's DWARF debug information.
     *
     * @throws UnsupportedOperationException (in the future) when this client or its agent has no such request
     */
    default CompletableFuture<String> typeLayout(String name) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client reads no types (dt)"));
    }

    /**
     * Part of a file of the target's file system, read-only (since protocol 1.17): {@code length} bytes (at most
     * {@code Protocol.MAX_FILE_READ}; 0 for the size alone) of the file the target names {@code path}, from
     * {@code offset}. What gdb's host I/O reads through the bridge.
     *
     * @return fails with {@link AgentError} NOT_FOUND where the target has no regular file, BAD_STATE for a raw image,
     *         INVALID_ARGUMENT for a path that is not absolute or an agent without the request
     */
    default CompletableFuture<FilePart> readFile(String path, long offset, int length) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client reads no files"));
    }

    /**
     * Since protocol 1.18: while {@code on}, a program a signal is about to end stops first (a FAULT break, the signal
     * its context; its next continue or step ends it), as gdb sees it under gdbserver. The future holds the setting
     * before.
     */
    default CompletableFuture<Boolean> stopBeforeFatalSignals(boolean on) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client stops before no signal"));
    }

    /** Since protocol 1.18: the fault such a stop holds is not delivered; the next continue goes on at rip (gh). */
    default CompletableFuture<Void> discardHeldSignal() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client holds no signal"));
    }

    /** Since protocol 1.18: the siginfo (128 bytes) of the signal such a stop holds back; empty at any other time. */
    default CompletableFuture<byte[]> heldSignalInfo() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client reads no siginfo"));
    }

    /**
     * Since protocol 1.19: the program stops before each signal of {@code set} (bit {@code s - 1} for signal {@code
     * s}) is delivered, handled or not (a FAULT break, the signal its context). The future holds the set before.
     */
    default CompletableFuture<Long> stopBeforeSignals(long set) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client stops before no signal"));
    }

    /**
     * Since protocol 1.19: the next continue or step goes on with {@code signal} delivered first, in place of the one a
     * stop holds (0: without it), or sent to the program at a stop that holds none (gdb's {@code signal SIG}).
     */
    default CompletableFuture<Void> resumeWithSignal(int signal) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this client sends no signal"));
    }

    /** HyperDbg's {@code flush} (since protocol 1.11): how many waiting event messages the agent discarded. */
    CompletableFuture<Long> flushMessages();

    /** HyperDbg's {@code events sc on|off} (since protocol 1.11): short-circuit the event whose break holds the target. */
    CompletableFuture<Void> shortCircuitEventInBreak(boolean on);

    /** xmm0 .. xmm15 as 16 little-endian bytes. */
    CompletableFuture<byte[]> readXmm(int index);

    CompletableFuture<Void> writeXmm(int index, byte[] sixteenBytes);

    /** Reads any length, paged in requests of at most 1 MiB. */
    CompletableFuture<byte[]> readMemory(long address, int length);

    CompletableFuture<Void> writeMemory(long address, byte[] data);

    /**
     * Hands {@code listener} every record from now on, in sequence order, on one record thread. A
     * {@link RecordListener} is also told each time the records the agent sent together have been handed over. With
     * {@link ConnectSettings#callerDriven()} the record thread is the connecting thread, in its waits, between two
     * runs of its loop: a listener may make calls and wait for their replies there, but must not wait for records.
     */
    void addRecordListener(Consumer<DebuggerRecord> listener);

    /** Called once when the connection ends, with the reason. */
    void onDisconnect(Consumer<String> listener);

    /**
     * Leaves the agent: the record listeners finish the records already read (waiting up to 2 s), which are
     * acknowledged, then the host detaches. Records read after that are not handed to the listeners: the agent keeps
     * them for the next host, so nothing is lost or shown twice (docs/protocol.md, "Delivery across disconnects").
     * Called from a record listener, the records after the one being handed over are not handed over.
     */
    @Override
    void close();
}
