package dev.hdbg.host.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** The project's {@code bin/hdbg}, for tests that run it as a user would. */
final class Launcher {
    private Launcher() {
    }

    /**
     * {@code bin/hdbg}, told that the build is current: Maven compiled the classes this test runs against, and
     * the launcher must not rebuild because another source file changed since (it rebuilds when a source is
     * newer than {@code host/target/lib}).
     */
    static Path hdbg() throws IOException {
        Path root = projectRoot();
        Path built = root.resolve("host/target/lib");
        if (Files.isDirectory(built)) {
            Files.setLastModifiedTime(built, FileTime.from(Instant.now()));
        }
        return root.resolve("bin/hdbg");
    }

    private static Path projectRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/hdbg"))) {
                return p;
            }
        }
        throw new IllegalStateException("bin/hdbg not found above " + System.getProperty("user.dir"));
    }
}
