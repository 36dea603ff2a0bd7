package dev.hdbg.agent.unicorn;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where one in-process patch of libunicorn.so.2 stands ({@link StoreFastPath}, {@link SoftTlbSize}): decided once,
 * when the first engine opens, unless turned off before by its agent option; a patch whose bytes do not match the
 * verified build is REFUSED with the reason, and the library is left as loaded.
 */
public final class LibraryPatch {
    /** Where a patch stands in this process. */
    public enum State {
        /** No engine opened yet, nothing decided. */
        UNDECIDED,
        /** Patched. */
        ON,
        /** Turned off by its option: the library is as loaded. */
        OFF,
        /** Not patched: the library is not the verified build, or the patch could not be written. */
        REFUSED
    }

    /** The state and what it means: for ON what the patch does, for OFF and REFUSED why. */
    public record Status(State state, String detail) {
    }

    private final String name;
    private final String option;
    private final String whatItDoes;
    private final Supplier<Optional<String>> apply;
    private State state = State.UNDECIDED;
    private String detail = "";

    /**
     * @param name       what the patch is called in messages ("the store fast path")
     * @param option     the agent option that turns it off
     * @param whatItDoes the detail of an ON status
     * @param apply      patches the library, or says why it did not (then nothing was written)
     */
    LibraryPatch(String name, String option, String whatItDoes, Supplier<Optional<String>> apply) {
        this.name = name;
        this.option = option;
        this.whatItDoes = whatItDoes;
        this.apply = apply;
    }

    /**
     * Leaves the library unpatched for this process. Only before the first engine opens: a patch is never taken back.
     *
     * @throws IllegalStateException when the library was already patched
     */
    synchronized void turnOff() {
        if (state == State.ON) {
            throw new IllegalStateException(name + " is already on: turn it off before the first engine");
        }
        if (state == State.UNDECIDED) {
            state = State.OFF;
            detail = "turned off (" + option + ")";
        }
    }

    synchronized Status status() {
        return new Status(state, detail);
    }

    synchronized boolean on() {
        return state == State.ON;
    }

    /** Before {@code uc_open}: patches once, when undecided. */
    synchronized void decide() {
        if (state != State.UNDECIDED) {
            return;
        }
        try {
            Optional<String> refusal = apply.get();
            state = refusal.isPresent() ? State.REFUSED : State.ON;
            detail = refusal.orElse(whatItDoes);
        } catch (RuntimeException | LinkageError e) {
            state = State.REFUSED;
            detail = "the patch failed: " + e;
        }
    }
}
