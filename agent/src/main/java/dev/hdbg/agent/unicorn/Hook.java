package dev.hdbg.agent.unicorn;

/**
 * A registered hook. {@link #close()} removes it, the same as {@link Unicorn#hookDel(Hook)}; removing it again,
 * or after the engine was closed, does nothing.
 */
public interface Hook extends AutoCloseable {
    /**
     * Removes the hook. Allowed inside a hook callback (even its own): it stops firing from the next translated
     * block on.
     *
     * @throws UnicornException when {@code uc_hook_del} fails
     */
    @Override
    void close();
}
