package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.MemoryRegionInfo;
import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitHooks;
import dev.hdbg.agent.vmx.InstructionExits;
import dev.hdbg.agent.vmx.SystemCalls;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.model.FilePart;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The debugger as the server sees it: every operation of the protocol, typed, asynchronous and
 * thread-safe. Each runs on the execution thread at a safe point; failures complete the future
 * with a {@link DebuggerException}. It is over 400 lines because it is the one typed entry of every operation of the
 * protocol, a few lines each, handing the work to the classes that do it.
 */
public final class Debugger implements AutoCloseable {
    private final Machine machine;
    private final VmxRoot root;
    private final EventRegistry registry;
    private final Breakpoints breakpoints;
    private volatile TargetInfo target;
    private final ExitHooks hooks;
    private final RecordQueue queue;
    private final ExecutionLoop loop;
    private final ScriptActions scripts;
    private final TargetStarts starts;
    /** {@code ?}'s own GUEST_REGS frame: an exit's may be in use when the host evaluates during a break. */
    private final GuestRegs evaluationFrame = new GuestRegs();
    /** The last status the execution thread computed, for {@link #statusWithin}. */
    private volatile AgentStatus lastStatus;

    /**
     * Wires the debugger around a loaded machine and starts its execution thread; the guest
     * starts paused.
     */
    public Debugger(Machine machine, Limits limits, RecordQueue queue) {
        this.machine = machine;
        this.queue = queue;
        this.root = new VmxRoot(machine, limits.codeBudget());
        this.registry = new EventRegistry(root, limits);
        LogTaker where = new LogTaker(machine, logTarget::get);
        this.breakpoints = new Breakpoints(machine, root, limits, where);
        this.loop = new ExecutionLoop(machine, registry, breakpoints, queue, where);
        ActionRunner actions = new ActionRunner(machine, root, registry, breakpoints, queue, loop, logTarget::get);
        this.scripts = actions.scripts();
        ExitHandler handler = loop.gated(actions);
        InstructionExits instructions = new InstructionExits(machine, root);
        instructions.start(handler);
        this.hooks = new ExitHooks(machine, handler, instructions);
        hooks.start();
        loop.start(hooks, instructions, handler);
        this.starts = new TargetStarts(this, machine, loop, queue);
    }

    public RecordQueue records() {
        return queue;
    }

    /** What the loaded program is: symbols, modules, ids. Set once, before hosts attach. */
    public void setTarget(TargetInfo info) {
        this.target = info;
        logTarget.set(info);
    }

    private final AtomicReference<TargetInfo> logTarget = new AtomicReference<>();

    /** Gives the guest an operating system (an ELF program's Linux layer); before it first runs. */
    public void setSystemCalls(SystemCalls calls) {
        hooks.setSystemCalls(calls);
    }

    /** Any thread: something arrived from outside the machine (a forwarded port): an idle guest looks again. */
    public void wakeForOutside() {
        loop.wakeForOutside();
    }

    /** How the target is started again; without one, {@link #start} is refused. */
    public void setStarter(TargetStarter starter) {
        starts.setStarter(starter);
    }

    /**
     * HyperDbg's {@code .restart} (empty {@code program}) and {@code .start path}: ends the target if it is alive
     * (an exit record, as {@link #kill}), empties the machine and loads the target again, paused at its entry. Events,
     * breakpoints and the record sequence stay; a notice record says what started.
     *
     * @return the new target's status; failed with INVALID_ARGUMENT when it cannot be started (the machine is then
     *         empty when the failure came from loading it) or BAD_STATE when the agent has no {@link TargetStarter}
     */
    public CompletableFuture<AgentStatus> start(Optional<TargetStarter.Program> program) {
        return starts.start(program);
    }

    /** HyperDbg's {@code .kill}: the target ends now, with an exit record as SIGKILL gives; BAD_STATE when it has. */
    public CompletableFuture<Void> kill() {
        return starts.kill();
    }

    /** {@code x}, and the symbols the host resolves and shows addresses with: the selected process's. */
    public CompletableFuture<List<Symbol>> listSymbols(String pattern) {
        return selectedProcess().thenApply(info -> info == null ? List.of() : info.symbols(pattern));
    }

    /** HyperDbg's {@code dt} and {@code struct}: gdb's layout of {@code type} ({@link TypeLayouts}). */
    public CompletableFuture<String> typeLayout(String type) {
        return selectedProcess().thenCompose(info -> types.layout(type, info == null ? Optional.empty()
                : info.programFile()));
    }

