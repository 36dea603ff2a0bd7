package dev.hdbg.agent.machine;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which translation contexts ({@link ContextPool}) may have code translated from each block that stays on the engine
 * across process switches: every context whose process ran while the block was mapped. A block that programs of
 * several contexts share (ld.so, the vDSO, a library's code: the same bytes at the same address, from the image cache)
 * holds the translations of each of them, which only a look-up in that context can find. A block taken off the
 * engine has none left ({@link #forget}).
 *
 * <p>{@link IdleBlocks} reads it to keep exactness: an idle block that may hold code of the context coming onto the CPU
 * leaves the engine unless the incoming process maps that very block, since the engine's jump cache finds code by
 * address and context alone.
 */
final class BlockContexts {
    private final Map<GuestMapping, BitSet> ran = new HashMap<>();

    /** A process of {@code context} ran with {@code m} on the engine. */
    void add(GuestMapping m, int context) {
        ran.computeIfAbsent(m, k -> new BitSet(ContextPool.UNKEPT + 1)).set(context);
    }

    /** Whether {@code m} may hold code translated in {@code context}. */
    boolean includes(GuestMapping m, int context) {
        BitSet contexts = ran.get(m);
        return contexts != null && contexts.get(context);
    }

    /** {@code m} is now {@code slices}, over the same memory: each may hold what {@code m} may. */
    void sliced(GuestMapping m, List<GuestMapping> slices) {
        BitSet contexts = ran.remove(m);
        if (contexts != null) {
            slices.forEach(slice -> ran.put(slice, (BitSet) contexts.clone()));
        }
    }

    /** {@code m} left the engine, and the code translated from it with it. */
    void forget(GuestMapping m) {
        ran.remove(m);
    }

    /** Every block left the engine ({@code .restart}). */
    void clear() {
        ran.clear();
    }

    /** How many blocks are known; for tests. */
    int size() {
        return ran.size();
    }
}
