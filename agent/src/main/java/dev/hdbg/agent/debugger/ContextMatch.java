package dev.hdbg.agent.debugger;

import dev.hdbg.common.event.Positional;

/**
 * How an event compares an exit with its positional filter, found once from its type's {@link Positional} when the
 * event is added; an exit then switches on this enum. A pattern switch over the sealed {@code Positional} on the exit
 * path is an invokedynamic {@code typeSwitch}: bootstrapped at the first hit, then run through method handles until the
 * JIT compiles its caller, about 2 µs a switch while a hot event warms up, where an enum switch is an array read
 * (docs/benchmarks.md, "Script hits, wave 6").
 */
enum ContextMatch {
    /** The context is the event's address ({@code !epthook}). */
    ADDRESS,
    /** An access of up to 8 bytes that touches the event's range, of a kind the event watches ({@code !monitor}). */
    ACCESS_RANGE,
    /** The event's filter, when it has one, is the context. */
    FILTER,
    /** As {@link #FILTER}, and the changed bits meet the event's mask when it has one ({@code !crwrite}). */
    CONTROL_REGISTER,
    /** The mode the event names ({@code !mode}). */
    MODE,
    /** Every exit of the event's kind. */
    ANY;

    static ContextMatch of(Positional positional) {
        return switch (positional) {
            case Positional.Address _ -> ADDRESS;
            case Positional.AccessRange _ -> ACCESS_RANGE;
            case Positional.Filter _ -> FILTER;
            case Positional.ControlRegister _ -> CONTROL_REGISTER;
            case Positional.Mode _ -> MODE;
            // Every trace event sees every instruction, whichever type it names (HyperDbg raises step-in for all).
            case Positional.None _, Positional.TraceType _ -> ANY;
        };
    }
}
