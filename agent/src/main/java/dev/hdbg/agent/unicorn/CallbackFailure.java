package dev.hdbg.agent.unicorn;

import java.lang.foreign.MemorySegment;

/**
 * The first throwable a hook callback threw during one {@code emuStart}. A throwable must not unwind into
 * native code (the JVM would die), so a trampoline hands it here: the emulation is stopped, later callbacks are
 * skipped, and {@link Unicorn#emuStart} rethrows it once {@code uc_emu_start} has returned.
 *
 * <p>Touched only by the emulating thread.
 */
final class CallbackFailure {
    private final MemorySegment uc;
    private Throwable failure;

    CallbackFailure(MemorySegment uc) {
        this.uc = uc;
    }

    /** Whether a callback failed in this run; trampolines then return at once. */
    boolean failed() {
        return failure != null;
    }

    void record(Throwable t) {
        if (failure != null) {
            return;
        }
        failure = t;
        try {
            UnicornNative.call(UnicornNative.EMU_STOP, uc);
        } catch (Throwable stopFailure) {
            t.addSuppressed(stopFailure);
        }
    }

    /** The recorded throwable, or null; clears it for the next run. */
    Throwable take() {
        Throwable t = failure;
        failure = null;
        return t;
    }
}
