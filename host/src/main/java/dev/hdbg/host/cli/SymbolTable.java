package dev.hdbg.host.cli;

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

    /**
     * @param symbols the target's: the program's named plainly, a library's with its module ({@code libc!malloc}); a
     *                library symbol is found by its plain name too, when the program has none of that name (the
     *                lowest address wins among libraries)
     */
    public SymbolTable(List<Symbol> symbols) {
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

    public OptionalLong address(String name) {
        Symbol s = byName.get(name);
        return s == null ? OptionalLong.empty() : OptionalLong.of(s.address());
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
