package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of the program's own, as a tmpfs mounted there is on Linux ({@link PrivateDirectories}): a directory of
 * the agent's on the host, made at the first use and removed with everything left in it when the program's run ends
 * (or the agent does), as a tmpfs is empty at every boot. Every process of the program sees the same files, always
 * writable, and none of them is the host's file of the same name.
 */
final class PrivateDirectory {
    /** How the host directory's name begins ({@code hdbg-shm-}), so that one left behind says whose it was. */
    private final String prefix;
    private Path directory;
    private Thread removal;

    PrivateDirectory(String prefix) {
        this.prefix = prefix;
    }

    /** The host directory, made now if it was not. @throws UncheckedIOException when the host cannot make it */
    synchronized Path directory() {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory(prefix);
            } catch (IOException e) {
                throw new UncheckedIOException("the program's own directory could not be made in the host's " + System.getProperty("java.io.tmpdir"), e);
            }
            Path made = directory;
            removal = new Thread(() -> removeTree(made), prefix + "removal");
            Runtime.getRuntime().addShutdownHook(removal);
        }
        return directory;
    }

    /** The host directory, if it was made. */
    synchronized Optional<Path> ifMade() {
        return Optional.ofNullable(directory);
    }

    /** The run ended: the directory and what the program left in it are removed. */
    synchronized void remove() {
        if (directory == null) {
            return;
        }
        removeTree(directory);
        try {
            Runtime.getRuntime().removeShutdownHook(removal);
        } catch (IllegalStateException e) {
            // The JVM is shutting down already: its hook removes nothing more.
        }
        directory = null;
        removal = null;
    }

    private static void removeTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Left behind in the host's temporary directory: nothing the guest sees again.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Gone already.
        }
    }
}
