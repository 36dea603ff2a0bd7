package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Vcpus;
import dev.hdbg.agent.script.CompiledScript;
import dev.hdbg.agent.vmx.ArmedExits;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.ExitStage;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.Positional;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The events the host armed, by id, and the lookup from an exit to the events it triggers.
 * Ids are stable and never reused. Execution thread only.
 *
 * <p>Changing events never touches the guest's hooks directly (spec: not in vmx-root mode): it
 * marks the arming dirty, and the execution loop re-arms at its next safe point. Root pages of
 * cleared events are likewise freed only at a safe point, since a break inside one of the
 * event's own actions may clear it.
 */
final class EventRegistry {
    private final VmxRoot root;
    private final Limits limits;
    private final Map<Long, Event> events = new LinkedHashMap<>();
    private final List<RootAllocation> pendingFrees = new ArrayList<>();
    // spec: HyperDbg numbers events from 0 (its tag minus DebuggerEventTagStartSeed) and does not reset the numbering
    // when every event is cleared (events c all), only when the debuggee goes away: ids are never reused here either.
    private long nextEventId = 0;
    private long nextActionId = 1;
    private boolean armingDirty;
    private ScriptActions scripts;

    EventRegistry(VmxRoot root, Limits limits) {
        this.root = root;
        this.limits = limits;
    }

    /** The emulated machine's cores: one per guest thread, at most this many (they come and go with the threads). */
    static final int CORES = Vcpus.MAX;

    /** Where script actions are compiled; set once, by the action runner that runs them. */
    void compileScriptsWith(ScriptActions compiler) {
        this.scripts = compiler;
    }

    Event add(EventSpec spec) {
        if (events.size() >= limits.maxEvents()) {
            throw DebuggerException.limit("at most " + limits.maxEvents() + " events may exist at once (the agent's "
                    + "--max-events); clear some (events c ID)");
        }
        if (spec.actions().size() > limits.maxActionsPerEvent()) {
            throw DebuggerException.limit("an event may hold at most " + limits.maxActionsPerEvent()
                    + " actions (the agent's --max-actions)");
        }
        if (spec.options().core().isPresent() && spec.options().core().getAsInt() >= CORES) {
            // An event for a core the machine does not have would never trigger, and say nothing.
            throw DebuggerException.invalid("core 0x" + Integer.toHexString(spec.options().core().getAsInt())
                    + ": the emulated machine has at most " + CORES + " cores (0 .. " + (CORES - 1)
                    + ", one per thread of the program); give one of them or core all");
        }
        spec.condition().ifPresent(c -> limits.checkCode(c.length(), "condition"));
        spec.actions().forEach(this::check);
        RootNeed needed = spec.condition().map(c -> RootNeed.code(c.length())).orElse(RootNeed.NONE);
        for (ActionSpec action : spec.actions()) {
            needed = needed.plus(RootNeed.of(action));
        }
        needed.requireRoom(root, limits);
        // Scripts compile before anything is installed: a script that does not check adds nothing.
        List<CompiledScript> compiled = new ArrayList<>();
        for (ActionSpec action : spec.actions()) {
            compiled.add(action instanceof ActionSpec.Script s ? compile(s) : null);
        }
        RootAllocation condition = spec.condition().map(c -> root.installCode(c.bytes())).orElse(null);
        Event event = new Event(nextEventId++, spec, reasonOf(spec.type()), condition);
        for (int i = 0; i < spec.actions().size(); i++) {
            event.add(install(spec.actions().get(i), compiled.get(i)));
        }
        events.put(event.id(), event);
        armingDirty = true;
        recount();
        return event;
    }

    Action addAction(long eventId, ActionSpec spec) {
        Event event = require(eventId);
        if (event.actions().size() >= limits.maxActionsPerEvent()) {
            throw DebuggerException.limit("event " + Long.toHexString(eventId) + " already holds "
                    + limits.maxActionsPerEvent() + " actions");
        }
        check(spec);
        CompiledScript compiled = spec instanceof ActionSpec.Script s ? compile(s) : null;
        RootNeed.of(spec).requireRoom(root, limits);
        Action action = install(spec, compiled);
        event.add(action);
        return action;
    }

    private void check(ActionSpec spec) {
        switch (spec) {
            case ActionSpec.CustomCode code -> {
                limits.checkCode(code.code().length(), "custom code");
                checkBuffer(code.requestedBufferSize());
            }
            case ActionSpec.Log log -> {
                long bytes = log.configuration().items().stream()
                        .mapToLong(i -> i instanceof LogItem.Memory m ? m.length() : 8).sum();
                if (bytes > limits.maxLogBytes()) {
                    throw DebuggerException.limit("log takes " + bytes + " bytes per trigger; the limit is "
                            + limits.maxLogBytes() + " (the agent's --max-log-bytes)");
                }
                long record = LogTaker.recordBytes(log.configuration());
                if (record > LogTaker.MAX_RECORD_BYTES) {
                    throw DebuggerException.limit("the log's records would take up to " + record + " bytes per trigger; "
                            + "the limit is " + LogTaker.MAX_RECORD_BYTES + ": log fewer items");
                }
                LogTaker.validate(log.configuration());
            }
            case ActionSpec.Script script -> checkBuffer(script.requestedBufferSize());
            case ActionSpec.Break _ -> {
            }
        }
    }

