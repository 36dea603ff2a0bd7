package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.os.linux.Sandbox;
import dev.hdbg.common.model.FilePart;
import dev.hdbg.common.wire.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The target's files as a host reads them (protocol 1.17): beneath the program's root, regular files, read-only. */
class TargetFilesTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;
    private final TargetFiles files = new TargetFiles();
    private Function<String, Optional<Path>> sandbox;
    private final byte[] library = new byte[3 * Protocol.MAX_FILE_READ / 2];

    @BeforeEach
    void makeTheRoot() throws IOException {
        for (int i = 0; i < library.length; i++) {
            library[i] = (byte) (i * 7);
        }
        Files.createDirectories(root.resolve("lib"));
        Files.write(root.resolve("lib/libc.so.6"), library);
        Files.createSymbolicLink(root.resolve("lib/libc.so"), Path.of("/lib/libc.so.6")); // absolute: the root's
        Files.writeString(outside.resolve("secret"), "not the target's");
        Files.createSymbolicLink(root.resolve("lib/escape"), outside.resolve("secret"));
        Sandbox box = new Sandbox(root);
        sandbox = path -> box.find(path).map(Sandbox.Found::host);
    }

    private FilePart read(String path, long offset, long length) {
        return files.read(sandbox, path, offset, length).join();
    }

    @Test
    void aPartIsReadFromItsOffsetWithTheWholeFilesSize() {
        FilePart part = read("/lib/libc.so.6", 100, 16);

        assertThat(part.size()).isEqualTo(library.length);
        assertThat(part.data()).isEqualTo(java.util.Arrays.copyOfRange(library, 100, 116));
        assertThat(read("/lib/libc.so", 0, 4).data()).as("a link beneath the root").containsExactly(0, 7, 14, 21);
    }

    @Test
    void lengthZeroIsTheSizeAloneAndAReadStopsAtTheEndOrAtTheLargestPart() {
        assertThat(read("/lib/libc.so.6", 0, 0).data()).isEmpty();
        assertThat(read("/lib/libc.so.6", library.length - 3, 16).data()).hasSize(3);
        assertThat(read("/lib/libc.so.6", library.length + 10, 16).data()).isEmpty();
        assertThat(read("/lib/libc.so.6", 0, library.length).data()).hasSize(Protocol.MAX_FILE_READ);
    }

    @Test
    void onlyRegularFilesBeneathTheRootAreFound() {
        assertNotFound("/lib/missing.so");
        assertNotFound("/lib"); // a directory
        assertNotFound("/lib/escape"); // a link out of the root is followed beneath it, where there is nothing
        assertNotFound("/../" + outside.getFileName() + "/secret");
        assertNotFound("/proc/self/maps"); // made up by the process, no file here
    }

    @Test
    void aPathThatIsNotAbsoluteAndATargetWithoutFilesAreRefused() {
        assertThatThrownBy(() -> read("lib/libc.so.6", 0, 1)).hasCauseInstanceOf(DebuggerException.class)
                .cause().hasMessageContaining("absolute path");
        assertThatThrownBy(() -> read("/" + "a".repeat(TargetFiles.MAX_PATH), 0, 1)).cause()
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> files.read(null, "/lib/libc.so.6", 0, 1).join()).cause()
                .isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.BAD_STATE))
                .hasMessageContaining("a raw image has no files");
    }

    private void assertNotFound(String path) {
        assertThatThrownBy(() -> read(path, 0, 1)).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.NOT_FOUND));
    }
}
