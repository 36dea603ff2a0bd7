package dev.hdbg.common.script;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The target's symbols, resolved while a script is checked: HyperDbg writes {@code nt!ExAllocatePoolWithTag} and
 * turns it into a number before the script runs, and so does hdbg.
 */
@FunctionalInterface
public interface SymbolResolver {
    /** A resolver that knows no symbol. */
    SymbolResolver NONE = name -> OptionalLong.empty();

    /**
     * The address of a symbol.
     *
     * @param name as the script writes it: {@code module!symbol}, or a plain {@code symbol} that is not a variable
     * @return the address, or empty when the target has no such symbol
     */
    OptionalLong address(String name);

    /** A resolver over a fixed table, for tests and for a host that has the table at hand. */
    static SymbolResolver of(Map<String, Long> table) {
        Map<String, Long> copy = Map.copyOf(table);
        return name -> copy.containsKey(name) ? OptionalLong.of(copy.get(name)) : OptionalLong.empty();
    }
}
