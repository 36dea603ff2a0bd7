package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.Cpu.Hook;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.Positional;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns Unicorn hooks into {@link VmExit}s for the exits that need a hook: execution of an address
 * ({@code !epthook}, {@code !epthook2}), every instruction ({@code !trace}), memory accesses ({@code !monitor}), CPUID, IN/OUT and
 * SYSCALL (and with it {@link ModeTransitions}). An exit costs nothing while it is not armed: an execution hook
 * covers exactly its address (Unicorn instruments only the instructions inside a hook's range), a monitor only its
 * range, and the instruction hooks exist only while an event needs them. The fault-driven exits live in
 * {@link InstructionExits}.
 *
 * <p>{@link #arm} changes Unicorn's hook list, so the execution loop calls it only at safe points. Just over 400 lines:
 * the code hooks ({@code !epthook}, {@code !epthook2}, breakpoints, {@code !monitor x}, {@code !trace}) share one
 * suppression of a held-back instruction, and a system call's exits (SYSCALL, the mode transitions, the return) stay
 * in the one hook that raises them in order.
 */
public final class ExitHooks {
    private static final long NONE = -1;

    private final Machine machine;
    private final Cpu guest;
    private final ExitHandler handler;
    private final InstructionExits instructions;
    private final Map<Long, Hook> executionHooks = new HashMap<>();
    private final Map<Long, Hook> detourHooks = new HashMap<>();
    private final Map<Long, Hook> breakpointHooks = new HashMap<>();
    private final List<Hook> monitorHooks = new ArrayList<>();
    /** Before every instruction while a {@code !trace} event is enabled; null otherwise. */
    private Hook traceHook;
    private ArmedExits armed = ArmedExits.NONE;
    private volatile SystemCalls systemCalls;
    private long suppressExecutionAt = NONE;
    private long lastCodeExit = NONE;
    private boolean stepping;

    public ExitHooks(Machine machine, ExitHandler handler, InstructionExits instructions) {
        this.machine = machine;
        this.guest = machine.cpu();
        this.handler = handler;
        this.instructions = instructions;
    }

    /** Gives the guest an operating system: its SYSCALLs are performed (unless short-circuited). */
    public void setSystemCalls(SystemCalls calls) {
        this.systemCalls = calls;
        instructions.setSystemCalls(calls);
    }

    /** The guest's operating system, or one that does nothing (a raw image): what it has due, and its threads. */
    public SystemCalls system() {
        return systemCalls == null ? SystemCalls.NONE : systemCalls;
    }

    /** Installs the hooks that are always there: IN, OUT, SYSCALL and CPUID, which the agent emulates. */
    public void start() {
        guest.onIn(this::onIn);
        guest.onOut(this::onOut);
        guest.onSyscall(this::onSyscall);
        // Every CPUID is answered by the agent (CpuidModel completes what Unicorn reports); costs nothing elsewhere.
        guest.onCpuid(this::onCpuid);
    }

    /** Makes the hooks match {@code wanted}; only at a safe point. */
    public void arm(ArmedExits wanted) {
        armAddresses(executionHooks, wanted.executions(), a -> {
            // One exit object per address, made now, as for detours: a new one each hit was a tenth of a hot script
            // condition's exit path (docs/benchmarks.md, "Exit path, wave 5"). A VmExit is immutable.
            VmExit exit = VmExit.pre(ExitReason.EPT_HOOK, a);
            return guest.beforeInstructions(a, a, (address, size) -> onExecution(exit, size));
        });
        armAddresses(breakpointHooks, wanted.breakpoints(), a -> {
            VmExit exit = VmExit.pre(ExitReason.BREAKPOINT, a);
            return guest.beforeInstructions(a, a, (address, size) -> onBreakpoint(exit));
        });
        armAddresses(detourHooks, wanted.detours(), a -> {
            // One exit object per address, made now: the detour's hit allocates nothing.
            VmExit exit = VmExit.pre(ExitReason.EPT_HOOK2, a);
            return guest.beforeInstructions(a, a, (address, size) -> onDetour(exit, size));
        });
        if (!wanted.monitors().equals(armed.monitors())) {
            monitorHooks.forEach(Hook::close);
            monitorHooks.clear();
            for (ArmedExits.MonitorRange m : wanted.monitors()) {
                armMonitor(m);
            }
        }
        boolean trace = handler.watches(ExitReason.TRACE);
        if (trace != (traceHook != null)) {
            traceHook = trace ? guest.beforeEveryInstruction(this::onTrace) : close(traceHook);
        }
        armed = wanted;
        keepSuppressionToArmedHooks();
    }

    /**
     * A held-back instruction's suppression counts the hooks at its address that already ran; once some of those hooks
     * are gone (gdb removes its breakpoints at every stop and steps over the one it stopped at), the instruction runs
     * past fewer hooks, and what is left of the count would swallow the next hit of a hook armed there later: gdb's
     * breakpoint on the dynamic linker's {@code _dl_debug_state} missed every call after its first, so gdb never read
     * libc's symbols (issue 14).
     */
    private void keepSuppressionToArmedHooks() {
        if (suppressExecutionAt == NONE) {
            return;
        }
        long address = suppressExecutionAt;
        int remaining = suppressRemaining;
        suppressNextExecutionAt(address);
        if (suppressRemaining > remaining) {
            suppressRemaining = remaining; // a hook added since has not run: its first hit is not swallowed
        }
        if (suppressRemaining <= 0) {
            suppressExecutionAt = NONE;
        }
    }

    private static Hook close(Hook hook) {
        hook.close();
        return null;
    }

    private static void armAddresses(Map<Long, Hook> hooks, Set<Long> wanted,
                                     Function<Long, Hook> add) {
        hooks.entrySet().removeIf(e -> {
            if (wanted.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
        for (long address : wanted) {
            hooks.computeIfAbsent(address, add);
        }
    }

    private void armMonitor(ArmedExits.MonitorRange m) {
        // An access starting up to 7 bytes before the range still touches it; the callbacks check.
        long from = Math.max(0, m.from() - 7);
        Set<Access> data = EnumSet.copyOf(m.access());
        data.remove(Access.EXECUTE);
        if (!data.isEmpty()) {
            monitorHooks.add(guest.beforeAccess(data, from, m.to(),
                    (access, address, size, value) -> onMemory(m, access, address, size)));
        }
        if (m.access().contains(Access.READ)) {
            monitorHooks.add(guest.afterRead(from, m.to(), (access, address, size, value) -> onReadAfter(m, address, size)));
        }
        if (m.access().contains(Access.EXECUTE)) {
            // Fetches are not reported as accesses: the execute side is a code hook over the range.
            monitorHooks.add(guest.beforeInstructions(m.from(), m.to(), this::onFetch));
        }
    }

    /**
     * The instruction at {@code address} was held back after its code hooks ran: when it runs, each
     * of those hooks ({@code !epthook}, {@code !epthook2}, breakpoint, {@code !monitor x}) is skipped
     * once, so no exit is raised twice.
     */
    public void suppressNextExecutionAt(long address) {
        int hooks = (executionHooks.containsKey(address) ? 1 : 0) + (detourHooks.containsKey(address) ? 1 : 0)
                + (breakpointHooks.containsKey(address) ? 1 : 0) + (traceHook != null ? 1 : 0);
        for (ArmedExits.MonitorRange m : armed.monitors()) {
            if (m.watchesExecutionAt(address)) {
                hooks++;
            }
        }
        suppressExecutionAt = hooks == 0 ? NONE : address;
        suppressRemaining = hooks;
    }

    private int suppressRemaining;

    /** A held-back instruction's pending suppression ({@link #suppressNextExecutionAt}), as one core left it. */
    public record HeldBack(long address, int remaining) { }

    /** Takes the pending suppression away for a switch of cores: it is the held-back core's, not the next one's. */
    public HeldBack takeHeldBack() {
        HeldBack held = new HeldBack(suppressExecutionAt, suppressRemaining);
        forgetHeldBack();
        return held;
    }

    /** Gives back what {@link #takeHeldBack} took (null: nothing), when its core is on the CPU again. */
    public void restoreHeldBack(HeldBack held) {
        suppressExecutionAt = held == null ? NONE : held.address();
        suppressRemaining = held == null ? 0 : held.remaining();
    }

    /** Whether this code hook's exit at {@code address} is one of the held-back instruction's, to skip. */
    private boolean suppressed(long address) {
        if (address != suppressExecutionAt) {
            return false;
        }
        if (--suppressRemaining <= 0) {
            suppressExecutionAt = NONE;
        }
        lastCodeExit = address;
        return true;
    }

    /**
     * The address of the last exit raised by a code hook whose instruction was meant to run next,
     * or -1; a stop that lands right after that hook returns leaves RIP there with the instruction
     * not run (Unicorn checks for stops after each hook), and the loop then suppresses the repeat.
     */
    public long lastCodeExit() {
        return lastCodeExit;
    }

    /** The target starts again: no instruction of the old one is held back, none of its exits suppressed. */
    public void forgetHeldBack() {
        suppressExecutionAt = NONE;
        suppressRemaining = 0;
        lastCodeExit = NONE;
    }

    /** Forgets {@link #lastCodeExit()}; the loop calls it before each run. */
    public void forgetLastCodeExit() {
        lastCodeExit = NONE;
    }

    /** While true (a held-back instruction runs alone), execution and monitor exits are not raised. */
    public void setStepping(boolean value) {
        stepping = value;
    }

    // ---- callbacks (inside uc_emu_start) ----------------------------------------------------

    private void onExecution(VmExit exit, int size) {
        long address = exit.context();
        if (suppressed(address)) {
            return;
        }
        if (stepping) {
            return;
        }
        boolean shortCircuit = handler.onExit(exit);
        finishCodeExit(exit, address, size, shortCircuit);
    }

    /** {@code !trace}: before each instruction, with HyperDbg's step-in context; nothing to short-circuit. */
    private void onTrace(long address, int size) {
        if (suppressed(address) || stepping) {
            return;
        }
        VmExit exit = VmExit.pre(ExitReason.TRACE, Positional.TraceType.STEP_IN);
        handler.onExit(exit);
        finishCodeExit(exit, address, size, false);
    }

    /**
     * A breakpoint: a code hook, so no byte of guest memory changes and the guest reading its own
     * code sees it as it is. Stops happen inside the handler (a break), never through emuStop.
     */
    private void onBreakpoint(VmExit exit) {
        long address = exit.context();
        if (suppressed(address)) {
            return;
        }
        if (stepping) {
            return;
        }
        handler.onExit(exit);
        lastCodeExit = address;
    }

    /**
     * {@code !epthook2}, HyperDbg's detours-style hook, is the cheaper path here too: its hook
     * carries its exit ready-made and the debugger keeps the address's events in an array (no
     * lookup through all events, no allocation per hit).
     */
    private void onDetour(VmExit exit, int size) {
        long address = exit.context();
        if (suppressed(address)) {
            return;
        }
        if (stepping) {
            return;
        }
        boolean shortCircuit = handler.onExit(exit);
        finishCodeExit(exit, address, size, shortCircuit);
    }

    /**
     * After a PRE exit caught by a code hook (before its instruction): skip the instruction when
     * short-circuited, or hold it back so it runs alone and the POST stage follows it.
     */
    private void finishCodeExit(VmExit exit, long address, int size, boolean shortCircuit) {
        if (shortCircuit) {
            lastCodeExit = NONE;
            guest.write(CpuRegister.RIP, address + size); // abandons the instruction at once
            return;
        }
        if (handler.wantsPost(exit.reason(), exit.context())) {
            lastCodeExit = NONE;
            instructions.complete(Completion.StepThenPost.simple(address, exit.post()));
            guest.stop(); // in a code hook this stops before the instruction
            return;
        }
        lastCodeExit = address;
    }

    private void onFetch(long address, int size) {
        if (suppressed(address)) {
            return;
        }
        if (stepping || !handler.watches(ExitReason.MONITOR)) {
            return;
        }
        VmExit exit = VmExit.monitor(Access.EXECUTE, address, ExitStage.PRE);
        boolean shortCircuit = handler.onExit(exit);
        finishCodeExit(exit, address, size, shortCircuit);
    }

    private void onMemory(ArmedExits.MonitorRange m, Access access, long address, int size) {
        if (stepping || !m.touches(address, size)) {
            return;
        }
        VmExit exit = VmExit.monitor(access, address, ExitStage.PRE);
        boolean shortCircuit = handler.onExit(exit);
        if (access == Access.WRITE && (shortCircuit || handler.wantsPost(ExitReason.MONITOR, address))) {
            // A write hook runs before the write, and stopping here still lets the write happen
            // while the instruction is rolled back (measured on 2.0.1): keep the old bytes so the
            // loop can undo it, run the instruction alone, and discard or report after it.
            byte[] old = machine.memory().read(address, size);
            long rip = guest.read(CpuRegister.RIP);
            instructions.complete(new Completion.StepThenPost(rip,
                    handler.wantsPost(ExitReason.MONITOR, address) ? exit.post() : null, address, old, shortCircuit));
            guest.stop();
        }
    }

    private void onReadAfter(ArmedExits.MonitorRange m, long address, int size) {
        if (stepping || !m.touches(address, size) || !handler.wantsPost(ExitReason.MONITOR, address)) {
            return;
        }
        handler.onExit(VmExit.monitor(Access.READ, address, ExitStage.POST));
    }

    private boolean onCpuid() {
        long leaf = guest.read(CpuRegister.RAX) & 0xffff_ffffL;
        if (!handler.watches(ExitReason.CPUID)) {
            instructions.cpuidInRoot();
            return true;
        }
        VmExit exit = VmExit.pre(ExitReason.CPUID, leaf);
        boolean shortCircuit = handler.onExit(exit);
        if (shortCircuit) {
            return true; // spec of sc: the results are whatever the actions left in GUEST_REGS
        }
        instructions.cpuidInRoot();
        if (handler.wantsPost(ExitReason.CPUID, leaf)) {
            handler.onExit(exit.post());
        }
        return true;
    }

    private int onIn(int port, int size) {
        // No device answers: a floating bus reads all ones. Short-circuited, the value is what the
        // actions left in GUEST_REGS.rax.
        long mask = size >= 4 ? 0xffff_ffffL : (1L << (8 * size)) - 1;
        if (!handler.watches(ExitReason.IO_IN)) {
            return (int) mask;
        }
        VmExit exit = VmExit.pre(ExitReason.IO_IN, port);
        boolean shortCircuit = handler.onExit(exit);
        long value = shortCircuit ? guest.read(CpuRegister.RAX) & mask : mask;
        if (handler.wantsPost(ExitReason.IO_IN, port)) {
            // The post stage sees the value in RAX and may change it; RAX itself is put back, since
            // Unicorn stores the returned value (into AL/AX/EAX for IN, into memory for INS).
            long rax = guest.read(CpuRegister.RAX);
            guest.write(CpuRegister.RAX, (rax & ~mask) | value);
            handler.onExit(exit.post());
            value = guest.read(CpuRegister.RAX) & mask;
            guest.write(CpuRegister.RAX, rax);
        }
        return (int) value;
    }

    private void onOut(int port, int size, int value) {
        if (!handler.watches(ExitReason.IO_OUT)) {
            return;
        }
        VmExit exit = VmExit.pre(ExitReason.IO_OUT, port);
        handler.onExit(exit); // no device listens: short-circuiting changes nothing
        if (handler.wantsPost(ExitReason.IO_OUT, port)) {
            handler.onExit(exit.post());
        }
    }

    /**
     * SYSCALL: the PRE exit, then the call itself — performed by the guest's OS layer, a no-op for a
     * raw target — unless short-circuited, then the POST exit, and the return to the caller raises
     * {@code !sysret} (context: the RIP returned to). A short-circuited call is not performed, so
     * it does not return either; its result is whatever the actions left in RAX.
     */
    private void onSyscall() {
        boolean watched = handler.watches(ExitReason.SYSCALL) || handler.watches(ExitReason.SYSRET);
        if (!watched && systemCalls == null) {
            return;
        }
        if (systemCalls != null && systemCalls.stopsBeforeCall()) {
            // A tracer inside the guest stops the thread before the call (ptrace's syscall-entry-stop): the call is
            // made when the thread goes on, its SYSCALL executed again, and its exits are raised then, once.
            systemCalls.perform();
            instructions.stopWith(new Completion.Resume(guest.read(CpuRegister.RIP) + 2));
            return;
        }
        long number = guest.read(CpuRegister.RAX);
        long returnTo = guest.read(CpuRegister.RIP) + 2; // Unicorn leaves RIP at the SYSCALL in its hook
        VmExit exit = VmExit.pre(ExitReason.SYSCALL, number);
        boolean shortCircuit = handler.watches(ExitReason.SYSCALL) && handler.onExit(exit)
                || ModeTransitions.toKernel(handler, systemCalls);
        boolean yielded = false;
        SystemCalls.Outcome.Stopped signalStop = null;
        if (!shortCircuit && systemCalls != null) {
            // instanceof tests, not a pattern switch: a switch's first run spins a class (SwitchBootstraps) inside
            // every program's run (docs/benchmarks.md, "A program's first milliseconds, stop 43")
            SystemCalls.Outcome outcome = systemCalls.perform();
            if (outcome instanceof SystemCalls.Outcome.Exited exited) {
                instructions.stopWith(new Completion.Exited(exited.status(), returnTo));
                return;
            } else if (outcome instanceof SystemCalls.Outcome.Killed killed) {
                instructions.stopWith(new Completion.Killed(killed.signal(), returnTo));
                return;
            } else if (outcome instanceof SystemCalls.Outcome.Yielded) {
                yielded = true;
            } else if (outcome instanceof SystemCalls.Outcome.Stopped stopped) {
                signalStop = stopped;
            }
        }
        long resumeAt = guest.read(CpuRegister.RIP);
        if (!shortCircuit && resumeAt != returnTo - 2) {
            // The call moved the thread (a signal handler, rt_sigreturn). Unicorn adds the SYSCALL's length to RIP
            // after its hook, whatever the hook wrote (measured: a handler entered 2 bytes in), so write it 2 short.
            guest.write(CpuRegister.RIP, resumeAt - 2);
        }
        if (handler.wantsPost(ExitReason.SYSCALL, number)) {
            handler.onExit(exit.post());
        }
        if (!shortCircuit) {
            if (handler.watches(ExitReason.SYSRET)) {
                // !sysret's actions and break see RIP where the thread goes on, as Linux shows it; the writes make
                // Unicorn drop a stop asked meanwhile (a step from the break), which stopIfWanted below makes up for.
                guest.write(CpuRegister.RIP, guest.read(CpuRegister.RIP) + 2);
                instructions.sysretExit(returnTo);
                guest.write(CpuRegister.RIP, guest.read(CpuRegister.RIP) - 2);
            }
            ModeTransitions.toUser(handler, systemCalls);
        }
        if (signalStop != null) {
            // A signal is held back on the way to user mode: the guest stops where it returns (2 short, see above).
            instructions.stopWith(new Completion.HeldSignal(signalStop.signal(), signalStop.siginfo(),
                    guest.read(CpuRegister.RIP) + 2, signalStop.job()));
        } else if (yielded) {
            // The thread waits, exited or yields: the run ends here, and the loop puts the next thread on the CPU at
            // its safe point. RIP is 2 short of where the thread goes on (see above).
            instructions.stopWith(new Completion.Resume(guest.read(CpuRegister.RIP) + 2));
        } else {
            // The debugger wants the guest stopped: above all, events or breakpoints changed while this call's exit
            // was broken in, which are armed at the next safe point. That point is here, after the call: a kick
            // landed milliseconds later, so a bp on the code right after the call missed (issue 13, execbp).
            instructions.stopIfWanted(guest.read(CpuRegister.RIP) + 2);
        }
    }
}
