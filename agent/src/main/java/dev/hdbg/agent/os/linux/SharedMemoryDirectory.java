package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The guest's {@code /dev/shm}: a directory of the agent's own on the host, made at the first use and removed with
 * everything left in it when the program's run ends (or the agent does), as a tmpfs is empty at every boot. POSIX
 * shared memory and named semaphores live there (glibc's {@code shm_open} and {@code sem_open}; Python's
 * {@code multiprocessing} locks and arenas), so every process of the program sees the same files, always writable,
 * and none of them is the host's own {@code /dev/shm}. One per run: every process's {@link Sandbox} shares it.
 */
final class SharedMemoryDirectory {
    private Path directory;
    private Thread removal;

    /** The host directory, made now if it was not. @throws UncheckedIOException when the host cannot make it */
    synchronized Path directory() {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("hdbg-shm-");
            } catch (IOException e) {
                throw new UncheckedIOException("the guest's /dev/shm could not be made", e);
            }
            Path made = directory;
            removal = new Thread(() -> removeTree(made), "hdbg-shm-removal");
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
