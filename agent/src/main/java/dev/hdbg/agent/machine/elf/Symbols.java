package dev.hdbg.agent.machine.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The named code and data of a loaded program: its function ({@code STT_FUNC}, {@code STT_GNU_IFUNC}) and object
 * ({@code STT_OBJECT}) symbols with a nonzero address, already moved by the load bias. Immutable.
 */
public final class Symbols {
    /** How far past a symbol of unknown size (size 0) an address is still described relative to it. */
    public static final long UNSIZED_REACH = 0x1000;
    private static final Symbols NONE = new Symbols(List.of());

    private final List<Symbol> tableOrder;
    private final List<Symbol> byAddress;
    private final Map<String, Symbol> byName = new HashMap<>();

    /**
     * A symbol.
     *
     * @param name    as in the string table
     * @param address where it is in the guest (bias included)
     * @param size    {@code st_size}; 0 when the object file did not say
     * @param kind    {@code "function"}, {@code "ifunc"} (a glibc resolver named after what it resolves) or
     *                {@code "object"}
     */
    public record Symbol(String name, long address, long size, String kind) {
        public Symbol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a symbol needs a name");
            }
            if (size < 0) {
                throw new IllegalArgumentException("symbol " + name + " has a negative size");
            }
        }

        Symbol moved(long bias) {
            return new Symbol(name, address + bias, size, kind);
        }

        /** Whether {@code a} is inside the symbol, or within {@link #UNSIZED_REACH} of an unsized one. */
        boolean covers(long a) {
            long offset = a - address;
            return Long.compareUnsigned(offset, size == 0 ? UNSIZED_REACH : size) < 0;
        }
    }

    /**
     * @param symbols in symbol-table order; when a name occurs more than once (a {@code static} function of
     *                several files, a local and a global), the last one wins {@link #byName}: the ELF
     *                specification puts every local symbol before the globals, so a global wins over locals
     */
    public Symbols(List<Symbol> symbols) {
        this.tableOrder = List.copyOf(symbols);
        for (Symbol s : symbols) {
            byName.put(s.name(), s);
        }
        List<Symbol> sorted = new ArrayList<>(symbols);
        sorted.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned).thenComparing(Symbol::name));
        this.byAddress = List.copyOf(sorted);
    }

    /** No symbols: a stripped program. */
    public static Symbols none() {
        return NONE;
    }

    /** These symbols moved by {@code bias} (the load bias of a static-pie; 0 changes nothing). */
    public Symbols relocated(long bias) {
        if (bias == 0) {
            return this;
        }
        // Table order is kept, so byName chooses among duplicates as before.
        return new Symbols(tableOrder.stream().map(s -> s.moved(bias)).toList());
    }

    /** Every symbol, sorted by address (unsigned), then by name. */
    public List<Symbol> all() {
        return byAddress;
    }

    public boolean isEmpty() {
        return byAddress.isEmpty();
    }

    /** The symbol named exactly {@code name} (case-sensitive); a global one if there are several. */
    public Optional<Symbol> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The symbols whose name matches {@code pattern}, sorted by address: WinDbg's {@code x} wildcards, {@code *}
     * for any run of characters and {@code ?} for one, everything else literal and case-sensitive.
     * {@code mem*} matches {@code memcpy} and {@code memset}; {@code main} matches only {@code main}.
     */
    public List<Symbol> matching(String pattern) {
        return byAddress.stream().filter(s -> wildcardMatches(pattern, s.name())).toList();
    }

    /**
     * Whether {@code name} matches {@code pattern} ({@code *} any run, {@code ?} one character,
     * everything else literal). Greedy with one backtrack point, so at most length x length steps:
     * the pattern comes from a host, and a regex of it ({@code *a*a*a...}) backtracks exponentially.
     */
    public static boolean wildcardMatches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))
                    && pattern.charAt(p) != '*') {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * Names {@code address} as {@code symbol+0xoffset} ({@code main} when the offset is 0), after the nearest
     * symbol at or below it. Empty when that symbol does not reach the address: it is past the symbol's size, or
     * more than {@link #UNSIZED_REACH} past a symbol of size 0. Of several symbols at the nearest address, a sized
     * one that covers the address is preferred, then the first by name.
     */
    public Optional<String> describe(long address) {
        int i = lastAtOrBelow(address);
        if (i < 0) {
            return Optional.empty();
        }
        long start = byAddress.get(i).address();
        int first = i;
        while (first > 0 && byAddress.get(first - 1).address() == start) {
            first--;
        }
        // Within one address the list is sorted by name, so the first covering symbol wins unless a sized one follows.
        Symbol best = null;
        for (int j = first; j <= i; j++) {
            Symbol s = byAddress.get(j);
            if (s.covers(address) && (best == null || best.size() == 0 && s.size() != 0)) {
                best = s;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        long offset = address - best.address();
        return Optional.of(offset == 0 ? best.name() : best.name() + "+0x" + Long.toHexString(offset));
    }

    /** The index of the last symbol (in address order) whose address is at or below {@code address}, or -1. */
    private int lastAtOrBelow(long address) {
        int low = 0;
        int high = byAddress.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(byAddress.get(mid).address(), address) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return byAddress.size() + " symbols";
    }
}
