package dev.hdbg.agent;

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

    public void loadInto(Machine machine) throws IOException {
        long entryPoint = entry.orElse(base);
        if (image.isPresent()) {
            Path path = image.get();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("image file not found: " + path);
            }
            RawImageLoader.load(machine, path.getFileName().toString(), Files.readAllBytes(path), base, entryPoint);
        } else {
            RawImageLoader.load(machine, "sample " + sample.get(), Samples.bytes(sample.get()), base, entryPoint);
        }
    }
}
