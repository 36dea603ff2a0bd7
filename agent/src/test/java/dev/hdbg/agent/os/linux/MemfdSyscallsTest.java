package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memfd_create: a nameless file of the program's own /dev/shm, read and written through its descriptor; sealing and
 * unknown flags refused. ProcessProgramsIT compares a whole program with its native run (mapping, fork, names).
 */
class MemfdSyscallsTest {
    private static final int MEMFD_CREATE = 319;
    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int LSEEK = 8;
    private static final int FCNTL = 72;
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;

    @TempDir
    Path root;

    @Test
    void theFileIsReadAndWrittenThroughItsDescriptorAndHasNoNameInTheDirectory() throws IOException {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(MEMFD_CREATE, g.string("cache"), MemfdSyscalls.MFD_CLOEXEC);
            assertThat(fd).isNotNegative();
            byte[] text = "anonymous".getBytes(StandardCharsets.US_ASCII);
            assertThat(g.rax(WRITE, fd, g.put(text), text.length)).isEqualTo(text.length);
            assertThat(g.rax(LSEEK, fd, 0, 0)).isZero();
            long buffer = g.buffer(16);
            assertThat(g.rax(READ, fd, buffer, 16)).isEqualTo(text.length);
            assertThat(g.machine.memory().read(buffer, text.length)).containsExactly(text);
            assertThat(g.rax(FCNTL, fd, F_GETFD) & FD_CLOEXEC).isEqualTo(FD_CLOEXEC);

            Path shm = g.process.table().sharedMemory().directory();
            try (Stream<Path> names = Files.list(shm)) {
                assertThat(names).as("nameless, as Linux's").isEmpty();
            }
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void sealingUnknownFlagsAndLongNamesAreRefused() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(MEMFD_CREATE, g.string("s"), MemfdSyscalls.MFD_ALLOW_SEALING)).isEqualTo(-Errno.EINVAL);
            assertThat(g.notices).singleElement().asString().contains("MFD_ALLOW_SEALING", "not emulated");
            assertThat(g.rax(MEMFD_CREATE, g.string("s"), 0x100)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(MEMFD_CREATE, g.string("x".repeat(250)), 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(MEMFD_CREATE, g.string("x".repeat(249)), 0)).as("the longest name").isNotNegative();
            assertThat(g.rax(MEMFD_CREATE, 0, 0)).isEqualTo(-Errno.EFAULT);
        }
    }
}
