package dev.hdbg.host.asm;

import java.util.Objects;

/**
 * Machine code the assembler made.
 *
 * @param origin     the address it was assembled for: where it must run for its absolute jumps and calls to land
 * @param bytes      the code
 * @param statements what it was made from
 */
public record Assembly(long origin, byte[] bytes, Statements statements) {
    public Assembly {
        Objects.requireNonNull(statements, "statements");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
