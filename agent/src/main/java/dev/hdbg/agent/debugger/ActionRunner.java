package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.ExitHandler;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.RootCallResult;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.function.Supplier;

/**
 * Runs the events an exit triggers, as the spec says: events in the order they were added; for
 * each, the condition first (when it has one), then its actions one by one in insertion order,
 * only if the condition holds. A condition or custom code that faults or runs out of budget
 * produces an action-error record naming the event and action, leaves the guest's registers as
 * they were, and the remaining events still run.
 */
final class ActionRunner implements ExitHandler {
    private final Machine machine;
    private final VmxRoot root;
    private final EventRegistry registry;
    private final RecordQueue queue;
    private final LogTaker logTaker;
    private final BreakService breaks;
    private final GuestRegs frame = new GuestRegs();

    private final Breakpoints breakpoints;
    private final ScriptActions scripts;

    ActionRunner(Machine machine, VmxRoot root, EventRegistry registry, Breakpoints breakpoints, RecordQueue queue,
                 BreakService breaks, Supplier<TargetInfo> target) {
        this.breakpoints = breakpoints;
        this.machine = machine;
        this.root = root;
        this.registry = registry;
        this.queue = queue;
        this.logTaker = new LogTaker(machine, target);
        this.breaks = breaks;
        this.scripts = new ScriptActions(machine, root, registry, target);
        registry.compileScriptsWith(scripts);
    }

    /** The scripts of this machine's events, which {@code ?} shares: the same globals. */
    ScriptActions scripts() {
        return scripts;
    }

    @Override
    public boolean onExit(VmExit exit) {
        if (exit.reason() == ExitReason.BREAKPOINT) {
            breakpoints.onHit(exit, breaks, queue);
            return false;
        }
        if (exit.reason() == ExitReason.EPT_HOOK2 && exit.stage() == ExitStage.PRE) {
            return onDetour(exit);
        }
        Event[] events = registry.candidates(exit.reason());
        if (events.length == 0) {
            return false;
        }
        frame.invalidate();
        boolean shortCircuit = false;
        for (Event event : events) {
            if (EventRegistry.triggers(event, exit)) {
                shortCircuit |= trigger(event, exit);
            }
        }
        return shortCircuit;
    }

    /**
     * {@code !epthook2}'s path: the address's events come ready in an array (no lookup, nothing allocated), for
     * every stage; this exit is the PRE one.
     */
    private boolean onDetour(VmExit exit) {
        Event[] events = registry.detoursAt(exit.context());
        if (events.length == 0) {
            return false;
        }
        frame.invalidate();
        boolean shortCircuit = false;
        for (Event event : events) {
            if (event.spec().options().stage().includesPre()) {
                shortCircuit |= trigger(event, exit);
            }
        }
        return shortCircuit;
    }

    /**
     * spec: an event's condition, then its actions in insertion order, only if the condition holds.
     *
     * @return whether the event asks to short-circuit the instruction or access
     */
    private boolean trigger(Event event, VmExit exit) {
        if (!event.active() || !onThisProcessAndCore(event)) {
            return false;
        }
        event.hit();
        if (!conditionHolds(event, exit)) {
            return false;
        }
        return runActions(event, exit);
    }

    @Override
    public boolean wantsPost(ExitReason reason, long context) {
        if (reason == ExitReason.BREAKPOINT) {
            return false;
        }
        return reason == ExitReason.EPT_HOOK2 ? registry.detourWantsPost(context) : registry.wantsPost(reason, context);
    }

    @Override
    public boolean watches(ExitReason reason) {
        return reason == ExitReason.BREAKPOINT || registry.watches(reason);
    }

    // The core is the thread on the CPU (one per guest thread), in the process whose thread it is.
    private boolean onThisProcessAndCore(Event event) {
        return logTaker.admits(event.scope());
    }

    private boolean conditionHolds(Event event, VmExit exit) {
        if (event.condition() == null) {
            return true;
        }
        RootCallResult result = root.callCondition(event.condition(), frame, exit.context());
        if (result instanceof RootCallResult.Returned(long rax)) {
            return rax != 0;
        }
        reportFailure(event.id(), 0, "condition", result);
        return false;
    }

