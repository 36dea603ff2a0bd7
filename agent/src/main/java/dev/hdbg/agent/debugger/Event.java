package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.Scope;
import java.util.Arrays;
import java.util.List;

/** An event as the agent holds it. Mutated on the execution thread only. */
final class Event {
    private final long id;
    private final EventSpec spec;
    private final ExitReason reason;
    /** How an exit's context is compared with this event's filter: found once, an exit reads it. */
    private final ContextMatch contextMatch;
    private final RootAllocation condition;
    /** Its pid and core options, made once: an exit asks it without allocating. */
    private final Scope scope;
    /**
     * Copy-on-write, replaced on every add: a break inside one of these actions may add another action to this event,
     * and a walk under way keeps the actions it started with; an exit walks the array without an iterator (an object a
     * trigger).
     */
    private volatile Action[] actionArray = new Action[0];
    private boolean enabled;
    private boolean cleared;
    private long hits;

    Event(long id, EventSpec spec, ExitReason reason, RootAllocation condition) {
        this.id = id;
        this.spec = spec;
        this.reason = reason;
        this.contextMatch = ContextMatch.of(spec.type().positional());
        this.condition = condition;
        this.enabled = spec.enabled();
        this.scope = Scope.of(spec.options());
    }

    Scope scope() {
        return scope;
    }

    long id() {
        return id;
    }

    EventSpec spec() {
        return spec;
    }

    /** The exit that raises this event. */
    ExitReason reason() {
        return reason;
    }

    ContextMatch contextMatch() {
        return contextMatch;
    }

    RootAllocation condition() {
        return condition;
    }

    List<Action> actions() {
        return List.of(actionArray);
    }

    /** The actions in insertion order, as they are now; the caller must not change the array. */
    Action[] actionsNow() {
        return actionArray;
    }

    void add(Action action) {
        Action[] more = Arrays.copyOf(actionArray, actionArray.length + 1);
        more[more.length - 1] = action;
        actionArray = more;
    }

    boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean value) {
        enabled = value;
    }

    /** Enabled and not cleared: its actions may run. */
    boolean active() {
        return enabled && !cleared;
    }

    void clear() {
        cleared = true;
    }

    long hits() {
        return hits;
    }

    void hit() {
        hits++;
    }
}
