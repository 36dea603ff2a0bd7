package dev.hdbg.common.event;

import java.util.Locale;
import java.util.Optional;

/**
 * A kind of memory access, as {@code !monitor}'s attribute names it ({@code r}, {@code w}, {@code x});
 * a set of them is an {@code EnumSet<Access>}.
 */
public enum Access {
    READ('r'), WRITE('w'), EXECUTE('x');

    private final char letter;

    Access(char letter) {
        this.letter = letter;
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

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
