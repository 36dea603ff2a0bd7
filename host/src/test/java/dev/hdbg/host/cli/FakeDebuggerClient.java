package dev.hdbg.host.cli;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.DebuggerClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A client with no agent behind it, for the tests of one verb or of the session: a small machine whose registers,
 * memory, symbols and modules the test sets, which keeps events and breakpoints and answers as the agent would, and
 * which records every request it gets ({@link #calls()}). Records are pushed by the test ({@link #emit}) and delivered
 * on the test's thread, as the client's record thread would deliver them.
 */
public final class FakeDebuggerClient implements DebuggerClient {
    /** A request the client got, with its arguments as the interface took them. */
    public record Call(String request, List<Object> arguments) {
        @Override
        public String toString() {
            return request + arguments.stream().map(FakeDebuggerClient::show).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** A mapped range of guest memory, [base, base + bytes.length). */
    private record Region(long base, byte[] bytes, String permissions, String name) {
        long end() {
            return base + bytes.length;
        }

        boolean holds(long address) {
            return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address, end()) < 0;
        }
    }

    private static final List<String> GENERAL_REGISTERS = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags");

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Consumer<DebuggerRecord>> recordListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disconnectListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> registers = new LinkedHashMap<>();
    /** The MSRs the fake CPU implements; others are refused, as the agent refuses them. */
    private final Map<Integer, Long> msrs = new LinkedHashMap<>();
    private final byte[][] xmm = new byte[16][16];
    private final List<Region> memory = new ArrayList<>();
    private final List<EventInfo> events = new ArrayList<>();
    private final List<BreakpointInfo> breakpoints = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();
    private final List<LoadedModule> modules = new ArrayList<>();
    private final AgentStatus statusAtConnect;
    /** Records that arrived but were not yet delivered when the client is closed: closing delivers them. */
    private final List<DebuggerRecord> deliveredOnClose = new CopyOnWriteArrayList<>();
    private volatile TargetState state;
    private long signalStops;
    private volatile boolean closed;
    private volatile boolean stopsAtOnce;
    private volatile boolean stopsInStepReplies;
    private volatile boolean stacksInStepReplies;
    private volatile long lastStopInReply;
    private volatile CompletableFuture<Void> stepReply;
    private final List<DebuggerRecord> heldStops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long nextEventId = 0; // as the agent: HyperDbg numbers events from 0
    private long nextActionId = 1;
    private long nextBreakpointId = 1;
    private volatile long lastSeq;

    /** A client attached to a target paused at 0x400000, with every general-purpose register 0 but rip and rflags. */
    public FakeDebuggerClient() {
        this(TargetState.PAUSED);
    }

    /** A client whose handshake found the target in {@code state}. */
    public FakeDebuggerClient(TargetState state) {
        GENERAL_REGISTERS.forEach(r -> registers.put(r, 0L));
        registers.put("rip", 0x400000L);
        registers.put("rflags", 0x202L);
        this.state = state;
        this.statusAtConnect = new AgentStatus(state, 0x400000, "fake target", List.of(), 0);
    }

    /** Maps {@code bytes} at {@code base}, named as the agent names a region ("image", "stack"). */
    public FakeDebuggerClient map(long base, byte[] bytes, String name) {
        memory.add(new Region(base, bytes, "rwx", name));
        return this;
    }

    /** Sets a register, as the target left it. */
    public synchronized FakeDebuggerClient register(String name, long value) {
        registers.put(name, value);
        return this;
    }

    /** Replaces the registers {@code r} shows: these, in this order. */
    public synchronized FakeDebuggerClient registers(Map<String, Long> shown) {
        registers.clear();
        registers.putAll(shown);
        return this;
    }

    public FakeDebuggerClient symbol(String name, long address, long size) {
        symbols.add(new Symbol(name, address, size, "function"));
        return this;
    }

    public FakeDebuggerClient module(LoadedModule module) {
        modules.add(module);
        return this;
    }

    /** Steps answer with {@code reply}, which the test completes (and sends no stop: the test emits it). */
    public FakeDebuggerClient stepsAnswerWith(CompletableFuture<Void> reply) {
        stepReply = reply;
        return this;
    }

    /**
     * Takes many steps in one request, as a 1.20 agent ("step.count"): each a plain step's break at the next rip, the
     * step numbered {@code breakpointStep} (from 1, 0 for none) a breakpoint's instead, which ends the request, and
     * the step numbered {@code exitStep} the program's exit.
     */
    public FakeDebuggerClient takesManySteps(int breakpointStep, int exitStep) {
        manySteps = new int[] {breakpointStep, exitStep};
        return this;
    }

    private volatile int[] manySteps;
    private int stepsTaken;

    @Override
    public synchronized CompletableFuture<dev.hdbg.host.client.StepsTaken> steps(StepMode mode, long count, boolean bare) {
        if (manySteps == null) {
            return dev.hdbg.host.client.DebuggerClient.super.steps(mode, count, bare);
        }
        record("steps", mode, count);
        if (state != TargetState.PAUSED) {
            return refused(AgentError.Kind.BAD_STATE, "the target has exited; its registers and memory stay readable");
        }
        long taken = 0;
        while (taken < count) {
            taken++;
            stepsTaken++;
            long rip = registers.merge("rip", 1L, Long::sum);
            if (stepsTaken == manySteps[1]) {
                emit(new DebuggerRecord.Exit(lastSeq + 1, DebuggerRecord.ExitKind.HLT, rip, 0, 0));
                break;
            }
            boolean hit = stepsTaken == manySteps[0];
            emit(new DebuggerRecord.Break(lastSeq + 1, hit ? DebuggerRecord.BreakReason.BREAKPOINT
                    : DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, rip,
                    hit ? "breakpoint 1" : DebuggerRecord.Break.STEPPED_INTO));
            if (hit) {
                break;
            }
        }
        return done(new dev.hdbg.host.client.StepsTaken(taken, lastSeq));
    }

    /** Lets the target stop as soon as it runs: a continue or a step is followed by a break record at once. */
    public FakeDebuggerClient stopsAtOnce() {
        stopsAtOnce = true;
        return this;
    }

    /**
     * Steps answer with their stop, as a 1.15 agent that took the step at once ({@link #stepWithStop}); the record
     * itself reaches the listeners only at {@link #deliverHeldStops}, as the real client's listener thread may deliver
     * it after the caller has the reply.
     */
    public FakeDebuggerClient stopsInStepReplies() {
        stopsInStepReplies = true;
        return this;
    }

    /**
     * {@link #stopsInStepReplies}, and the stack a step asks for comes with its stop, as an agent that announces
     * "step.stop-memory" sends it (since 1.15): the part below rsp left out when unmapped, nothing when unreadable.
     */
    public FakeDebuggerClient stacksInStepReplies() {
        stacksInStepReplies = true;
        return stopsInStepReplies();
    }

    /** The stops {@link #stopsInStepReplies} answered with, to the listeners now. */
    public void deliverHeldStops() {
        List<DebuggerRecord> held = List.copyOf(heldStops);
        heldStops.clear();
        held.forEach(this::emit);
    }

    /** Every request so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests so far named {@code request}. */
    public List<Call> calls(String request) {
        return calls.stream().filter(c -> c.request().equals(request)).toList();
    }

    public boolean closed() {
        return closed;
    }

    /** A record the client received but had not delivered yet when it is closed. */
    public void receiveBeforeClose(DebuggerRecord record) {
        deliveredOnClose.add(record);
    }

    /** The memory at {@code address}, as the target sees it now. */
    public byte[] memory(long address, int length) {
        return read(address, length);
    }

    public long registerValue(String name) {
        return registers.get(name);
    }

    /** Delivers a record as the client's record thread would; a break or an exit stops the target. */
    public void emit(DebuggerRecord record) {
        lastSeq = Math.max(lastSeq, record.seq());
        if (record instanceof DebuggerRecord.Break) {
            state = TargetState.PAUSED;
        } else if (record instanceof DebuggerRecord.Exit) {
            state = TargetState.EXITED;
        }
        recordListeners.forEach(l -> {
            l.accept(record);
            if (l instanceof dev.hdbg.host.client.RecordListener batched) {
                batched.batchDelivered(); // one record a batch, as an agent sending each at once
            }
        });
    }

    private void record(String request, Object... arguments) {
        calls.add(new Call(request, Arrays.asList(arguments)));
    }

    private static String show(Object argument) {
        return switch (argument) {
            case null -> "null";
            case Long l -> "0x" + Long.toHexString(l);
            case byte[] b -> HexFormat.of().formatHex(b);
            default -> argument.toString();
        };
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static <T> CompletableFuture<T> refused(AgentError.Kind kind, String message) {
        return CompletableFuture.failedFuture(new AgentError(kind, message));
    }

    @Override
    public ConnectSettings settings() {
        return ConnectSettings.defaults();
    }

    @Override
    public AttachMode attachMode() {
        return AttachMode.CONTROL;
    }

    @Override
    public Optional<String> tookOverFrom() {
        return Optional.empty();
    }

    @Override
    public ResumePoint resumePoint() {
        return new ResumePoint("fake-run", lastSeq);
    }

    @Override
    public AgentStatus statusAtConnect() {
        return statusAtConnect;
    }

    @Override
    public synchronized CompletableFuture<AddedEvent> addEvent(EventSpec spec) {
        record("addEvent", spec);
        long id = nextEventId++;
        List<Long> actionIds = new ArrayList<>();
        spec.actions().forEach(a -> actionIds.add(nextActionId++));
        events.add(new EventInfo(id, spec, actionIds, spec.enabled(), 0));
        return done(new AddedEvent(id, actionIds));
    }

    @Override
    public synchronized CompletableFuture<Long> addAction(long eventId, ActionSpec action) {
        record("addAction", eventId, action);
        return refused(AgentError.Kind.INVALID_ARGUMENT, "the fake does not add actions to events");
    }

    @Override
    public CompletableFuture<List<Long>> enableEvent(long eventId) {
        record("enableEvent", eventId);
        return modifyEvents(eventId, EventModification.ENABLE);
    }

    @Override
    public CompletableFuture<List<Long>> disableEvent(long eventId) {
        record("disableEvent", eventId);
        return modifyEvents(eventId, EventModification.DISABLE);
    }

    @Override
    public CompletableFuture<List<Long>> clearEvent(long eventId) {
        record("clearEvent", eventId);
        return modifyEvents(eventId, EventModification.CLEAR);
    }

    @Override
    public CompletableFuture<List<Long>> modifyAllEvents(EventModification modification) {
        record("modifyAllEvents", modification);
        return modifyEvents(null, modification);
    }

    private synchronized CompletableFuture<List<Long>> modifyEvents(Long id, EventModification modification) {
        List<Long> ids = events.stream().map(EventInfo::id).filter(e -> id == null || e.equals(id)).toList();
        if (id != null && ids.isEmpty()) {
            return refused(AgentError.Kind.NOT_FOUND, "no event " + id);
        }
        events.replaceAll(e -> ids.contains(e.id()) && modification != EventModification.CLEAR
                ? new EventInfo(e.id(), e.spec(), e.actionIds(), modification == EventModification.ENABLE, e.hits()) : e);
        if (modification == EventModification.CLEAR) {
            events.removeIf(e -> ids.contains(e.id()));
        }
        return done(ids);
    }

    @Override
    public synchronized CompletableFuture<List<EventInfo>> listEvents() {
        record("listEvents");
        return done(List.copyOf(events));
    }

    @Override
    public CompletableFuture<Void> cont() {
        record("cont");
        return run();
    }

    @Override
    public CompletableFuture<Void> runTo(long address) {
        record("runTo", address);
        return run();
    }

    @Override
    public CompletableFuture<Void> step(StepMode mode) {
        record("step", mode);
        if (stepReply != null) {
            return stepReply;
        }
        return run();
    }

    /** Recorded as a "step" too; {@link #bareSteps} counts it apart. */
    @Override
    public CompletableFuture<Void> stepBare(StepMode mode) {
        bareSteps.incrementAndGet();
        return step(mode);
    }

    /** How many steps asked for their stop without the registers (since 1.16). */
    public long bareSteps() {
        return bareSteps.get();
    }

    private final java.util.concurrent.atomic.AtomicLong bareSteps = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public CompletableFuture<Optional<DebuggerRecord>> stepWithStop(StepMode mode) {
        if (!stopsInStepReplies) {
            return DebuggerClient.super.stepWithStop(mode);
        }
        record("step", mode);
        if (state != TargetState.PAUSED) {
            return refused(AgentError.Kind.BAD_STATE, "the target is not paused");
        }
        lastSeq++;
        DebuggerRecord stop = new DebuggerRecord.Break(lastSeq, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0,
                registers.getOrDefault("rip", 0L), "stepped (t)", stopRegisters());
        heldStops.add(stop);
        lastStopInReply = stop.seq();
        return done(Optional.of(stop));
    }

    @Override
    public CompletableFuture<Optional<dev.hdbg.host.client.StepStop>> stepWithStop(StepMode mode,
                                                                                    dev.hdbg.common.model.StackWindow window) {
        if (!stacksInStepReplies) {
            return DebuggerClient.super.stepWithStop(mode, window);
        }
        return stepWithStop(mode).thenApply(stop -> stop.map(s -> new dev.hdbg.host.client.StepStop(s,
                Optional.of(stackAt(window)))));
    }

    /** Recorded as "rangeStep" with the range's ends, then one step, as an agent may answer gdb's range stepping. */
    @Override
    public CompletableFuture<Optional<dev.hdbg.host.client.StepStop>> stepWithStop(
            dev.hdbg.common.model.StackWindow window, dev.hdbg.common.model.StepRange range) {
        record("rangeStep", range.start(), range.end());
        return stepWithStop(StepMode.INTO, window);
    }

    private synchronized dev.hdbg.common.model.StackBytes stackAt(dev.hdbg.common.model.StackWindow window) {
        long rsp = registers.getOrDefault("rsp", 0L);
        long start = window.start(rsp);
        int length = window.length(rsp, registers.getOrDefault("rbp", 0L));
        try {
            return new dev.hdbg.common.model.StackBytes(start, read(start, length));
        } catch (AgentError belowRsp) {
            try {
                return new dev.hdbg.common.model.StackBytes(rsp, read(rsp, (int) (length - (rsp - start))));
            } catch (AgentError unreadable) {
                return new dev.hdbg.common.model.StackBytes(start, new byte[0]);
            }
        }
    }

    @Override
    public boolean cameWithStepReply(DebuggerRecord stop) {
        return stopsInStepReplies && stop.seq() == lastStopInReply;
    }

    /** The registers a 1.9 break record carries, from this fake's registers (0 for those it does not hold). */
    private Map<dev.hdbg.common.event.GuestRegister, Long> stopRegisters() {
        Map<dev.hdbg.common.event.GuestRegister, Long> values = new java.util.EnumMap<>(dev.hdbg.common.event.GuestRegister.class);
        for (dev.hdbg.common.event.GuestRegister register : dev.hdbg.common.event.GuestRegister.AT_STOP) {
            values.put(register, registers.getOrDefault(register.name().toLowerCase(java.util.Locale.ROOT), 0L));
        }
        return values;
    }

    private CompletableFuture<Void> run() {
        switch (state) {
            case RUNNING -> {
                return refused(AgentError.Kind.BAD_STATE, "the target is already running");
            }
            case EXITED -> {
                return refused(AgentError.Kind.BAD_STATE, "the target has exited; its registers and memory stay readable");
            }
            case PAUSED -> state = TargetState.RUNNING;
        }
        if (stopsAtOnce) {
            emit(new DebuggerRecord.Break(lastSeq + 1, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0,
                    registers.getOrDefault("rip", 0L), "stopped"));
        }
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Long> addBreakpoint(long address, MachineCode condition) {
        return addBreakpoint(address, condition, dev.hdbg.common.event.Scope.ALL);
    }

    /** Recorded as addBreakpoint(address, condition), with the scope as a third argument when it is not all. */
    @Override
    public synchronized CompletableFuture<Long> addBreakpoint(long address, MachineCode condition,
                                                              dev.hdbg.common.event.Scope scope) {
        if (scope.isAll()) {
            record("addBreakpoint", address, condition);
        } else {
            record("addBreakpoint", address, condition, scope);
        }
        long id = nextBreakpointId++;
        breakpoints.add(new BreakpointInfo(id, address, true, condition != null, 0, scope));
        return done(id);
    }

    @Override
    public synchronized CompletableFuture<List<Long>> modifyBreakpoints(long id, boolean all, EventModification modification) {
        record("modifyBreakpoints", id, all, modification);
        List<Long> ids = breakpoints.stream().map(BreakpointInfo::id).filter(b -> all || b == id).toList();
        if (!all && ids.isEmpty()) {
            return refused(AgentError.Kind.NOT_FOUND, "no breakpoint " + id);
        }
        breakpoints.replaceAll(b -> ids.contains(b.id()) && modification != EventModification.CLEAR
                ? new BreakpointInfo(b.id(), b.address(), modification == EventModification.ENABLE, b.conditional(), b.hits(),
                        b.scope()) : b);
        if (modification == EventModification.CLEAR) {
            breakpoints.removeIf(b -> ids.contains(b.id()));
        }
        return done(ids);
    }

    @Override
    public synchronized CompletableFuture<List<BreakpointInfo>> listBreakpoints() {
        record("listBreakpoints");
        return done(List.copyOf(breakpoints));
    }

    @Override
    public CompletableFuture<List<Symbol>> listSymbols(String pattern) {
        record("listSymbols", pattern);
        // As the agent: MODULE!PATTERN searches the modules whose name matches MODULE, a bare PATTERN every module.
        int bang = pattern.indexOf('!');
        if (bang >= 0) {
            String module = wildcardRegex(pattern.substring(0, bang));
            synchronized (this) {
                if (modules.stream().noneMatch(m -> m.name().matches(module))) {
                    return done(List.of());
                }
            }
        }
        String regex = wildcardRegex(pattern.substring(bang + 1));
        return done(symbols.stream().filter(s -> s.name().matches(regex)).toList());
    }

    /** WinDbg's wildcards: * any run, ? one character; empty matches everything. */
    private static String wildcardRegex(String pattern) {
        return pattern.isEmpty() ? ".*" : Arrays.stream(pattern.split("", -1)).map(c -> switch (c) {
            case "*" -> ".*";
            case "?" -> ".";
            default -> java.util.regex.Pattern.quote(c);
        }).collect(Collectors.joining());
    }

    @Override
    public CompletableFuture<List<LoadedModule>> listModules() {
        record("listModules");
        return done(List.copyOf(modules));
    }

    @Override
    public CompletableFuture<Void> pause() {
        record("pause");
        if (state == TargetState.RUNNING) {
            emit(new DebuggerRecord.Break(lastSeq + 1, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0,
                    registers.getOrDefault("rip", 0L), "paused by the host"));
        }
        return done(null);
    }

    /** What {@link #evaluate} answers next; the fake runs no script. */
    private volatile Evaluation nextEvaluation = new Evaluation(0, List.of());

    public FakeDebuggerClient answerEvaluations(Evaluation evaluation) {
        nextEvaluation = evaluation;
        return this;
    }

    @Override
    public CompletableFuture<Evaluation> evaluate(String script, boolean expression) {
        record("evaluate", script, expression);
        return done(nextEvaluation);
    }

    @Override
    public CompletableFuture<AgentStatus> start(Optional<String> path, List<String> args) {
        record("start", path, args);
        return status();
    }

    @Override
    public CompletableFuture<CallTrack> track(long count, boolean registers) {
        record("track", count, registers);
        return done(new CallTrack(List.of(), count, 0));
    }

    @Override
    public CompletableFuture<Void> kill() {
        record("kill");
        return done(null);
    }

    @Override
    public CompletableFuture<AgentStatus> status() {
        record("status");
        List<MemoryRegion> regions = memory.stream()
                .map(r -> new MemoryRegion(r.base(), r.end(), r.permissions(), r.name())).toList();
        return done(new AgentStatus(state, registers.getOrDefault("rip", 0L), "fake target", regions, lastSeq));
    }

    @Override
    public synchronized CompletableFuture<Map<String, Long>> readRegisters(List<String> names) {
        record("readRegisters", names);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String name : names.isEmpty() ? List.copyOf(registers.keySet()) : names) {
            Long value = registers.get(name.toLowerCase(Locale.ROOT));
            if (value == null) {
                return refused(AgentError.Kind.INVALID_ARGUMENT, "no register " + name);
            }
            values.put(name, value);
        }
        return done(values);
    }

    @Override
    public synchronized CompletableFuture<Void> writeRegister(String name, long value) {
        record("writeRegister", name, value);
        if (state == TargetState.RUNNING) {
            return refused(AgentError.Kind.BAD_STATE, "the target is running; pause it first (pause) to change registers");
        }
        registers.put(name, value);
        return done(null);
    }

    /** Gives the fake CPU MSR {@code msr}, holding {@code value}. */
    public synchronized FakeDebuggerClient msr(int msr, long value) {
        msrs.put(msr, value);
        return this;
    }

    @Override
    public synchronized CompletableFuture<Long> readMsr(int msr, int core) {
        record("readMsr", msr, core);
        Long value = msrs.get(msr);
        return value == null ? CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT,
                "MSR 0x" + Integer.toHexString(msr) + " is not implemented by the emulated CPU")) : done(value);
    }

    @Override
    public synchronized CompletableFuture<Void> writeMsr(int msr, long value, int core) {
        record("writeMsr", msr, value, core);
        if (!msrs.containsKey(msr)) {
            return CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT,
                    "MSR 0x" + Integer.toHexString(msr) + " is not implemented by the emulated CPU"));
        }
        msrs.put(msr, value);
        return done(null);
    }

    private final Map<Long, int[]> cpuid = new LinkedHashMap<>();

    /** The fake CPU's CPUID leaf.subleaf; a leaf not given answers zeros, as a CPU answers above its last leaf. */
    public synchronized FakeDebuggerClient cpuid(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
        cpuid.put((long) leaf << 32 | Integer.toUnsignedLong(subleaf), new int[] {eax, ebx, ecx, edx});
        return this;
    }

    @Override
    public synchronized CompletableFuture<int[]> cpuid(int leaf, int subleaf) {
        record("cpuid", leaf, subleaf);
        return done(cpuid.getOrDefault((long) leaf << 32 | Integer.toUnsignedLong(subleaf), new int[4]).clone());
    }

    @Override
    public synchronized CompletableFuture<Void> shortCircuitEventInBreak(boolean on) {
        record("shortCircuitEventInBreak", on);
        return done(null);
    }

    private long messagesToFlush;

    /** How many messages the fake agent holds for the next {@code flush}. */
    public synchronized FakeDebuggerClient messagesToFlush(long count) {
        messagesToFlush = count;
        return this;
    }

    @Override
    public synchronized CompletableFuture<Long> stopBeforeSignals(long set) {
        record("stopBeforeSignals", set);
        long before = signalStops;
        signalStops = set;
        return done(before);
    }

    @Override
    public synchronized CompletableFuture<Void> resumeWithSignal(int signal) {
        record("resumeWithSignal", signal);
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<Void> discardHeldSignal() {
        record("discardHeldSignal");
        return done(null);
    }

    /** The signals the fake agent stops before (stopBeforeSignals). */
    public synchronized long signalStops() {
        return signalStops;
    }

    @Override
    public synchronized CompletableFuture<Long> flushMessages() {
        record("flushMessages");
        long flushed = messagesToFlush;
        messagesToFlush = 0;
        return done(flushed);
    }

    @Override
    public synchronized CompletableFuture<byte[]> readXmm(int index) {
        record("readXmm", index);
        return done(xmm[index].clone());
    }

    @Override
    public synchronized CompletableFuture<Void> writeXmm(int index, byte[] sixteenBytes) {
        record("writeXmm", index, sixteenBytes);
        xmm[index] = sixteenBytes.clone();
        return done(null);
    }

    @Override
    public synchronized CompletableFuture<byte[]> readMemory(long address, int length) {
        record("readMemory", address, length);
        try {
            return done(read(address, length));
        } catch (AgentError e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized CompletableFuture<Void> writeMemory(long address, byte[] data) {
        record("writeMemory", address, data);
        try {
            read(address, data.length); // all of it mapped, or nothing written
            for (int done = 0; done < data.length; ) {
                Region region = regionOf(address + done);
                int from = (int) (address + done - region.base());
                int part = Math.min(data.length - done, region.bytes().length - from);
                System.arraycopy(data, done, region.bytes(), from, part);
                done += part;
            }
        } catch (AgentError e) {
            return CompletableFuture.failedFuture(e);
        }
        return done(null);
    }

    private byte[] read(long address, int length) {
        byte[] data = new byte[length];
        for (int done = 0; done < length; ) {
            Region region = regionOf(address + done);
            int from = (int) (address + done - region.base());
            int part = Math.min(length - done, region.bytes().length - from);
            System.arraycopy(region.bytes(), from, data, done, part);
            done += part;
        }
        return data;
    }

    private Region regionOf(long address) {
        return memory.stream().filter(r -> r.holds(address)).findFirst().orElseThrow(() -> new AgentError(
                AgentError.Kind.UNMAPPED_ADDRESS, "address 0x" + Long.toHexString(address) + " is not mapped; mapped: "
                + memory.stream().map(r -> "0x" + Long.toHexString(r.base()) + "-0x" + Long.toHexString(r.end()) + " "
                + r.name()).collect(Collectors.joining(", "))));
    }

    @Override
    public void addRecordListener(Consumer<DebuggerRecord> listener) {
        recordListeners.add(listener);
    }

    @Override
    public void onDisconnect(Consumer<String> listener) {
        disconnectListeners.add(listener);
    }

    /** The connection ends for {@code reason}, as a dropped network or an agent that went away ends it. */
    public void disconnect(String reason) {
        disconnectListeners.forEach(l -> l.accept(reason));
    }

    @Override
    public void close() {
        record("close");
        deliveredOnClose.forEach(this::emit); // as a real client delivers what it received
        closed = true;
    }
}
