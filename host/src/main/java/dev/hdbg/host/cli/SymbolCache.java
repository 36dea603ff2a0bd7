package dev.hdbg.host.cli;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.host.client.AgentError;
import java.util.List;
import java.util.function.Supplier;

/**
 * The target's symbols as the session knows them: fetched on first use (a symbol in an expression, an address shown
 * as {@code main+0x12}, a completion), forgotten when the connection changes, and fetched again when the target's
 * modules changed: a dynamically linked program loads its libraries as it runs, so after each break or exit the short
 * module list is compared with the one the symbols came with.
 */
final class SymbolCache {
    private final Supplier<List<Symbol>> fetch;
    private final Supplier<List<LoadedModule>> modules;
    private volatile SymbolTable table;
    private volatile List<LoadedModule> fetchedWith = List.of();
    private volatile boolean modulesMayHaveChanged;

    /**
     * @param fetch   the current connection's symbols; fails with {@link AgentError} when they cannot be had
     * @param modules the current connection's modules, likewise
     */
    SymbolCache(Supplier<List<Symbol>> fetch, Supplier<List<LoadedModule>> modules) {
        this.fetch = fetch;
        this.modules = modules;
    }

    /** The symbols; empty for a raw image, an older agent, or while disconnected. */
    SymbolTable table() {
        SymbolTable current = table;
        if (current != null && modulesMayHaveChanged) {
            modulesMayHaveChanged = false;
            if (!modulesOrNone().equals(fetchedWith)) {
                current = null;
            }
        }
        if (current == null) {
            List<LoadedModule> with = modulesOrNone();
            List<Symbol> fetched;
            try {
                fetched = fetch.get();
            } catch (AgentError e) {
                fetched = List.of();
            }
            current = new SymbolTable(fetched, with);
            table = current;
            fetchedWith = with;
        }
        return current;
    }

    /** The target stopped (a break, its end): it may have loaded or unloaded a library since the symbols were had. */
    void stopped() {
        modulesMayHaveChanged = true;
    }

    /** Another connection: its target's symbols are fetched when next needed. */
    void forget() {
        table = null;
        fetchedWith = List.of();
    }

    private List<LoadedModule> modulesOrNone() {
        try {
            return modules.get();
        } catch (AgentError e) {
            return List.of();
        }
    }
}
