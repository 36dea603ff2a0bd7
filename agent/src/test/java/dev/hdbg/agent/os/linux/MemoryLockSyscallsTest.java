package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mlock and its kin succeed on mapped memory (gpg locks its secure memory, and said "system call 149 is not
 * implemented"), and get_mempolicy describes one NUMA node, which set_mempolicy's
 * every policy keeps (ps and pgrep ask and set).
 */
class MemoryLockSyscallsTest {
    private static final long PAGE = 4096;
    private static final int MPOL_F_MEMS_ALLOWED = 4;

    @TempDir
    Path root;

    @Test
    void lockingMappedMemorySucceedsAndUnmappedMemoryIsRefused() {
        try (Guest g = new Guest(root, false)) {
            long pages = g.rax(9, 0, 2 * PAGE, 3, 0x22, -1, 0); // mmap PROT_READ|WRITE, MAP_PRIVATE|ANONYMOUS
            assertThat(pages).isPositive();
            assertThat(g.rax(149, pages + 100, PAGE)).as("mlock of a range within two pages").isZero();
            assertThat(g.rax(150, pages, 2 * PAGE)).as("munlock").isZero();
            assertThat(g.rax(325, pages, PAGE, 1)).as("mlock2 MLOCK_ONFAULT").isZero();
            assertThat(g.rax(325, pages, PAGE, 2)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(11, pages + PAGE, PAGE)).as("munmap the second page").isZero();
            assertThat(g.rax(149, pages, 2 * PAGE)).as("a range with a hole").isEqualTo(-Errno.ENOMEM);
            assertThat(g.rax(151, 1 | 2)).as("mlockall current and future").isZero();
            assertThat(g.rax(151, 4)).as("MCL_ONFAULT alone").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(152)).isZero();
        }
    }

    @Test
    void theMemoryPolicyIsTheDefaultOnNodeZero() {
        try (Guest g = new Guest(root, false)) {
            long mode = g.put(new byte[] {7, 7, 7, 7});
            long mask = g.put(new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
            assertThat(g.rax(239, mode, 0, 0, 0, 0)).isZero();
            assertThat(g.read(mode, 4).getInt(0)).as("MPOL_DEFAULT").isZero();
            assertThat(g.rax(239, 0, mask, 64, 0, MPOL_F_MEMS_ALLOWED)).isZero();
            assertThat(g.read(mask, 8).getLong(0)).as("node 0 allowed").isEqualTo(1);
            assertThat(g.rax(239, 0, 0, 0, 0, 8)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(238, 2, mask, 64)).as("set_mempolicy MPOL_BIND to node 0").isZero();
            assertThat(g.rax(238, 9, 0, 0)).isEqualTo(-Errno.EINVAL);
        }
    }
}
