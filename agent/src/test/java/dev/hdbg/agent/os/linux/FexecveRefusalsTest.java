package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * execveat with an empty path: fexecve's program is the file open at the descriptor; what is no file is refused as
 * Linux refuses it, and the process goes on. A run from a memfd is ProcessProgramsIT's (memfd.c), whole.
 */
class FexecveRefusalsTest {
    private static final int EXECVEAT = 322;
    private static final int OPEN = 2;
    private static final int PIPE = 22;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_DIRECTORY = 0200000;

    @TempDir
    Path root;

    @Test
    void anEmptyPathWithoutAtEmptyPathIsEnoent() {
        try (Guest g = new Guest(root, false)) {
            long argv = g.buffer(8);
            assertThat(g.rax(EXECVEAT, PathSyscalls.AT_FDCWD, g.string(""), argv, argv, 0)).isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void aDescriptorThatIsNoFileIsRefused() throws IOException {
        Files.createDirectories(root.resolve("d"));
        try (Guest g = new Guest(root, false)) {
            long argv = g.buffer(8);
            long empty = g.string("");
            assertThat(g.rax(EXECVEAT, 99, empty, argv, argv, AT_EMPTY_PATH)).as("not open").isEqualTo(-Errno.EBADF);
            long fds = g.buffer(8);
            assertThat(g.rax(PIPE, fds)).isZero();
            int readEnd = g.read(fds, 4).getInt(0);
            assertThat(g.rax(EXECVEAT, readEnd, empty, argv, argv, AT_EMPTY_PATH)).as("a pipe")
                    .isEqualTo(-Errno.EACCES);
            long directory = g.rax(OPEN, g.string("/d"), O_DIRECTORY);
            assertThat(g.rax(EXECVEAT, directory, empty, argv, argv, AT_EMPTY_PATH)).as("a directory")
                    .isEqualTo(-Errno.EACCES);
        }
    }

    @Test
    void aFileWithoutExecutePermissionIsRefused() throws IOException {
        Files.writeString(root.resolve("notes.txt"), "not a program");
        try (Guest g = new Guest(root, false)) {
            long argv = g.buffer(8);
            long fd = g.rax(OPEN, g.string("/notes.txt"), 0);
            assertThat(g.rax(EXECVEAT, fd, g.string(""), argv, argv, AT_EMPTY_PATH)).isEqualTo(-Errno.EACCES);
        }
    }
}
