package dev.hdbg.agent.unicorn;

/** A registered hook; {@link #close} removes it (idempotent). */
public interface Hook extends AutoCloseable {
    @Override
    void close();
}