    private final TypeLayouts types = new TypeLayouts();

    /**
     * Part of a file of the target's file system, read-only ({@link TargetFiles}): what gdb's host I/O reads through
     * the bridge. The target of the selected process; its processes share one root.
     */
    public CompletableFuture<FilePart> readFile(String path, long offset, long length) {
        TargetInfo info = target;
        if (info == null || !path.startsWith("/proc/")) {
            return files.read(info == null ? null : info.files(), path, offset, length);
        }
        // /proc/PID/auxv and the like are the guest's operating system's, made up as the program would read them; the
        // host's /proc (with --root /, the agent's own and other processes') is never read for it.
        return loop.submitReading(() -> info.procFile(path)).thenApply(made -> TargetFiles.part(made.orElseThrow(() ->
                DebuggerException.notFound("the target's /proc has no file " + (path.length() > 200
                        ? path.substring(0, 200) + "..." : path) + " (its processes' auxv, cmdline, comm, maps ...)")),
                offset, length));
    }

    private final TargetFiles files = new TargetFiles();

    /** {@code lm}: the selected process's modules. */
    public CompletableFuture<List<LoadedModule>> listModules() {
        return selectedProcess().thenApply(info -> info == null ? List.of() : info.modules());
    }

    /**
     * The target as the process of the selected core sees it ({@code .process pid N}, {@code ~ N}, the core that
     * broke): after an execve, another program's modules and symbols. Null before a target is loaded.
     */
    private CompletableFuture<TargetInfo> selectedProcess() {
        TargetInfo info = target;
        if (info == null) {
            return CompletableFuture.completedFuture(null);
        }
        return loop.submitReading(() -> {
            int core = loop.selectedCore();
            var vcpus = machine.vcpus();
            return info.ofProcess(vcpus.exists(core) ? vcpus.pid(core) : vcpus.currentPid());
        });
    }

    public CompletableFuture<EventInfo> addEvent(EventSpec spec) {
        return loop.submit(() -> {
            Event event = registry.add(spec);
            return new EventInfo(event.id(), event.spec(), event.actions().stream().map(Action::id).toList(),
                    event.enabled(), 0);
        });
    }

    /** spec: DebuggerAddActionToEvent; the action runs after the event's existing ones. */
    public CompletableFuture<Long> addActionToEvent(long eventId, ActionSpec action) {
        return loop.submit(() -> registry.addAction(eventId, action).id());
    }

    /** @param eventId the event, or null for all of them */
    public CompletableFuture<List<Long>> modifyEvents(Long eventId, EventModification modification) {
        return loop.submit(() -> registry.modify(eventId, modification));
    }

    public CompletableFuture<List<EventInfo>> listEvents() {
        return loop.submitReading(registry::list);
    }

    /**
     * HyperDbg's {@code ?} and {@code print}: checks, compiles and runs a script once at the next safe point, in the
     * machine's global variables. Its register and memory writes reach the guest.
     *
     * @param expression whether {@code text} is one expression whose value is wanted, else statements
     */
    public CompletableFuture<Evaluation> evaluate(String text, boolean expression) {
        return loop.submit(() -> {
            evaluationFrame.invalidate();
            return scripts.evaluate(text, expression, evaluationFrame);
        });
    }

    public CompletableFuture<Void> cont() {
        long run = loop.askToRun();
        return loop.submit(() -> {
            loop.resume(run);
            return null;
        });
    }

    /** {@code g ADDR}: runs until execution reaches {@code address} (a one-shot breakpoint). */
    public CompletableFuture<Void> runTo(long address) {
        long run = loop.askToRun();
        return loop.submit(() -> {
            loop.runTo(address, run);
            return null;
        });
    }

    /** {@code t}, {@code p}, {@code gu}: a break record with reason STEP ends the step. */
    public CompletableFuture<Void> step(StepMode mode) {
        return step(mode, null).thenApply(stop -> null);
    }

    /**
     * {@link #step(StepMode)} for {@code host}, the acknowledging host that asked, which takes the step's stop with its
     * reply (since 1.15; null for none): when the step was taken at once and the record queue allowed it
     * ({@link RecordQueue#publishForReply}), the future holds the stop, which is not sent to {@code host} in a batch;
     * else it is empty and the stop is sent as a record.
     */
    public CompletableFuture<Optional<DebuggerRecord>> step(StepMode mode, RecordSink host) {
        return step(mode, host, null).thenApply(stop -> stop.map(StopInReply::stop));
    }

