package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fork, wait4 and the process switch at the system-call level: the child runs in a copy of the memory with its own
 * pid, its end wakes the parent's wait4 (made again, as Linux restarts it), which reads its status.
 */
class ForkSyscallsTest {
    private static final int WNOHANG = 1;

    @TempDir
    Path root;

    @Test
    void aChildRunsInACopyAndItsExitStatusReachesTheParentsWait4() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
            long status = g.buffer(8);
            assertThat(g.spawn(57)).as("fork's result in the parent").isEqualTo(4243);
            assertThat(g.rax(39)).as("getpid in the parent").isEqualTo(4242);
            assertThat(g.rax(61, -1, status, WNOHANG, 0)).as("the child still runs").isZero();
            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
            assertThat(g.call(61, -1, status, 0, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("fork's result in the child").isZero();
            assertThat(g.rax(39)).as("getpid in the child").isEqualTo(4243);
            assertThat(g.rax(110)).as("getppid in the child").isEqualTo(4242);
            g.machine.memory().write(word, new byte[] {2});
            assertThat(g.call(231, 3)).as("exit_group of a child ends the child alone")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the parent makes its wait4 again")
                    .isEqualTo(0x400100);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(61);
            assertThat(g.read(word, 1).get(0)).as("the child's write stayed in its copy").isEqualTo((byte) 1);
            assertThat(g.rax(61, -1, status, 0, 0)).isEqualTo(4243);
            assertThat(g.read(status, 4).getInt(0)).as("WIFEXITED, WEXITSTATUS 3").isEqualTo(3 << 8);
            assertThat(g.rax(61, -1, status, 0, 0)).as("reaped: no child left").isEqualTo(-Errno.ECHILD);
            assertThat(g.machine.vcpus().count()).isEqualTo(1);
        }
    }

    @Test
    void aChildsFaultKillsTheChildAloneAndTheParentsWait4ReadsTheSignal() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            assertThat(g.spawn(57)).as("fork's result in the parent").isEqualTo(4243);
            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
            assertThat(g.call(61, -1, status, 0, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the child").isEqualTo(4243);

            assertThat(g.syscalls.fault(14, 0x400200, 0, 4 | 2)).as("a NULL store: SIGSEGV ends the child alone")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.switchDue()).as("the next thread's turn").isTrue();

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the parent again").isEqualTo(4242);
            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the parent makes its wait4 again")
                    .isEqualTo(0x400100);
            assertThat(g.rax(61, -1, status, 0, 0)).isEqualTo(4243);
            assertThat(g.read(status, 4).getInt(0)).as("WIFSIGNALED, WTERMSIG 11, no core dumped").isEqualTo(11);
            assertThat(g.machine.vcpus().count()).isEqualTo(1);
        }
    }

    @Test
    void theFirstProcesssFaultEndsTheRunWithItsSignal() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.syscalls.fault(6, 0x400200, 0, 0)).isEqualTo(new LinuxSyscalls.Result.Killed(4));
        }
    }

    @Test
    void forksBeyondTheProcessLimitFailWithEagain() {
        try (Guest g = new Guest(root, false)) {
            int forked = 0;
            long result;
            while ((result = g.spawn(57)) > 0) {
                forked++;
            }
            assertThat(result).isEqualTo(-Errno.EAGAIN);
            assertThat(forked).isEqualTo(ProcessTable.MAX - 1);
        }
    }

    @Test
    void aWaitWithoutChildrenFailsWithEchild() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(61, -1, 0, 0, 0)).isEqualTo(-Errno.ECHILD);
            assertThat(g.rax(247, 0, 0, g.buffer(128), 4, 0)).isEqualTo(-Errno.ECHILD);
        }
    }

    /**
     * MAP_SHARED | MAP_ANONYMOUS memory is the same in parent and child after fork: a write by the child is the
     * parent's, a futex wake on a word there reaches the other process's waiter, a private mapping stays each one's,
     * and an munmap'd range of it is not given to a later mapping (the other process may still use it).
     */
    @Test
    void sharedMemoryIsOneAcrossForkAndItsFutexWakesTheOtherProcess() {
        int protRw = 3;
        int mapSharedAnonymous = 0x21;
        int mapPrivateAnonymous = 0x22;
        int futexWait = 0;
        int futexWake = 1;
        try (Guest g = new Guest(root, false)) {
            long shared = g.rax(9, 0, 0x2000, protRw, mapSharedAnonymous, -1, 0);
            long own = g.rax(9, 0, 0x1000, protRw, mapPrivateAnonymous, -1, 0);
            assertThat(g.spawn(57)).as("fork's result in the parent").isEqualTo(4243);
            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
            assertThat(g.call(202, shared, futexWait, 0, 0, 0, 0)).as("the parent waits on a shared word")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the child").isEqualTo(4243);
            g.machine.memory().write(shared + 8, new byte[] {42});
            g.machine.memory().write(own, new byte[] {7});
            assertThat(g.rax(202, shared, futexWake, 1, 0, 0, 0)).as("the child's wake reaches the parent")
                    .isEqualTo(1);
            assertThat(g.call(231, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the parent again").isEqualTo(4242);
            assertThat(g.read(shared + 8, 1).get(0)).as("the child's write to shared memory").isEqualTo((byte) 42);
            assertThat(g.read(own, 1).get(0)).as("the private mapping stayed the parent's").isZero();
            assertThat(g.rax(11, shared, 0x2000)).isZero();
            long later = g.rax(9, 0, 0x2000, protRw, mapPrivateAnonymous, -1, 0);
            assertThat(later).as("not the unmapped shared range").isNotEqualTo(shared);
        }
    }

    /**
     * A vfork child runs in its parent's memory itself until it execs or ends (glibc's posix_spawn child writes the
     * exec's error there for the parent to return): no memory switch, and the child's write is the parent's.
     */
    @Test
    void aVforkChildRunsInItsParentsMemoryAndWhatItWritesThereIsTheParents() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            long moved = g.machine.memory().blocksMoved();
            assertThat(g.call(58)).as("the parent waits for its vfork child")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("vfork's result in the child").isZero();
            assertThat(g.rax(39)).as("getpid in the child").isEqualTo(4243);
            g.machine.memory().write(word, new byte[] {2}); // as posix_spawn's child stores errno
            assertThat(g.machine.memory().blocksMoved()).as("no memory was switched").isEqualTo(moved);
            assertThat(g.call(231, 127)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the parent again").isEqualTo(4242);
            assertThat(g.read(word, 1).get(0)).as("the child's write").isEqualTo((byte) 2);
            assertThat(g.machine.memory().blocksMoved()).isEqualTo(moved);
        }
    }

    /** A vfork child's own vfork child runs in the same memory: the first process's. */
    @Test
    void aVforkChildsVforkChildRunsInTheSameMemory() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            long moved = g.machine.memory().blocksMoved();
            assertThat(g.call(58)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the child").isEqualTo(4243);
            assertThat(g.call(58)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the grandchild").isEqualTo(4244);
            g.machine.memory().write(word, new byte[] {3});
            assertThat(g.call(231, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the child again").isEqualTo(4243);
            assertThat(g.call(231, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the parent again").isEqualTo(4242);
            assertThat(g.read(word, 1).get(0)).as("the grandchild's write").isEqualTo((byte) 3);
            assertThat(g.machine.memory().blocksMoved()).isEqualTo(moved);
        }
    }
}

