package dev.hdbg.agent.vmx.decode;

import java.util.HashMap;
import java.util.Map;

/**
 * The general-purpose registers by every name Capstone prints for them in 64-bit code ({@code rax}, {@code eax},
 * {@code ax}, {@code al}, {@code ah}, {@code r8d}, {@code sil} ...), each as the part of a 64-bit register it names.
 */
public final class GeneralRegisters {
    /** {@code bits} bits of the 64-bit register {@code wide}, from bit {@code shift} ({@code ah}: rax, 8, 8). */
    public record Part(String wide, int shift, int bits) {
    }

    private static final Map<String, Part> PARTS = parts();

    private GeneralRegisters() {
    }

    /** The register {@code name} names, or null when it names no general-purpose register. */
    public static Part of(String name) {
        return PARTS.get(name);
    }

    private static Map<String, Part> parts() {
        Map<String, Part> names = new HashMap<>();
        String[] legacy = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
        for (int i = 0; i < legacy.length; i++) {
            String wide = "r" + legacy[i];
            names.put(wide, new Part(wide, 0, 64));
            names.put("e" + legacy[i], new Part(wide, 0, 32));
            names.put(legacy[i], new Part(wide, 0, 16));
            names.put(i < 4 ? legacy[i].charAt(0) + "l" : legacy[i] + "l", new Part(wide, 0, 8));
            if (i < 4) {
                names.put(legacy[i].charAt(0) + "h", new Part(wide, 8, 8));
            }
        }
        for (int i = 8; i < 16; i++) {
            String wide = "r" + i;
            names.put(wide, new Part(wide, 0, 64));
            names.put(wide + "d", new Part(wide, 0, 32));
            names.put(wide + "w", new Part(wide, 0, 16));
            names.put(wide + "b", new Part(wide, 0, 8));
        }
        return Map.copyOf(names);
    }
}
