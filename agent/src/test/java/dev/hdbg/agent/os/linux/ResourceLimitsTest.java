package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ulimit's limits are the process's: a fork inherits them, RLIMIT_NOFILE bounds the descriptors and RLIMIT_AS the
 * mapped memory, as Linux enforces them (before, each process had the defaults, and neither was enforced).
 */
class ResourceLimitsTest {
    private static final int PRLIMIT = 302;
    private static final int RLIMIT_NOFILE = 7;
    private static final int RLIMIT_AS = 9;
    private static final int OPEN = 2;
    private static final int DUP2 = 33;
    private static final int FCNTL = 72;
    private static final int F_DUPFD = 0;
    private static final int MMAP = 9;
    private static final int BRK = 12;
    private static final int PROT_RW = 3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;

    @TempDir
    Path root;

    private static long limit(Guest g, long soft, long hard) {
        return g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(soft).putLong(hard).array());
    }

    @Test
    void rlimitNofileBoundsNewDescriptorsAndAForkInheritsIt() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(PRLIMIT, 0, RLIMIT_NOFILE, limit(g, 5, 1024), 0)).isZero();
            long devNull = g.string("/dev/null");
            assertThat(g.rax(OPEN, devNull, 0)).isEqualTo(3);
            assertThat(g.rax(OPEN, devNull, 0)).isEqualTo(4);
            assertThat(g.rax(OPEN, devNull, 0)).as("a sixth").isEqualTo(-Errno.EMFILE);
            assertThat(g.rax(DUP2, 0, 7)).isEqualTo(-Errno.EBADF);
            assertThat(g.rax(FCNTL, 0, F_DUPFD, 6)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(PRLIMIT, 0, RLIMIT_NOFILE, limit(g, 5, 2048), 0)).as("a raised hard limit")
                    .isEqualTo(-Errno.EPERM);

            long child = g.spawn(57);
            long old = g.buffer(16);
            assertThat(g.rax(PRLIMIT, child, RLIMIT_NOFILE, 0, old)).isZero();
            assertThat(g.machine.memory().read(old, 8)).as("the child's soft limit")
                    .isEqualTo(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(5).array());
            assertThat(g.rax(PRLIMIT, 9999, RLIMIT_NOFILE, 0, old)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PRLIMIT, 0, RLIMIT_NOFILE, limit(g, 1024, 1024), 0)).as("the parent's own, raised again")
                    .isZero();
            assertThat(g.rax(OPEN, devNull, 0)).isEqualTo(5);
        }
    }

    @Test
    void rlimitAsRefusesMemoryPastIt() {
        try (Guest g = new Guest(root, false)) {
            long mapped = g.process.mappings().totalBytes();
            assertThat(g.rax(PRLIMIT, 0, RLIMIT_AS, limit(g, mapped + (1 << 20), -1), 0)).isZero();
            assertThat(g.rax(MMAP, 0, 2 << 20, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0)).isEqualTo(-Errno.ENOMEM);
            long small = g.rax(MMAP, 0, 512 << 10, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            assertThat(small).isPositive();
            assertThat(g.rax(MMAP, small, 512 << 10, PROT_RW, MAP_PRIVATE_ANONYMOUS | 0x10, -1, 0))
                    .as("MAP_FIXED over its own range adds nothing").isEqualTo(small);
            long brk = g.rax(BRK, 0);
            assertThat(g.rax(BRK, brk + (4 << 20))).as("a failed brk returns the old break").isEqualTo(brk);
        }
    }
}
