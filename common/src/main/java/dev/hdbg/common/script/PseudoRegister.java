package dev.hdbg.common.script;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * HyperDbg's pseudo-registers, {@code $pid} to {@code $time}, with HyperDbg's meaning
 * (docs: scripting-language/assumptions-and-evaluations, "Pseudo-registers"). What each holds on hdbg's emulated
 * machine is the host's to say (phase 2 of issue 10 implements it; docs/scripts.md lists it); HyperDbg gives 0 for one
 * its mode does not support, and so does hdbg.
 *
 * <p>{@code $arg0}, {@code $arg1} ... are not pseudo-registers: they are the {@code .script} arguments, put in place of
 * their token before the script is parsed ({@link ScriptEnvironment#arguments()}).
 */
public enum PseudoRegister {
    /** The current process's id. */
    PID,
    /** The current thread's id. */
    TID,
    /** The number of the core that runs the script. */
    CORE,
    /** The current process's object ({@code nt!_EPROCESS} in HyperDbg). */
    PROC,
    /** The address of the current process's name, a NUL-terminated string for {@code printf("%s")}. */
    PNAME,
    /** The current thread's object ({@code nt!_ETHREAD} in HyperDbg). */
    THREAD,
    /** The process environment block. */
    PEB,
    /** The thread environment block. */
    TEB,
    /** The instruction pointer. */
    IP,
    /** The address of the event's pre-allocated buffer, if the event asked for one. */
    BUFFER,
    /** The triggered event's context, which each event type defines. */
    CONTEXT,
    /** The triggered event's id. */
    EVENT_ID,
    /** The triggered event's tag. */
    EVENT_TAG,
    /** The calling stage of the triggered event: 0 before the event's instruction is emulated, 1 after. */
    EVENT_STAGE,
    /** The address of a NUL-terminated string with the current date, for {@code printf("%s")}. */
    DATE,
    /** The address of a NUL-terminated string with the current time, for {@code printf("%s")}. */
    TIME;

    private static final Map<String, PseudoRegister> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(PseudoRegister::scriptName, Function.identity()));

    /** The name as a script writes it after the {@code $}: {@code "event_id"}. */
    public String scriptName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Looks a pseudo-register up by its name without the {@code $}; case-sensitive, as scripts are. */
    public static Optional<PseudoRegister> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
