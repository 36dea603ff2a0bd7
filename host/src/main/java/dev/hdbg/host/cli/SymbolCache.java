package dev.hdbg.host.cli;

import dev.hdbg.common.model.Symbol;
import dev.hdbg.host.client.AgentError;
import java.util.List;
import java.util.function.Supplier;

/**
 * The target's symbols as the session knows them: fetched once per connection, on first use (a symbol in an
 * expression, an address shown as {@code main+0x12}, a completion), and forgotten when the connection changes.
 */
final class SymbolCache {
    private final Supplier<List<Symbol>> fetch;
    private volatile SymbolTable table;

    /** @param fetch the current connection's symbols; fails with {@link AgentError} when they cannot be had */
    SymbolCache(Supplier<List<Symbol>> fetch) {
        this.fetch = fetch;
    }

    /** The symbols; empty for a raw image, an older agent, or while disconnected. */
    SymbolTable table() {
        SymbolTable current = table;
        if (current == null) {
            List<Symbol> fetched;
            try {
                fetched = fetch.get();
            } catch (AgentError e) {
                fetched = List.of();
            }
            current = new SymbolTable(fetched);
            table = current;
        }
        return current;
    }

    /** Another connection: its target's symbols are fetched when next needed. */
    void forget() {
        table = null;
    }
}
