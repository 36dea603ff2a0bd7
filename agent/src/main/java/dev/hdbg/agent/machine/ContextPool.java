package dev.hdbg.agent.machine;

/**
 * The engine's translation contexts ({@code Unicorn.translationContext}), one per program: a process and the children it
 * forks run the same code and share one; {@code execve} gives the process a new one. A context is free again once no
 * address space holds it. Past 255 programs alive at once, the others share {@link #UNKEPT}, whose blocks never idle
 * ({@link IdleBlocks}): they leave the engine at every switch, as all blocks did before contexts.
 */
final class ContextPool {
    /** The context of programs beyond the pool, and of every program when contexts cannot be set. */
    static final int UNKEPT = 255;

    private final boolean enabled;
    private final int[] holders = new int[UNKEPT + 1];
    private int next = 1;

    /** @param enabled whether the engine can take contexts; if not, every program is {@link #UNKEPT} */
    ContextPool(boolean enabled) {
        this.enabled = enabled;
        holders[first()]++;
    }

    /** The first program's context. */
    int first() {
        return enabled ? 0 : UNKEPT;
    }

    /** A free context for a new program, held once. */
    int allocate() {
        if (enabled) {
            for (int i = 0; i < UNKEPT; i++) {
                int context = (next + i) % UNKEPT;
                if (holders[context] == 0) {
                    holders[context] = 1;
                    next = context + 1;
                    return context;
                }
            }
        }
        holders[UNKEPT]++;
        return UNKEPT;
    }

    /** One more address space holds {@code context} (a fork's copy). */
    void retain(int context) {
        holders[context]++;
    }

    /** An address space holding {@code context} was freed. */
    void release(int context) {
        if (holders[context] > 0) {
            holders[context]--;
        }
    }
}
