package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The seal rules alone, in Linux's order; MemfdSyscallsTest and ProcessProgramsIT (memfdseal.c) run them as calls. */
class MemfdSealsTest {
    private static void assertRefused(int errno, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    }

    @Test
    void aGrowSealLetsAWriteThroughThePagesThatEndWithinTheFile() {
        MemfdSeals seals = new MemfdSeals(MemfdSeals.F_SEAL_GROW);
        assertThat(seals.writable(0, 100, 8192)).as("inside").isEqualTo(100);
        assertThat(seals.writable(8190, 10, 8192)).as("to the end of the last whole page").isEqualTo(2);
        assertThat(seals.writable(100, 10_000, 5000)).as("the first page only").isEqualTo(3996);
        assertRefused(Errno.EPERM, () -> seals.writable(8192, 1, 8192));
        assertRefused(Errno.EPERM, () -> seals.writable(4100, 1000, 5000)); // within the file's last, partial page
    }

    @Test
    void addingAsksForKnownSealsThenNoSealSealThenNoWritableMapping() {
        MemfdSeals seals = new MemfdSeals(0);
        assertRefused(Errno.EINVAL, () -> seals.add(0x40, 0777, () -> true));
        assertRefused(Errno.EBUSY, () -> seals.add(MemfdSeals.F_SEAL_WRITE, 0777, () -> true));
        seals.add(MemfdSeals.F_SEAL_FUTURE_WRITE, 0777, () -> true);
        seals.add(MemfdSeals.F_SEAL_SEAL, 0777, () -> false);
        assertRefused(Errno.EPERM, () -> seals.add(MemfdSeals.F_SEAL_GROW, 0777, () -> false));
        assertThat(seals.get()).isEqualTo(MemfdSeals.F_SEAL_FUTURE_WRITE | MemfdSeals.F_SEAL_SEAL);
    }

    @Test
    void anExecSealOnAnExecutableFileSealsItsWritesAndLengthToo() {
        MemfdSeals executable = new MemfdSeals(0);
        executable.add(MemfdSeals.F_SEAL_EXEC, 0755, () -> true);
        assertThat(executable.get()).isEqualTo(0x3e);
        MemfdSeals data = new MemfdSeals(0);
        data.add(MemfdSeals.F_SEAL_EXEC, 0644, () -> true);
        assertThat(data.get()).isEqualTo(MemfdSeals.F_SEAL_EXEC);
        assertRefused(Errno.EPERM, () -> data.requireMode(0644, 0755));
        data.requireMode(0644, 0600);
    }
}
