package dev.hdbg.agent.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The built-in sample targets: raw images assembled from {@code samples/NAME.asm} (committed
 * beside the bytes, {@code samples/NAME.bin}), all loaded at {@link RawImageLoader#DEFAULT_BASE}.
 */
public final class Samples {
    /** loop: counts RCX down to zero (default 0x1000000) then hlt. cpuid: a few CPUID leaves.
     *  demo: a function called in a loop, with CPUID, for the demo. events: one of each instruction
     *  HyperDbg has an event for. */
    public static final List<String> NAMES = List.of("loop", "cpuid", "demo", "events");

    private Samples() {
    }

    /**
     * @throws IllegalArgumentException naming the known samples when {@code name} is not one
     */
    public static byte[] bytes(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown sample '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name + ".bin")) {
            if (in == null) {
                throw new IllegalStateException("sample '" + name + "' is missing from the agent's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