    /**
     * {@link #step(StepMode, RecordSink)}, with the stack {@code window} asks for (since 1.15, "step.stop-memory";
     * null for none) read at the stop that comes with the reply, on the thread that took the step.
     */
    public CompletableFuture<Optional<StopInReply>> step(StepMode mode, RecordSink host, StackWindow window) {
        return step(mode, host, window, null);
    }

    /**
     * {@link #step(StepMode, RecordSink, StackWindow)} as gdb's range stepping when {@code range} is not null (since
     * 1.20): a step taken at once goes on while it stops inside the range, and only its last stop is published.
     */
    public CompletableFuture<Optional<StopInReply>> step(StepMode mode, RecordSink host, StackWindow window,
                                                         StepRange range) {
        return loop.submitStep(mode, loop.askToRun(), host, window, range);
    }

    /**
     * Up to {@code count} steps INTO of the paused target (since 1.20, "step.count"), as many as can be taken at once,
     * each stop a record ({@link ExecutionLoop#submitSteps}); the future holds how many ran.
     */
    public CompletableFuture<StepsTaken> steps(int count) {
        return loop.submitSteps(count, loop.askToRun());
    }

    /**
     * HyperDbg's {@code !track}: runs the paused target for {@code count} instructions, looking at each, and answers
     * with the calls and returns it executed once the run ends (the count, a break, the target's end). A run ended by
     * its count leaves a break record with reason STEP.
     */
    public CompletableFuture<CallTrack> track(long count, boolean registers) {
        CompletableFuture<CallTrack> tracked = new CompletableFuture<>();
        long run = loop.askToRun();
        loop.submit(() -> {
            loop.track(count, registers, tracked, run);
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                tracked.completeExceptionally(failure);
            }
        });
        return tracked;
    }

    /** {@code bp ADDR [condition {HEX}]}; condition may be null. */
    public CompletableFuture<Long> addBreakpoint(long address, MachineCode condition) {
        return addBreakpoint(address, condition, Scope.ALL);
    }

    /** {@code bp ADDR [pid N] [tid N] [core N] [condition {HEX}]}: stops only where {@code scope} admits. */
    public CompletableFuture<Long> addBreakpoint(long address, MachineCode condition, Scope scope) {
        return loop.submit(() -> breakpoints.add(address, condition, scope));
    }

    /** {@code be}, {@code bd}, {@code bc}; id null for all. */
    public CompletableFuture<List<Long>> modifyBreakpoints(Long id, EventModification modification) {
        return loop.submit(() -> breakpoints.modify(id, modification));
    }

    public CompletableFuture<List<BreakpointInfo>> listBreakpoints() {
        return loop.submitReading(breakpoints::list);
    }

    /** Halts a running guest; the break record follows. Pausing a halted guest does nothing. */
    public CompletableFuture<Void> pause() {
        loop.requestPause();
        return CompletableFuture.completedFuture(null);
    }

    public CompletableFuture<AgentStatus> status() {
        return loop.submitReading(() -> {
            int selected = loop.selectedCore();
            AgentStatus status = new AgentStatus(loop.state(), machine.read(selected, GuestRegister.RIP),
                    machine.targetDescription(), regions(machine.memory().regions()), queue.lastSeq(), cores(),
                    selected, loop.stopsBeforeFatalSignals(), loop.stopSignals());
            lastStatus = status;
            return status;
        });
    }

    private List<CoreInfo> cores() {
        return machine.vcpus().list().stream().map(c -> new CoreInfo(c.number(), c.tid(), c.rip(), c.state(),
                c.current(), c.pid(), c.name())).toList();
    }

    /**
     * {@code ~ N}: selects core {@code core}, whose registers {@link #readRegisters} and {@link #writeRegister} then
     * read and write and which {@link #step} steps, alone; the target must be halted.
     *
     * @return the core selected
     */
    public CompletableFuture<CoreInfo> selectCore(int core) {
        return loop.submit(() -> {
            loop.selectCore(core);
            return cores().stream().filter(c -> c.number() == core).findFirst().orElseThrow();
        });
    }

    private static List<MemoryRegion> regions(List<MemoryRegionInfo> mapped) {
        return mapped.stream().map(r -> new MemoryRegion(r.begin(), r.end(), r.permissionString(), r.name())).toList();
    }

    /** How long a status request waits for the execution thread before {@link #statusWithin} answers without it. */
    public static final Duration STATUS_WAIT = Duration.ofMillis(500);

    /**
     * The status for a host that attaches: from the execution thread when it answers within {@code wait}, else the
     * last one it gave with the current state. The execution thread may be held by a guest that waits for room in
     * the record queue, which only a host can make: a host's Hello must not wait for it.
     */
    public CompletableFuture<AgentStatus> statusWithin(Duration wait) {
        return status().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS).thenApply(status -> {
            if (status != null) {
                return status;
            }
            AgentStatus last = lastStatus;
            return new AgentStatus(loop.state(), last == null ? 0 : last.rip(), machine.targetDescription(),
                    last == null ? List.of() : last.regions(), queue.lastSeq(), last == null ? List.of() : last.cores(),
                    last == null ? 0 : last.selectedCore());
        });
    }

    public CompletableFuture<Map<GuestRegister, Long>> readRegisters(List<GuestRegister> registers) {
        return loop.submitReading(() -> {
            Map<GuestRegister, Long> values = new LinkedHashMap<>();
            int core = loop.selectedCore();
            for (GuestRegister r : registers) {
                values.put(r, machine.read(core, r));
            }
            return values;
        });
    }

    /** How many steps ran on the caller's thread, without waking the execution thread. */
    long stepsServedDirectly() {
        return loop.stepsServedDirectly();
    }

    /** How many times the kick watchdog was started (it runs only while the guest may be running), for tests. */
    long watchdogStarts() {
        return loop.watchdogStarts();
    }

    /** Whether the kick watchdog is watching: it goes on for up to one tick (5 ms) after the guest stops. For tests. */
    boolean watchdogWatching() {
        return loop.watchdogWatching();
    }

    /** How many reading requests were answered on the caller's thread, without waking the execution thread. */
    long readsServedDirectly() {
        return loop.readsServedDirectly();
    }

    public CompletableFuture<Void> writeRegister(GuestRegister register, long value) {
        return loop.submit(() -> {
            requireHalted("change registers");
            var refusal = machine.refusal(register, value);
            if (refusal.isPresent()) {
                throw DebuggerException.invalid(register.wireName() + " = 0x" + Long.toHexString(value)
                        + " is refused: " + Machine.refusalText(register, refusal.get()));
            }
            try {
                machine.write(loop.selectedCore(), register, value);
            } catch (CpuException e) {
                // A selector the GDT does not describe: loading it raises #GP or #NP, which Unicorn reports as an error.
                throw DebuggerException.invalid(register.wireName() + " = 0x" + Long.toHexString(value)
                        + " is refused: the CPU raises an exception loading it (" + e.reason() + ")"
                        + (isSelector(register) ? "; a selector must name a descriptor of the guest's GDT" : ""));
            }
            return null;
        });
    }

    private static boolean isSelector(GuestRegister register) {
        return switch (register) {
            case CS, DS, ES, FS, GS, SS -> true;
            default -> false;
        };
    }

    /** HyperDbg's {@code rdmsr}: MSR {@code msr} of core {@code core}; an MSR the CPU lacks is refused. */
    public CompletableFuture<Long> readMsr(int msr, int core) {
        return loop.submitReading(() -> {
            requireCore(core);
            ModelSpecificRegisters.requireKnown(msr);
            return readMsrChecked(msr);
        });
    }

    /** HyperDbg's {@code wrmsr}, while halted. */
    public CompletableFuture<Void> writeMsr(int msr, long value, int core) {
        return loop.submit(() -> {
            requireCore(core);
            ModelSpecificRegisters.requireKnown(msr);
            requireHalted("change MSRs");
            try {
                machine.cpu().writeMsr(msr, value);
            } catch (CpuException e) {
                throw DebuggerException.invalid("wrmsr 0x" + Integer.toHexString(msr) + " = 0x" + Long.toHexString(value)
                        + " is refused: " + e.reason());
            }
            return null;
        });
    }

    private long readMsrChecked(int msr) {
        try {
            return machine.cpu().readMsr(msr);
        } catch (CpuException e) {
            throw DebuggerException.invalid("rdmsr 0x" + Integer.toHexString(msr) + " is refused: " + e.reason());
        }
    }

    /** HyperDbg's {@code cpu}: EAX, EBX, ECX, EDX of CPUID {@code leaf}.{@code subleaf} as the guest sees them. */
    public CompletableFuture<long[]> cpuid(long leaf, long subleaf) {
        return loop.submitReading(() -> root.guestCpuid(leaf, subleaf));
    }

    /** {@link #cpuid} on the execution thread itself (a system call's), without going through its mailbox. */
    public long[] cpuidHere(long leaf, long subleaf) {
        return root.guestCpuid(leaf, subleaf);
    }

    /**
     * HyperDbg's {@code flush}: the event messages (log, buffer, script output) still waiting to be sent become lost
     * records, which the host is told of; how many went. Not on the execution thread: the queue has its own lock.
     */
    public CompletableFuture<Long> flushMessages() {
        return CompletableFuture.completedFuture(queue.flushMessages());
    }

    /**
     * Since 1.18: while {@code on}, a program that a signal's default action is about to end stops first (a break
     * with reason FAULT and the signal as its context); its next continue or step ends it.
     *
     * @return the setting before
     */
    public CompletableFuture<Boolean> stopBeforeFatalSignals(boolean on) {
        return loop.submit(() -> loop.stopBeforeFatalSignals(on));
    }

    /**
     * Since 1.18: the siginfo (Linux's 128 bytes) of the signal a stop before a fatal signal holds back, as gdb's
     * {@code $_siginfo} reads it; empty when the target is not stopped so.
     */
    public CompletableFuture<byte[]> heldSignalInfo() {
        return loop.submitReading(loop::heldSignalInfo);
    }

    /**
     * Since 1.18: the fault a stop before a fatal signal holds is not delivered; the next continue goes on at RIP
     * (WinDbg's {@code gh}, gdb's {@code signal 0}).
     */
    public CompletableFuture<Void> discardHeldSignal() {
        return loop.submit(() -> {
            loop.discardHeldSignal();
            return null;
        });
    }

    /**
     * Since 1.19: the program started stops before each signal of {@code set} (bit {@code s - 1} for signal {@code s})
     * is delivered, handled or not.
     *
     * @return the set before
     */
    public CompletableFuture<Long> stopBeforeSignals(long set) {
        return loop.submit(() -> loop.stopBeforeSignals(set));
    }

    /**
     * Since 1.19: the next continue or step goes on with {@code signal} delivered first, in place of the one a stop
     * holds (0: none), or sent at a stop that holds none (gdb's {@code signal SIG}).
     */
    public CompletableFuture<Void> resumeWithSignal(int signal) {
        return loop.submit(() -> {
            loop.resumeWithSignal(signal);
            return null;
        });
    }

    /** HyperDbg's {@code events sc on|off}: short-circuits (or not) the event whose break holds the target. */
    public CompletableFuture<Void> shortCircuitEventInBreak(boolean on) {
        return loop.submit(() -> {
            loop.shortCircuitEventInBreak(on);
            return null;
        });
    }

    /** One emulated core: core 0. */
    private static void requireCore(int core) {
        if (core != 0) {
            throw DebuggerException.invalid("core " + Integer.toUnsignedString(core, 16)
                    + " does not exist: the target has one core, core 0");
        }
    }

    /** XMM{@code index} as 16 little-endian bytes. */
    public CompletableFuture<byte[]> readXmm(int index) {
        return loop.submitReading(() -> {
            requireOnCpu("xmm registers");
            return machine.cpu().readXmm(index);
        });
    }

    /** The XMM registers of a core off the CPU stay in its saved context, which hdbg does not read apart. */
    private void requireOnCpu(String what) {
        if (loop.selectedCore() != machine.vcpus().current()) {
            throw DebuggerException.invalid("the " + what + " of core " + loop.selectedCore() + " are saved while "
                    + "another core runs: select core " + machine.vcpus().current() + " (~ " + machine.vcpus().current()
                    + "), or step core " + loop.selectedCore() + " (t) to put it on the CPU");
        }
    }

    public CompletableFuture<Void> writeXmm(int index, byte[] value) {
        return loop.submit(() -> {
            requireHalted("change registers");
            requireOnCpu("xmm registers");
            machine.cpu().writeXmm(index, value);
            return null;
        });
    }

    public CompletableFuture<byte[]> readMemory(long address, int length) {
        return loop.submitReading(() -> {
            try {
                return machine.memory().read(address, length);
            } catch (UnmappedAddressException e) {
                throw new DebuggerException(DebuggerException.Kind.UNMAPPED_ADDRESS, e.getMessage());
            }
        });
    }

    public CompletableFuture<Void> writeMemory(long address, byte[] data) {
        return loop.submit(() -> {
            requireHalted("change memory");
            try {
                machine.memory().write(address, data);
            } catch (UnmappedAddressException e) {
                throw new DebuggerException(DebuggerException.Kind.UNMAPPED_ADDRESS, e.getMessage());
            }
            return null;
        });
    }

    private void requireHalted(String what) {
        if (loop.state() == TargetState.RUNNING) {
            throw DebuggerException.badState("the target is running; pause it first (pause) to " + what);
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        root.close();
    }
}