    private void checkBuffer(int requestedBufferSize) {
        if (requestedBufferSize > limits.maxBufferBytes()) {
            throw DebuggerException.limit("requested buffer of " + Integer.toUnsignedString(requestedBufferSize)
                    + " bytes exceeds the limit of " + limits.maxBufferBytes() + " (the agent's --max-buffer-bytes)");
        }
    }

    private CompiledScript compile(ActionSpec.Script script) {
        if (scripts == null) {
            throw DebuggerException.invalid("this agent runs no scripts");
        }
        return scripts.compile(script.source());
    }

    private Action install(ActionSpec spec, CompiledScript script) {
        if (script != null) {
            int size = ((ActionSpec.Script) spec).requestedBufferSize();
            return new Action(nextActionId++, spec, null, size > 0 ? root.allocateBuffer(size) : null, script);
        }
        long id = nextActionId++;
        if (spec instanceof ActionSpec.CustomCode code) {
            RootAllocation installed = root.installCode(code.code().bytes());
            RootAllocation buffer = code.requestedBufferSize() > 0 ? root.allocateBuffer(code.requestedBufferSize()) : null;
            return new Action(id, spec, installed, buffer);
        }
        return new Action(id, spec, null, null);
    }

    Event require(long eventId) {
        Event event = events.get(eventId);
        if (event == null) {
            throw DebuggerException.notFound("no event 0x" + Long.toHexString(eventId) + " (list them with: events)");
        }
        return event;
    }

    /** Applies enable, disable or clear to one event, or to all when {@code eventId} is empty. */
    List<Long> modify(Long eventId, EventModification modification) {
        List<Event> targets = eventId == null ? List.copyOf(events.values()) : List.of(require(eventId));
        for (Event event : targets) {
            switch (modification) {
                case ENABLE -> event.setEnabled(true);
                case DISABLE -> event.setEnabled(false);
                case CLEAR -> {
                    event.clear();
                    events.remove(event.id());
                    if (event.condition() != null) {
                        pendingFrees.add(event.condition());
                    }
                    for (Action a : event.actions()) {
                        if (a.code() != null) {
                            pendingFrees.add(a.code());
                        }
                        if (a.buffer() != null) {
                            pendingFrees.add(a.buffer());
                        }
                    }
                }
            }
        }
        armingDirty = true;
        recount();
        return targets.stream().map(Event::id).toList();
    }

    /** The {@code !epthook2} events at each address, kept ready for the detour path; rebuilt on change. */
    private DetourIndex detours = DetourIndex.EMPTY;

    Event[] detoursAt(long address) {
        return detours.at(address);
    }

    boolean detourWantsPost(long address) {
        return detours.wantsPost(address);
    }

    /** The enabled events an exit triggers at its stage, in the order they were added (a list: for tests). */
    List<Event> triggeredBy(VmExit exit) {
        List<Event> result = new ArrayList<>(2);
        for (Event event : candidates(exit.reason())) {
            if (triggers(event, exit)) {
                result.add(event);
            }
        }
        return result;
    }

    /**
     * The events that were enabled at the last change, of the kind that raises {@code reason}, in the order they were
     * added: the only ones an exit of that reason may trigger ({@link #triggers} says which do). The array is kept
     * ready and rebuilt on every change, so an exit neither walks every event nor allocates: walking the map and a
     * list per exit were a third of a hot script condition's exit path (docs/benchmarks.md, "Exit path, wave 5").
     * The array is a snapshot: an event enabled or added during a break in an earlier event's action waits for the
     * next exit, as it did when the list was made before the first event ran.
     */
    Event[] candidates(ExitReason reason) {
        return byReason[reason.ordinal()];
    }

    /** Whether {@code event}, one of {@link #candidates}, is enabled now and watches this exit at its stage. */
    static boolean triggers(Event event, VmExit exit) {
        return event.active() && matches(event, exit) && stageMatches(event.spec(), exit.stage());
    }

