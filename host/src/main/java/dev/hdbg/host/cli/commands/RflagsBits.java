package dev.hdbg.host.cli.commands;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The rflags bits {@code r} shows and sets by name, as WinDbg's {@code r zf} does (Intel SDM vol. 1, 3.4.3). */
final class RflagsBits {
    /** By name, in bit order. */
    static final Map<String, Integer> BITS;

    static {
        Map<String, Integer> bits = new LinkedHashMap<>();
        bits.put("cf", 0);
        bits.put("pf", 2);
        bits.put("af", 4);
        bits.put("zf", 6);
        bits.put("sf", 7);
        bits.put("tf", 8);
        bits.put("if", 9);
        bits.put("df", 10);
        bits.put("of", 11);
        BITS = Collections.unmodifiableMap(bits);
    }

    private RflagsBits() {
    }

    /** The bit number of a flag such as {@code zf}. */
    static Optional<Integer> bit(String name) {
        return Optional.ofNullable(BITS.get(name.toLowerCase(Locale.ROOT)));
    }

    /** {@code fl} and {@code efl}, WinDbg's names for the whole flags register. */
    static boolean isWholeRegister(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("fl") || n.equals("efl");
    }

    /** The names of the set flags, in bit order. */
    static List<String> set(long rflags) {
        List<String> names = new ArrayList<>();
        BITS.forEach((name, bit) -> {
            if ((rflags >>> bit & 1) != 0) {
                names.add(name);
            }
        });
        return names;
    }
}
