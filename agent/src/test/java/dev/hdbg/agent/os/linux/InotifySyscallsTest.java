package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * inotify's bounds and lifetimes, which the C program compared with Linux (inotify.c, ProcessProgramsIT) cannot reach
 * in a test's time: the queue's overflow, a read too short, the watches that go with the last descriptor, a watch on a
 * virtual file, and a program that watches nothing leaving the machine's hooks idle.
 */
class InotifySyscallsTest {
    private static final int IN_NONBLOCK = 04000;
    private static final int IN_OPEN = 0x20;
    private static final int IN_CLOSE_NOWRITE = 0x10;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int O_RDONLY = 0;
    private static final int FIONREAD = 0x541b;

    @TempDir
    Path root;

    @Test
    void pastSixteenThousandEventsOneOverflowStandsForTheRest() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(294, IN_NONBLOCK);
            assertThat(g.rax(254, fd, g.string("/f"), IN_OPEN | IN_CLOSE_NOWRITE)).isEqualTo(1);
            long path = g.string("/f");
            for (int i = 0; i < 8_200; i++) { // OPEN, CLOSE_NOWRITE, OPEN ...: never two alike in a row, none merged
                assertThat(g.rax(3, g.rax(2, path, O_RDONLY))).isZero();
            }
            long count = g.buffer(4);
            assertThat(g.rax(16, fd, FIONREAD, count)).isZero();
            assertThat(g.read(count, 4).getInt(0)).as("16,384 events and the overflow, 16 bytes each")
                    .isEqualTo(16 * 16_385);
            long buffer = g.buffer(4096);
            long total = 0;
            long got;
            ByteBuffer last = null;
            while ((got = g.rax(0, fd, buffer, 4096)) > 0) {
                total += got;
                last = g.read(buffer + got - 16, 16).order(ByteOrder.LITTLE_ENDIAN);
            }
            assertThat(got).as("then nothing: EAGAIN").isEqualTo(-Errno.EAGAIN);
            assertThat(total).isEqualTo(16 * 16_385);
            assertThat(last.getInt(0)).as("wd -1").isEqualTo(-1);
            assertThat(last.getInt(4)).isEqualTo(IN_Q_OVERFLOW);
        }
    }

    @Test
    void aReadTooShortForTheNextEventIsEinvalAndTakesNothing() throws Exception {
        Files.createDirectory(root.resolve("d"));
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(294, IN_NONBLOCK);
            assertThat(g.rax(254, fd, g.string("/d"), 0x100)).isEqualTo(1); // IN_CREATE
            assertThat(g.rax(83, g.string("/d/a-long-name"), 0755)).isZero();
            long buffer = g.buffer(64);
            assertThat(g.rax(0, fd, buffer, 16)).as("16 bytes of header, a name past them").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(0, fd, buffer, 64)).isEqualTo(32);
            assertThat(new String(g.read(buffer + 16, 13).array())).isEqualTo("a-long-name\0\0");
        }
    }

    @Test
    void theLastCloseTakesTheWatchesAndAWatchOnAVirtualFileNeverFires() throws Exception {
        Files.writeString(root.resolve("f"), "x");
        try (Guest g = new Guest(root, false)) {
            FileWatches watches = g.process.table().fileWatches();
            assertThat(watches.any()).as("nothing watched: every hook returns at once").isFalse();
            long fd = g.rax(253);
            assertThat(g.rax(254, fd, g.string("/f"), IN_OPEN)).isEqualTo(1);
            assertThat(g.rax(254, fd, g.string("/proc/self/status"), IN_OPEN)).isEqualTo(2);
            assertThat(g.rax(254, fd, g.string("/proc/self/none"), IN_OPEN)).isEqualTo(-Errno.ENOENT);
            long copy = g.rax(32, fd);
            assertThat(g.rax(3, fd)).isZero();
            assertThat(watches.any()).as("a duplicate still holds the instance").isTrue();
            assertThat(g.rax(3, g.rax(2, g.string("/proc/self/status"), O_RDONLY))).isZero();
            long count = g.buffer(4);
            assertThat(g.rax(16, copy, FIONREAD, count)).isZero();
            assertThat(g.read(count, 4).getInt(0)).as("nothing from the virtual file").isZero();
            assertThat(g.rax(3, copy)).isZero();
            assertThat(watches.any()).isFalse();
        }
    }
}
