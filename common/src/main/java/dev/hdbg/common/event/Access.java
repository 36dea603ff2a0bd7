package dev.hdbg.common.event;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of memory access, as {@code !monitor}'s attribute names it ({@code r}, {@code w}, {@code x});
 * a set of them is an {@code EnumSet<Access>}.
 */
public enum Access {
    READ('r', 1), WRITE('w', 2), EXECUTE('x', 4);

    private final char letter;
    private final int bit;

    Access(char letter, int bit) {
        this.letter = letter;
        this.bit = bit;
    }

    /** HyperDbg's letter for this access: r, w or x. */
    public char letter() {
        return letter;
    }

    /** The access HyperDbg's letter names, in either case. */
    public static Optional<Access> ofLetter(char c) {
        char lower = Character.toLowerCase(c);
        for (Access a : values()) {
            if (a.letter == lower) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The letters of {@code accesses} in r, w, x order: {@code rw}; empty for none. */
    public static String letters(Set<Access> accesses) {
        StringBuilder text = new StringBuilder(3);
        for (Access a : values()) {
            if (accesses.contains(a)) {
                text.append(a.letter);
            }
        }
        return text.toString();
    }

    /**
     * The bits the wire ({@code EventSpec.access}) and {@code --json}'s {@code access} carry: 1 read, 2 write,
     * 4 execute.
     */
    public static int bits(Set<Access> accesses) {
        int bits = 0;
        for (Access a : accesses) {
            bits |= a.bit;
        }
        return bits;
    }

    /**
     * The accesses {@link #bits} gives as {@code bits}.
     *
     * @throws IllegalArgumentException when a bit other than 1, 2 and 4 is set
     */
    public static EnumSet<Access> ofBits(int bits) {
        EnumSet<Access> set = EnumSet.noneOf(Access.class);
        int left = bits;
        for (Access a : values()) {
            if ((bits & a.bit) != 0) {
                set.add(a);
                left &= ~a.bit;
            }
        }
        if (left != 0) {
            throw new IllegalArgumentException("access bits 0x" + Integer.toHexString(bits)
                    + " name no access (1 read, 2 write, 4 execute)");
        }
        return set;
    }

    /** An unmodifiable copy, iterating in r, w, x order. */
    public static Set<Access> copyOf(Collection<Access> accesses) {
        return Collections.unmodifiableSet(accesses.isEmpty() ? EnumSet.noneOf(Access.class) : EnumSet.copyOf(accesses));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
