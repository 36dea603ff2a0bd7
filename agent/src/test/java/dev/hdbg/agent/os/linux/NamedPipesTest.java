package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mkfifo's named pipes between the machine's processes (mknodat was ENOSYS, and a FIFO on the host EACCES): a reader's
 * open waits for a writer, a writer's for a reader, and the bytes pass; Linux's non-blocking rules.
 */
class NamedPipesTest {
    private static final int AT_FDCWD = -100;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 04000;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    private static long open(Guest g, String path, int flags) {
        return g.rax(257, AT_FDCWD, g.string(path), flags, 0);
    }

    @Test
    void aFifoMadeWhereTheProgramWritesCarriesBytesByLinuxsOpeningRules() throws Exception {
        Files.createDirectories(root.resolve("w"));
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(259, AT_FDCWD, g.string("/w/f"), S_IFIFO | 0644, 0)).isZero();
            assertThat(Files.readAttributes(root.resolve("w/f"), "unix:mode").get("mode"))
                    .as("a FIFO on the host").matches(m -> ((int) m & 0170000) == S_IFIFO);
            assertThat(g.rax(259, AT_FDCWD, g.string("/w/f"), S_IFIFO | 0644, 0)).isEqualTo(-Errno.EEXIST);
            assertThat(g.rax(259, AT_FDCWD, g.string("/f"), S_IFIFO | 0644, 0)).isEqualTo(-Errno.EROFS);
            assertThat(g.rax(133, g.string("/w/tty"), S_IFCHR | 0600, 0x0501)).as("a device").isEqualTo(-Errno.EPERM);

            assertThat(open(g, "/w/f", O_WRONLY | O_NONBLOCK)).as("a writer, no reader").isEqualTo(-Errno.ENXIO);
            long reader = open(g, "/w/f", O_RDONLY | O_NONBLOCK);
            assertThat(reader).as("a reader that does not wait").isPositive();
            long buffer = g.buffer(16);
            assertThat(g.rax(0, reader, buffer, 16)).as("no writer: end of file").isZero();
            long writer = open(g, "/w/f", O_WRONLY | O_NONBLOCK);
            assertThat(writer).as("a reader is there now").isPositive();
            assertThat(g.rax(1, writer, g.string("abc"), 3)).isEqualTo(3);
            assertThat(g.rax(0, reader, buffer, 16)).isEqualTo(3);
            assertThat(g.rax(0, reader, buffer, 16)).as("empty, a writer open").isEqualTo(-Errno.EAGAIN);
            long both = open(g, "/w/f", O_RDWR);
            assertThat(both).as("O_RDWR waits for no one").isPositive();
            assertThat(g.rax(3, reader)).isZero();
            assertThat(g.rax(3, both)).isZero();
            assertThat(g.call(1, writer, g.string("x"), 1)).as("every reader gone: SIGPIPE")
                    .isEqualTo(new LinuxSyscalls.Result.Killed(13));
        }
    }

    @Test
    void aReadersOpenWaitsForAnotherProcesssWriter() throws Exception {
        Files.createDirectories(root.resolve("w"));
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(259, AT_FDCWD, g.string("/w/f"), S_IFIFO | 0600, 0)).isZero();
            long path = g.string("/w/f");
            long message = g.string("from the child");
            assertThat(g.spawn(57)).as("fork").isEqualTo(4243);
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(257, AT_FDCWD, path, O_RDONLY, 0)).as("the parent's reader waits")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the child runs").isEqualTo(4243);
            long writer = g.rax(257, AT_FDCWD, path, O_WRONLY, 0);
            assertThat(writer).as("a reader waits: the writer opens at once").isPositive();
            assertThat(g.rax(1, writer, message, 14)).isEqualTo(14);
            assertThat(g.call(231, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("the parent makes its open again").isEqualTo(257);
            long reader = g.rax(257, AT_FDCWD, path, O_RDONLY, 0);
            assertThat(reader).isPositive();
            long buffer = g.buffer(32);
            assertThat(g.rax(0, reader, buffer, 32)).isEqualTo(14);
            assertThat(new String(g.machine.memory().read(buffer, 14), StandardCharsets.UTF_8))
                    .isEqualTo("from the child");
            assertThat(g.rax(0, reader, buffer, 32)).as("the writer ended with the child").isZero();
        }
    }

    @Test
    void aFifoTheHostMadeOutsideTheWritablePlacesStaysOutOfReach() throws Exception {
        Path fifo = root.resolve("hostfifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        try (Guest g = new Guest(root, false)) {
            assertThat(open(g, "/hostfifo", O_RDONLY | O_NONBLOCK)).isEqualTo(-Errno.EACCES);
        }
    }
}
