package dev.hdbg.agent;

import dev.hdbg.agent.debugger.TargetInfo;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.machine.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What to load into the machine: a raw image file, or a built-in sample.
 *
 * @param entry defaults to the base
 */
public record TargetOptions(Optional<Path> image, Optional<String> sample, long base, Optional<Long> entry) {
    public TargetOptions {
        if (image.isPresent() == sample.isPresent()) {
            throw new IllegalArgumentException("give exactly one target: --image FILE or --sample NAME (samples: "
                    + String.join(", ", Samples.NAMES) + ")");
        }
    }

    public static TargetOptions sample(String name) {
        return new TargetOptions(Optional.empty(), Optional.of(name), RawImageLoader.DEFAULT_BASE, Optional.empty());
    }

    /** Loads the raw image or sample; what the debugger should know of it comes back. */
    public TargetInfo loadInto(Machine machine) throws IOException {
        long entryPoint = entry.orElse(base);
        String name;
        byte[] bytes;
        if (image.isPresent()) {
            Path path = image.get();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("image file not found: " + path);
            }
            name = path.getFileName().toString();
            bytes = Files.readAllBytes(path);
        } else {
            name = "sample " + sample.get();
            bytes = Samples.bytes(sample.get());
        }
        RawImageLoader.load(machine, name, bytes, base, entryPoint);
        return TargetInfo.raw(name, base, base + bytes.length);
    }
}
