package dev.hdbg.host.cli;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The target's symbols on the host side: names to addresses, and addresses to {@code symbol+0xNN}. */
public final class SymbolTable {
    /**
     * A symbol without a size (a label such as glibc's {@code _init}) names only its own address: stretching it
     * over what follows would call the PLT "_init+0xc8".
     */
    private static final long UNSIZED_REACH = 1;

    private final List<Symbol> byAddress;
    private final Map<String, Symbol> byName = new HashMap<>();
    private final List<LoadedModule> modules;

    /** A table whose names have no modules to qualify them (a static program's, or tests'). */
    public SymbolTable(List<Symbol> symbols) {
        this(symbols, List.of());
    }

    /**
     * @param symbols the target's: the program's named plainly, a library's with its module ({@code libc!malloc}); a
     *                library symbol is found by its plain name too, when the program has none of that name (the
     *                lowest address wins among libraries)
     * @param modules the target's modules, so that WinDbg's {@code module!name} finds a plainly named symbol too: the
     *                program's ({@code prog!main}, as {@code lm} names the program)
     */
    public SymbolTable(List<Symbol> symbols, List<LoadedModule> modules) {
        this.modules = List.copyOf(modules);
        this.byAddress = symbols.stream().sorted(Comparator.comparingLong(Symbol::address)).toList();
        for (Symbol s : byAddress) {
            byName.putIfAbsent(s.name(), s);
        }
        for (Symbol s : byAddress) {
            int bang = s.name().indexOf('!');
            if (bang > 0) {
                byName.putIfAbsent(s.name().substring(bang + 1), s);
            }
        }
    }

    public boolean isEmpty() {
        return byAddress.isEmpty();
    }

    /** Every name, for tab completion. */
    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /**
     * The address of {@code name}: a symbol as the agent named it ({@code main}, {@code libc!malloc}), a library's by
     * its plain name, or {@code module!name} for a plainly named symbol inside that module ({@code prog!main}).
     */
    public OptionalLong address(String name) {
        Symbol s = byName.get(name);
        if (s == null) {
            s = inNamedModule(name);
        }
        return s == null ? OptionalLong.empty() : OptionalLong.of(s.address());
    }

    /**
     * How to write {@code plain}'s symbol so that no hex number can be read instead ({@code f} is 0xf): with the
     * module that holds it ({@code prog!f}), or empty when there is no such symbol or no module holds it.
     */
    public Optional<String> qualifiedName(String plain) {
        Symbol s = byName.get(plain);
        if (s == null) {
            return Optional.empty();
        }
        if (s.name().indexOf('!') > 0) {
            return Optional.of(s.name());
        }
        return moduleHolding(s.address()).map(m -> m.name() + "!" + plain);
    }

    private Symbol inNamedModule(String name) {
        int bang = name.indexOf('!');
        if (bang <= 0) {
            return null;
        }
        String module = name.substring(0, bang);
        Symbol s = byName.get(name.substring(bang + 1));
        if (s == null || s.name().indexOf('!') > 0) {
            return null; // a library's symbol answers only to its own module, found above
        }
        return moduleHolding(s.address()).filter(m -> m.name().equalsIgnoreCase(module)).isPresent() ? s : null;
    }

    private Optional<LoadedModule> moduleHolding(long address) {
        return modules.stream().filter(m -> Long.compareUnsigned(m.base(), address) <= 0
                && Long.compareUnsigned(address, m.end()) < 0).findFirst();
    }

    /** {@code main+0x12} for an address inside a known symbol, else empty. */
    public Optional<String> describe(long address) {
        return containing(address).map(s -> {
            long offset = address - s.address();
            return offset == 0 ? s.name() : s.name() + "+0x" + Long.toHexString(offset);
        });
    }

    /** The symbol whose extent (its size, or its first byte for one without) holds {@code address}. */
    public Optional<Symbol> containing(long address) {
        int lo = 0;
        int hi = byAddress.size() - 1;
        Symbol best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Symbol s = byAddress.get(mid);
            if (Long.compareUnsigned(s.address(), address) <= 0) {
                best = s;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        long offset = address - best.address();
        long reach = best.size() > 0 ? best.size() : UNSIZED_REACH;
        return Long.compareUnsigned(offset, reach) < 0 ? Optional.of(best) : Optional.empty();
    }
}
