package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** truncate, ftruncate and fallocate (truncate, shred, posix_fallocate), where the program may write. */
class LengthSyscallsTest {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int SEEK_CUR = 1;
    private static final int FALLOC_FL_KEEP_SIZE = 1;

    @TempDir
    Path root;

    @Test
    void ftruncateCutsAndExtendsWithZerosAndLeavesTheOffsetWhereItWas() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.writeString(root.resolve("w/f"), "0123456789");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            long fd = g.rax(2, g.string("/w/f"), O_RDWR);
            assertThat(g.rax(8, fd, 8, 0)).isEqualTo(8);
            assertThat(g.rax(77, fd, 4)).isZero();
            assertThat(Files.readString(root.resolve("w/f"))).isEqualTo("0123");
            assertThat(g.rax(8, fd, 0, SEEK_CUR)).as("the offset stays past the end, as Linux leaves it").isEqualTo(8);
            assertThat(g.rax(77, fd, 6)).isZero();
            assertThat(Files.readAllBytes(root.resolve("w/f"))).containsExactly('0', '1', '2', '3', 0, 0);
            assertThat(g.rax(77, fd, -1)).isEqualTo(-Errno.EINVAL);

            long readOnly = g.rax(2, g.string("/w/f"), O_RDONLY);
            assertThat(g.rax(77, readOnly, 0)).as("not open for writing").isEqualTo(-Errno.EINVAL);
            long pipe = g.buffer(8);
            assertThat(g.rax(22, pipe)).isZero();
            assertThat(g.rax(77, g.read(pipe, 4).getInt(0), 0)).as("a pipe").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(77, 99, 0)).isEqualTo(-Errno.EBADF);
        }
    }

    /**
     * A file grown by truncate or ftruncate has a hole, no block, as on Linux: {@code du} of {@code truncate -s 1G}
     * was 4 KiB (the agent wrote the last byte), and so it is for a file no name leads to any more.
     */
    @Test
    void growingAFileLeavesAHoleNamedOrUnlinked() throws IOException {
        Files.createDirectories(root.resolve("w"));
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            long fd = g.rax(2, g.string("/w/sparse"), O_RDWR | 0100, 0644); // O_CREAT
            assertThat(g.rax(76, g.string("/w/sparse"), 1L << 30)).isZero();
            long stat = g.buffer(144);
            assertThat(g.rax(5, fd, stat)).isZero();
            assertThat(g.read(stat + 48, 8).getLong(0)).as("st_size").isEqualTo(1L << 30);
            assertThat(g.read(stat + 64, 8).getLong(0)).as("st_blocks").isZero();

            assertThat(g.rax(87, g.string("/w/sparse"))).as("unlink").isZero();
            assertThat(g.rax(77, fd, 2L << 30)).isZero();
            assertThat(g.rax(5, fd, stat)).isZero();
            assertThat(g.read(stat + 48, 8).getLong(0)).isEqualTo(2L << 30);
            assertThat(g.read(stat + 64, 8).getLong(0)).isZero();
        }
    }

    @Test
    void truncateByPathNeedsAWritablePlace() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("w/f"), "0123456789");
        Files.writeString(root.resolve("etc/motd"), "read-only");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(76, g.string("/w/f"), 3)).isZero();
            assertThat(Files.readString(root.resolve("w/f"))).isEqualTo("012");
            assertThat(g.rax(76, g.string("/etc/motd"), 0)).isEqualTo(-Errno.EROFS);
            assertThat(Files.readString(root.resolve("etc/motd"))).isEqualTo("read-only");
            assertThat(g.rax(76, g.string("/w"), 0)).isEqualTo(-Errno.EISDIR);
            assertThat(g.rax(76, g.string("/w/none"), 0)).isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(76, g.string("/w/f"), -1)).isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void fallocateGrowsAFileAndKeepsWhatItHeld() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.writeString(root.resolve("w/f"), "abc");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            long fd = g.rax(2, g.string("/w/f"), O_RDWR);
            assertThat(g.rax(285, fd, 0, 0, 8192)).isZero();
            assertThat(Files.size(root.resolve("w/f"))).isEqualTo(8192);
            assertThat(Files.readString(root.resolve("w/f")).substring(0, 3)).isEqualTo("abc");
            long stat = g.buffer(144);
            assertThat(g.rax(5, fd, stat)).isZero();
            assertThat(g.read(stat + 64, 8).getLong(0)).as("st_blocks: allocated, as fallocate -l makes them")
                    .isGreaterThanOrEqualTo(16);
            assertThat(g.rax(285, fd, 0, 0, 10)).as("already that long").isZero();
            assertThat(Files.size(root.resolve("w/f"))).isEqualTo(8192);
            assertThat(g.rax(285, fd, FALLOC_FL_KEEP_SIZE, 0, 10)).isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(285, fd, 0, 0, 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(285, fd, 0, Long.MAX_VALUE, 10)).isEqualTo(-Errno.EFBIG);
            long readOnly = g.rax(2, g.string("/w/f"), O_RDONLY);
            assertThat(g.rax(285, readOnly, 0, 0, 10)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void syncAndSyncfsHaveNothingToWaitFor() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(162)).isZero();
            assertThat(g.rax(306, 1)).isZero();
            assertThat(g.rax(306, 99)).isEqualTo(-Errno.EBADF);
        }
    }
}
