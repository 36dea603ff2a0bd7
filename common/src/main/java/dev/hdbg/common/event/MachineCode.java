package dev.hdbg.common.event;

import java.util.Arrays;
import java.util.HexFormat;

/** Machine-code bytes a host sends for a condition or a custom code; immutable. */
public final class MachineCode {
    private final byte[] bytes;

    private MachineCode(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MachineCode of(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("machine code must not be empty");
        }
        return new MachineCode(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes as HyperDbg writes them: {@code 48 ff 01}. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineCode other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
