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
            return loadRaw(machine, image.getFileName().toString(), readImage(image, "--image"), base, entry);
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

    /**
     * The largest file the agent loads as a target: a gigabyte, the most an ELF image may map
     * ({@code SegmentLayout.MAX_IMAGE_BYTES}); the file is read whole, so a larger one would only exhaust the heap.
     */
    long MAX_FILE_BYTES = 1L << 30;

    /**
     * Refuses a target file that is too large to load before anything is read or created.
     *
     * @throws IllegalArgumentException naming the option, the file and its size
     */
    static void requireLoadable(Path file, String option) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new IllegalArgumentException(option + " " + file + " is empty: there is no code to run");
        }
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(option + " " + file + " is " + size + " bytes: a target file may be at most "
                    + MAX_FILE_BYTES + " bytes (1 GiB)");
        }
    }

    /** The whole of a target file that {@link #requireLoadable} accepts. */
    static byte[] readImage(Path file, String option) throws IOException {
        requireLoadable(file, option);
        return Files.readAllBytes(file);
    }

    private static TargetInfo loadRaw(Machine machine, String name, byte[] bytes, long base, long entry) {
        RawImageLoader.load(machine, name, bytes, base, entry);
        return TargetInfo.raw(name, base, base + bytes.length);
    }
}
