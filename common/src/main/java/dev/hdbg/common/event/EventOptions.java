package dev.hdbg.common.event;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * HyperDbg's event options that apply to every event.
 *
 * @param pid          {@code pid PID}: only this process; empty = {@code pid all}
 * @param core         {@code core N}: only this core; empty = {@code core all}
 * @param stage        {@code stage pre|post|all}: run the actions before the instruction or access is
 *                     emulated, after it, or both
 * @param shortCircuit {@code sc on}: do not emulate the instruction or access after the actions
 */
public record EventOptions(OptionalLong pid, OptionalInt core, Stage stage, boolean shortCircuit) {
    public static final EventOptions DEFAULT = new EventOptions(OptionalLong.empty(), OptionalInt.empty(), Stage.PRE, false);

    /** When the actions run relative to the emulated instruction; {@code $event_stage} tells which. */
    public enum Stage {
        PRE, POST, ALL;

        public boolean includesPre() {
            return this != POST;
        }

        public boolean includesPost() {
            return this != PRE;
        }
    }

    public EventOptions {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(core, "core");
        Objects.requireNonNull(stage, "stage");
        if (shortCircuit && stage != Stage.PRE) {
            throw new IllegalArgumentException("sc on needs stage pre: after the instruction ran there is nothing left to skip");
        }
    }

    public EventOptions withStage(Stage value) {
        return new EventOptions(pid, core, value, shortCircuit);
    }

    public EventOptions withShortCircuit(boolean value) {
        return new EventOptions(pid, core, stage, value);
    }

    public EventOptions withPid(OptionalLong value) {
        return new EventOptions(value, core, stage, shortCircuit);
    }

    public EventOptions withCore(OptionalInt value) {
        return new EventOptions(pid, value, stage, shortCircuit);
    }
}
