package dev.hdbg.host.gdb;

import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.host.client.DebuggerClient;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The breakpoints and watchpoints gdb asked for ({@code Z0}-{@code Z4}), and what the agent holds for them: an hdbg
 * breakpoint (invisible to the guest: nothing is written into its memory) for {@code Z0}/{@code Z1}, a
 * {@code !monitor} event breaking after the access ({@code stage post}, as x86 reports data breakpoints) for
 * {@code Z2}-{@code Z4}. gdb removes every point when the target stops and inserts them again before it resumes, so
 * the agent is told only the difference, when the target resumes ({@link #sync}): a step or continue over unchanged
 * points costs no request.
 */
final class TargetPoints {
    /** gdb's kinds: {@code Z0} software and {@code Z1} hardware breakpoints, {@code Z2} write, {@code Z3} read, {@code Z4} access watchpoints. */
    enum Kind {
        SOFTWARE, HARDWARE, WRITE, READ, ACCESS;

        boolean watches() {
            return ordinal() >= WRITE.ordinal();
        }

        /** The stop reply's key for a hit: {@code swbreak}, {@code hwbreak}, {@code watch}, {@code rwatch}, {@code awatch}. */
        String stopKey() {
            return switch (this) {
                case SOFTWARE -> "swbreak";
                case HARDWARE -> "hwbreak";
                case WRITE -> "watch";
                case READ -> "rwatch";
                case ACCESS -> "awatch";
            };
        }
    }

    /**
     * One point as gdb names it: its kind, address and length (watchpoints) or instruction size (breakpoints), and the
     * condition gdb asked the target to evaluate, as an hdbg script expression ({@link AgentExpression}), or null.
     */
    record Point(Kind kind, long address, long length, String condition) {
        Point(Kind kind, long address, long length) {
            this(kind, address, length, null);
        }

        /** Whether the agent holds it as an event (a watchpoint, a breakpoint with a condition), not a breakpoint. */
        boolean asEvent() {
            return kind.watches() || condition != null;
        }

        /** The same place (gdb's {@code z} names no condition; a {@code Z} there again replaces the condition). */
        boolean samePlace(Point other) {
            return other.kind == kind && other.address == address && other.length == length;
        }

        // A record's own equals and hashCode go through method-handle chains (ObjectMethods) that run slowly until
        // C2 compiles them; each gdb resume looks its points up, 2 % of a fresh bridge's stepi (docs/benchmarks.md,
        // "The bridge's step, stop 43").
        @Override
        public boolean equals(Object other) {
            return other instanceof Point p && samePlace(p) && java.util.Objects.equals(p.condition, condition);
        }

        @Override
        public int hashCode() {
            return (kind.ordinal() * 31 + Long.hashCode(address)) * 31 + Long.hashCode(length);
        }
    }

    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    private final Set<Point> wanted = new LinkedHashSet<>();
    /** What the agent holds: a breakpoint's or event's id by point. */
    private final AgentHeld<Point> installed = new AgentHeld<>();

    TargetPoints(DebuggerClient client, RegisterFile.Replies replies) {
        this.client = client;
        this.replies = replies;
    }

    void insert(Point point) {
        if (point.kind().watches() && (point.length() < 1 || point.length() > 0x1000)) {
            throw new IllegalArgumentException("a watchpoint covers 1 to 4096 bytes, not " + point.length());
        }
        wanted.removeIf(point::samePlace); // gdb's Z with new conditions replaces the old ones
        wanted.add(point);
    }

    void remove(Point point) {
        wanted.removeIf(point::samePlace);
    }

    /** Before the target resumes: the agent drops what gdb removed and adds what it inserted. */
    void sync() {
        installed.sync(wanted, this::add, this::drop);
    }

    /** The session ends: the agent drops every point of it, so the hdbg prompt is left with none of gdb's. */
    void clear() {
        wanted.clear();
        sync();
    }

    /** The point the agent's breakpoint ({@code event} false) or event ({@code event} true) {@code id} stands for. */
    Optional<Point> byId(long id, boolean event) {
        return installed.byId(id, point -> point.asEvent() == event);
    }

    /** The script of a breakpoint whose condition the agent evaluates: it breaks in when {@code condition} holds. */
    static String pauseWhen(String condition) {
        return "if (" + condition + ") { pause(); }";
    }

    private long add(Point point) {
        if (point.condition() != null) {
            // gdb's condition, evaluated by the agent at each hit: a false one never stops the target
            EventSpec hook = EventSpec.eptHook(point.address(), java.util.List.of(new ActionSpec.Script(
                    pauseWhen(point.condition()), 0, true)));
            return replies.await(client.addEvent(hook)).eventId();
        }
        if (!point.kind().watches()) {
            return replies.await(client.addBreakpoint(point.address(), null));
        }
        Set<Access> access = switch (point.kind()) {
            case WRITE -> EnumSet.of(Access.WRITE);
            case READ -> EnumSet.of(Access.READ);
            default -> EnumSet.of(Access.READ, Access.WRITE);
        };
        EventSpec spec = new EventSpec(EventType.MONITOR, point.address(), point.address() + point.length() - 1, access,
                OptionalLong.empty(), OptionalLong.empty(), EventOptions.DEFAULT.withStage(EventOptions.Stage.POST),
                Optional.empty(), java.util.List.of(new ActionSpec.Break()), true);
        return replies.await(client.addEvent(spec)).eventId();
    }

    private void drop(Point point, long id) {
        if (point.asEvent()) {
            replies.await(client.clearEvent(id));
        } else {
            replies.await(client.modifyBreakpoints(id, false, EventModification.CLEAR));
        }
    }
}
