package dev.hdbg.agent;

import dev.hdbg.agent.debugger.TargetInfo;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.machine.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the agent runs, as the command line names it: a raw image file ({@code --image}), a built-in sample
 * ({@code --sample}) or a Linux program, static or dynamically linked ({@code --elf}). {@link AgentRuntime#start}
 * loads each its own way.
 */
public sealed interface Target permits Target.Raw, Target.Sample, ElfTarget {

    /** A built-in sample at the default base, entered at its first byte. */
    static Sample sample(String name) {
        return new Sample(name, RawImageLoader.DEFAULT_BASE, RawImageLoader.DEFAULT_BASE);
    }

    /**
     * Flat machine code from a file, loaded at {@code base} and entered at {@code entry}.
     *
     * @param image the file; it must exist when loaded
     */
    record Raw(Path image, long base, long entry) implements Target {
        /** Loads the image; what the debugger should know of it comes back. */
        public TargetInfo loadInto(Machine machine) throws IOException {
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException("image file not found: " + image);
            }
            return loadRaw(machine, image.getFileName().toString(), Files.readAllBytes(image), base, entry);
        }
    }

    /**
     * A built-in sample's bytes ({@link Samples}), loaded at {@code base} and entered at {@code entry}.
     *
     * @throws IllegalArgumentException naming the samples when {@code name} is not one
     */
    record Sample(String name, long base, long entry) implements Target {
        public Sample {
            if (!Samples.NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown sample '" + name + "' (known: " + String.join(", ", Samples.NAMES)
                        + ")");
            }
        }

        /** Loads the sample; what the debugger should know of it comes back. */
        public TargetInfo loadInto(Machine machine) {
            return loadRaw(machine, "sample " + name, Samples.bytes(name), base, entry);
        }
    }

    private static TargetInfo loadRaw(Machine machine, String name, byte[] bytes, long base, long entry) {
        RawImageLoader.load(machine, name, bytes, base, entry);
        return TargetInfo.raw(name, base, base + bytes.length);
    }
}
