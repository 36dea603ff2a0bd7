package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * picocli's classes on the host's (and the agent's) class path are of a class-file version JDK 25's AOT cache archives.
 * picocli's own jar holds Java 5 class files (major version 49): the training's dump skipped them ("Old class has been
 * linked"), so every start loaded and verified about 180 picocli classes from the jar (docs/benchmarks.md, "Start-up,
 * wave 15"). The build compiles picocli's sources with the project's release instead (hdbg-picocli).
 */
class PicocliClassFilesTest {
    /** Java 6's class-file version, the oldest the AOT cache archives (JDK 25 skips older classes at its dump). */
    private static final int OLDEST_ARCHIVED_MAJOR_VERSION = 50;

    private static final String COMMAND_LINE_CLASS_FILE = "picocli/CommandLine.class";

    @Test
    void picocliIsCompiledForAClassFileVersionTheAotCacheArchives() throws IOException {
        try (InputStream in = CommandLine.class.getResourceAsStream("CommandLine.class")) {
            assertThat(in).as(COMMAND_LINE_CLASS_FILE).isNotNull();
            assertThat(majorVersion(in)).isGreaterThanOrEqualTo(OLDEST_ARCHIVED_MAJOR_VERSION);
        }
    }

    @Test
    void onlyOneClassPathEntryHoldsPicocli() throws IOException {
        List<URL> copies = Collections.list(ClassLoader.getSystemClassLoader().getResources(COMMAND_LINE_CLASS_FILE));

        assertThat(copies).as("class path entries with " + COMMAND_LINE_CLASS_FILE).hasSize(1);
    }

    /** The class file's major version: after the magic number (4 bytes) and the minor version (2). */
    private static int majorVersion(InputStream classFile) throws IOException {
        DataInputStream data = new DataInputStream(classFile);
        assertThat(data.readInt()).as("class file magic").isEqualTo(0xCAFEBABE);
        data.readUnsignedShort();
        return data.readUnsignedShort();
    }
}
