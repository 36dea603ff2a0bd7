package dev.hdbg.agent.unicorn;

import java.lang.foreign.MemorySegment;

/**
 * CPU registers saved by {@link Unicorn#contextSave()} (not memory). Restorable into the engine that saved them, any
 * number of times. {@link #close()} frees them ({@code uc_context_free}); closing the engine frees the contexts
 * still open. Not thread-safe, like the engine.
 */
public final class UnicornContext implements AutoCloseable {
    private final SavedContexts owner;
    private final MemorySegment pointer;
    private boolean freed;

    UnicornContext(SavedContexts owner, MemorySegment pointer) {
        this.owner = owner;
        this.pointer = pointer;
    }

    /** Whether {@code contexts} made this one. */
    boolean savedBy(SavedContexts contexts) {
        return owner == contexts;
    }

    /** The {@code uc_context*}, checked to be still allocated (IllegalStateException otherwise). */
    MemorySegment pointer() {
        if (freed) {
            throw new IllegalStateException("the context was closed");
        }
        return pointer;
    }

    /**
     * Frees the context; idempotent, and nothing to do once the engine is closed.
     *
     * @throws UnicornException when {@code uc_context_free} fails
     */
    @Override
    public void close() {
        owner.forget(this);
        free();
    }

    void free() {
        if (!freed) {
            freed = true;
            int err = UnicornNative.call(UnicornNative.CONTEXT_FREE, pointer);
            if (err != 0) {
                throw UnicornException.of(err, "uc_context_free");
            }
        }
    }
}