    /** @return whether the instruction is short-circuited: the event's {@code sc}, or a script's last event_sc() */
    private boolean runActions(Event event, VmExit exit) {
        boolean shortCircuit = event.spec().options().shortCircuit();
        for (Action action : event.actionsNow()) {
            if (!event.active()) {
                return shortCircuit; // cleared or disabled by the host during a break in an earlier action
            }
            // instanceof tests, not a pattern switch over the sealed ActionSpec: that is an invokedynamic typeSwitch,
            // run through method handles until the JIT compiles this loop (ContextMatch; docs/benchmarks.md, "Script
            // hits, wave 6").
            ActionSpec spec = action.spec();
            if (spec instanceof ActionSpec.Script script) {
                shortCircuit = runScript(event, action, script, exit, shortCircuit);
            } else if (spec instanceof ActionSpec.Log log) {
                var values = logTaker.take(log.configuration(), exit, event.id(), frame);
                // The record says where the event happened: the core, and the process and thread on it.
                int core = logTaker.core();
                long pid = logTaker.pid();
                long tid = logTaker.tid();
                queue.publish(seq -> new DebuggerRecord.Log(seq, event.id(), action.id(), core, values, pid, tid),
                        log.immediate());
            } else if (spec instanceof ActionSpec.CustomCode code) {
                runCustomCode(event, action, code, exit);
            } else if (spec instanceof ActionSpec.Break) {
                breaks.breakIn(event.id(), exit, skippable(event, exit));
                frame.invalidate(); // the host may have changed registers
                shortCircuit = hostShortCircuit(shortCircuit);
            } else {
                throw new IllegalStateException("an action of a kind the runner does not know: " + spec);
            }
        }
        return shortCircuit;
    }

    /**
     * A script action, in its place among the event's actions. Its {@code pause()} breaks once the script is done
     * (HyperDbg: "break to the debugger after the script"); its {@code event_sc()} decides the short-circuit.
     */
    private boolean runScript(Event event, Action action, ActionSpec.Script script, VmExit exit, boolean shortCircuit) {
        GuestScriptHost ran = scripts.run(action.script(), event.id(), action.id(), script.immediate(), exit, frame, queue,
                action.buffer(), script.requestedBufferSize());
        // Only where there is an instruction left to skip, as sc on itself.
        boolean skippable = skippable(event, exit);
        boolean skip = ran.shortCircuit() == null || !skippable ? shortCircuit : ran.shortCircuit();
        if (ran.pauseRequested()) {
            breaks.breakIn(event.id(), exit, skippable);
            frame.invalidate(); // the host may have changed registers
            skip = hostShortCircuit(skip);
        }
        return skip;
    }

    private static boolean skippable(Event event, VmExit exit) {
        return event.spec().type().shortCircuit() && exit.stage() == ExitStage.PRE;
    }

    /** {@code events sc on|off} given during the break just ended decides, else {@code shortCircuit} stands. */
    private boolean hostShortCircuit(boolean shortCircuit) {
        Boolean host = breaks.takeShortCircuit();
        return host == null ? shortCircuit : host;
    }

    private void runCustomCode(Event event, Action action, ActionSpec.CustomCode code, VmExit exit) {
        RootCallResult result = root.callCustomCode(action.code(), action.bufferAddress(), frame, exit.context());
        if (!(result instanceof RootCallResult.Returned(long rax))) {
            reportFailure(event.id(), action.id(), "custom code", result);
            return;
        }
        // spec: only when a buffer was requested; RAX = 0 sends nothing; an address that is not
        // valid is ignored.
        if (code.requestedBufferSize() == 0 || rax == 0) {
            return;
        }
        byte[] data = root.readIfMapped(rax, code.requestedBufferSize());
        if (data != null) {
            int core = logTaker.core();
            long pid = logTaker.pid();
            long tid = logTaker.tid();
            queue.publish(seq -> new DebuggerRecord.Buffer(seq, event.id(), action.id(), rax, data, core, pid, tid),
                    code.immediate());
        }
    }

    private void reportFailure(long eventId, long actionId, String what, RootCallResult result) {
        String why = switch (result) {
            case RootCallResult.Faulted f -> "faulted: " + f.message();
            case RootCallResult.BudgetExhausted b -> "did not return within " + b.budget()
                    + " instructions (stopped at rip 0x" + Long.toHexString(b.rip()) + ")";
            case RootCallResult.Returned r -> throw new IllegalStateException("not a failure");
        };
        String message = "event " + Long.toHexString(eventId)
                + (actionId == 0 ? "" : " action " + Long.toHexString(actionId)) + ": " + what + " " + why
                + "; the guest's registers were left as they were";
        queue.publish(seq -> new DebuggerRecord.ActionError(seq, eventId, actionId, message), true);
    }
}