    /** Whether an enabled event of this exit's kind and context runs at the POST stage. */
    boolean wantsPost(ExitReason reason, long context) {
        if (postWatchers[reason.ordinal()] == 0) {
            return false;
        }
        for (Event event : events.values()) {
            if (event.active() && event.spec().options().stage().includesPost()
                    && matchesContext(event, reason, context)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any enabled event watches this kind of exit; an array read. */
    boolean watches(ExitReason reason) {
        return byReason[reason.ordinal()].length > 0;
    }

    private final int[] postWatchers = new int[ExitReason.values().length];
    private static final Event[] NO_EVENTS = new Event[0];
    private final Event[][] byReason = emptyByReason();

    private static Event[][] emptyByReason() {
        Event[][] empty = new Event[ExitReason.values().length][];
        Arrays.fill(empty, NO_EVENTS);
        return empty;
    }

    /** Recounts the watchers after any change; events are few, changes rare. */
    private void recount() {
        TreeMap<Long, List<Event>> byAddress = new TreeMap<>();
        for (Event e : events.values()) {
            if (e.active() && reasonOf(e.spec().type()) == ExitReason.EPT_HOOK2) {
                byAddress.computeIfAbsent(e.spec().address(), a -> new ArrayList<>()).add(e);
            }
        }
        detours = new DetourIndex(byAddress);
        Arrays.fill(postWatchers, 0);
        List<List<Event>> active = new ArrayList<>();
        for (int i = 0; i < byReason.length; i++) {
            active.add(new ArrayList<>());
        }
        for (Event e : events.values()) {
            if (e.active()) {
                int reason = e.reason().ordinal();
                active.get(reason).add(e);
                if (e.spec().options().stage().includesPost()) {
                    postWatchers[reason]++;
                }
            }
        }
        for (int i = 0; i < byReason.length; i++) {
            byReason[i] = active.get(i).isEmpty() ? NO_EVENTS : active.get(i).toArray(NO_EVENTS);
        }
    }

    /** The exit that raises events of a type. */
    static ExitReason reasonOf(EventType type) {
        return ExitReason.of(type);
    }

    private static boolean stageMatches(EventSpec spec, ExitStage stage) {
        return stage == ExitStage.PRE ? spec.options().stage().includesPre() : spec.options().stage().includesPost();
    }

    private static boolean matches(Event event, VmExit exit) {
        EventSpec spec = event.spec();
        if (!matchesContext(event, exit.reason(), exit.context())) {
            return false;
        }
        return switch (event.contextMatch()) {
            case ACCESS_RANGE -> spec.access().contains(exit.access());
            case CONTROL_REGISTER -> spec.mask().isEmpty() || (spec.mask().getAsLong() & exit.changedBits()) != 0;
            case ADDRESS, FILTER, MODE, ANY -> true;
        };
    }

    /** Whether an exit of {@code reason} with {@code context} is one {@code event} watches, as its entry's kind says. */
    private static boolean matchesContext(Event event, ExitReason reason, long context) {
        // The event's own reason, found once: ExitReason.of's map look-up was an eighth of a hot exit (JFR).
        if (event.reason() != reason) {
            return false;
        }
        EventSpec spec = event.spec();
        // An enum switch, not a pattern switch over Positional: no invokedynamic on the exit path (ContextMatch).
        return switch (event.contextMatch()) {
            case ADDRESS -> spec.address() == context;
            // An access of up to 8 bytes starting before the range still touches it.
            case ACCESS_RANGE -> Long.compareUnsigned(context + 7, spec.address()) >= 0
                    && Long.compareUnsigned(context, spec.end()) <= 0;
            case FILTER, CONTROL_REGISTER -> spec.filter().isEmpty() || spec.filter().getAsLong() == context;
            case MODE -> Positional.Mode.matches(spec.filter().orElse(Positional.Mode.BOTH), context);
            case ANY -> true;
        };
    }

    List<EventInfo> list() {
        return events.values().stream().map(e -> new EventInfo(e.id(), e.spec(),
                e.actions().stream().map(Action::id).toList(), e.enabled(), e.hits())).toList();
    }

    /** The hooks the enabled events need. */
    ArmedExits armed() {
        Set<Long> executions = new HashSet<>();
        Set<Long> detours = new HashSet<>();
        List<ArmedExits.MonitorRange> monitors = new ArrayList<>();
        boolean cpuid = false;
        for (Event e : events.values()) {
            if (!e.active()) {
                continue;
            }
            EventSpec spec = e.spec();
            // Which hook catches an exit is the exit source's business: keyed by the exit, not the event type.
            switch (reasonOf(spec.type())) {
                case EPT_HOOK -> executions.add(spec.address());
                case EPT_HOOK2 -> detours.add(spec.address());
                case MONITOR -> monitors.add(new ArmedExits.MonitorRange(spec.address(), spec.end(), spec.access()));
                case CPUID -> cpuid = true;
                default -> {
                }
            }
        }
        return new ArmedExits(executions, detours, Set.of(), monitors, cpuid);
    }

    /** Whether no event exists (armed or disabled): nothing an exit does can break in or publish a record. */
    boolean isEmpty() {
        return events.isEmpty();
    }

    boolean armingDirty() {
        return armingDirty || !pendingFrees.isEmpty();
    }

    /** At a safe point: frees the root pages of cleared events and clears the dirty mark. */
    void settled() {
        pendingFrees.forEach(root::free);
        pendingFrees.clear();
        armingDirty = false;
    }
}
