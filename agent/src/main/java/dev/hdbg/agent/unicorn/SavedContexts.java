package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The saved CPU contexts of one engine ({@code uc_context_*}): saving, restoring, freeing what is left when the
 * engine closes, and the one use the binding makes of them itself, clearing QEMU's exception in flight.
 */
final class SavedContexts {
    private final MemorySegment uc;
    private final Set<UnicornContext> open = new LinkedHashSet<>();
    private UnicornContext exceptionScratch;

    SavedContexts(MemorySegment uc) {
        this.uc = uc;
    }

    UnicornContext save() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(ADDRESS);
            int err = UnicornNative.call(UnicornNative.CONTEXT_ALLOC, uc, out);
            if (err != 0) {
                throw UnicornException.of(err, "uc_context_alloc");
            }
            UnicornContext context = new UnicornContext(this, out.get(ADDRESS, 0));
            err = UnicornNative.call(UnicornNative.CONTEXT_SAVE, uc, context.pointer());
            if (err != 0) {
                context.free();
                throw UnicornException.of(err, "uc_context_save");
            }
            open.add(context);
            return context;
        }
    }

    /** Saves the registers again into {@code context}, which this engine made: no allocation. */
    void saveInto(UnicornContext context) {
        if (!context.savedBy(this)) {
            throw new IllegalArgumentException("the context was saved by another Unicorn instance");
        }
        int err = UnicornNative.call(UnicornNative.CONTEXT_SAVE, uc, context.pointer());
        if (err != 0) {
            throw UnicornException.of(err, "uc_context_save");
        }
    }

    void restore(UnicornContext context) {
        if (!context.savedBy(this)) {
            throw new IllegalArgumentException("the context was saved by another Unicorn instance");
        }
        int err = UnicornNative.call(UnicornNative.CONTEXT_RESTORE, uc, context.pointer());
        if (err != 0) {
            throw UnicornException.of(err, "uc_context_restore");
        }
    }

    /** See {@link Unicorn#clearExceptionInFlight()}. */
    void clearExceptionInFlight() {
        if (exceptionScratch == null) {
            exceptionScratch = save();
        }
        MemorySegment context = exceptionScratch.pointer();
        int err = UnicornNative.call(UnicornNative.CONTEXT_SAVE, uc, context);
        if (err != 0) {
            throw UnicornException.of(err, "uc_context_save");
        }
        context.reinterpret(ExceptionInFlight.offset() + 4).set(JAVA_INT, ExceptionInFlight.offset(), -1);
        err = UnicornNative.call(UnicornNative.CONTEXT_RESTORE, uc, context);
        if (err != 0) {
            throw UnicornException.of(err, "uc_context_restore");
        }
    }

    /** The size of a saved context, in bytes ({@code uc_context_size}). */
    long size() {
        return UnicornNative.contextSize(uc);
    }

    void forget(UnicornContext context) {
        open.remove(context);
    }

    /** Before {@code uc_close}: frees every context still open. */
    void freeAll() {
        for (UnicornContext context : open) {
            context.free();
        }
        open.clear();
    }
}
