package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flock: a lock per open file description, released with its last descriptor; a conflicting lock waits or fails. */
class FileLocksTest {
    private static final int O_RDONLY = 0;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    @Test
    void twoOpensOfOneFileConflictAndADuplicateSharesItsDescriptionsLock() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        try (Guest g = new Guest(root, false)) {
            long first = g.rax(2, g.string("/f"), O_RDONLY);
            long second = g.rax(2, g.string("/f"), O_RDONLY);
            assertThat(g.rax(73, first, LOCK_EX)).isZero();
            assertThat(g.rax(73, second, LOCK_EX | LOCK_NB)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(73, second, LOCK_SH | LOCK_NB)).isEqualTo(-Errno.EAGAIN);
            long duplicate = g.rax(32, first);
            assertThat(g.rax(73, duplicate, LOCK_EX | LOCK_NB)).as("the same description").isZero();

            assertThat(g.rax(3, first)).isZero();
            assertThat(g.rax(73, second, LOCK_EX | LOCK_NB)).as("the duplicate still holds it").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(3, duplicate)).isZero();
            assertThat(g.rax(73, second, LOCK_EX | LOCK_NB)).as("released with the last descriptor").isZero();
            assertThat(g.rax(73, second, LOCK_UN)).isZero();
        }
    }

    @Test
    void sharedLocksGoTogetherAndKeepAnExclusiveOneOut() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        try (Guest g = new Guest(root, false)) {
            long a = g.rax(2, g.string("/f"), O_RDONLY);
            long b = g.rax(2, g.string("/f"), O_RDONLY);
            long c = g.rax(2, g.string("/f"), O_RDONLY);
            assertThat(g.rax(73, a, LOCK_SH)).isZero();
            assertThat(g.rax(73, b, LOCK_SH | LOCK_NB)).isZero();
            assertThat(g.rax(73, c, LOCK_EX | LOCK_NB)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(73, a, LOCK_EX | LOCK_NB)).as("a conversion b's shared lock keeps out")
                    .isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(73, b, LOCK_UN)).isZero();
            assertThat(g.rax(73, c, LOCK_EX | LOCK_NB))
                    .as("a's failed conversion let its shared lock go first, as Linux's does").isZero();
            assertThat(g.rax(73, a, 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(73, a, LOCK_SH | LOCK_EX)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(73, 99, LOCK_SH)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void aLockThatMustWaitSleepsUntilAnotherProcessLetsItsLockGo() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        try (Guest g = new Guest(root, false)) {
            long parents = g.rax(2, g.string("/f"), O_RDONLY);
            assertThat(g.rax(73, parents, LOCK_EX)).isZero();
            assertThat(g.spawn(57)).as("fork's result in the parent").isEqualTo(4243);
            assertThat(g.call(24)).as("the parent yields").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("getpid in the child").isEqualTo(4243);

            long childs = g.rax(2, g.string("/f"), O_RDONLY);
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(73, childs, LOCK_EX)).as("the child waits for the parent's lock")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the parent runs").isEqualTo(4242);
            assertThat(g.rax(73, parents, LOCK_UN)).isZero();
            assertThat(g.call(24)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the child makes its flock again")
                    .isEqualTo(SYSCALL_AT);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(73);
            assertThat(g.rax(73, childs, LOCK_EX)).isZero();
            assertThat(g.rax(73, parents, LOCK_SH | LOCK_NB)).as("the child holds it now").isEqualTo(-Errno.EAGAIN);
        }
    }

    @Test
    void aProcessWaitingForItsOwnLockIsADeadlockThatNamesTheFile() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        try (Guest g = new Guest(root, false)) {
            long first = g.rax(2, g.string("/f"), O_RDONLY);
            long second = g.rax(2, g.string("/f"), O_RDONLY);
            assertThat(g.rax(73, first, LOCK_EX)).isZero();
            assertThat(g.call(73, second, LOCK_EX)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            LinuxSyscalls.Result result = g.syscalls.deliverDue();
            assertThat(result).isInstanceOf(LinuxSyscalls.Result.Deadlocked.class);
            assertThat(((LinuxSyscalls.Result.Deadlocked) result).message())
                    .contains("waiting for a lock (flock) of /f", "a lock or a signal");
        }
    }

    /** A lock is the file's, under any name and after its unlink: the lock of an open, unlinked file still holds. */
    @Test
    void aLockHoldsForTheFileUnderAnotherNameAndAfterItsUnlink() throws IOException {
        Files.writeString(root.resolve("f"), "data");
        Files.createLink(root.resolve("g"), root.resolve("f"));
        try (Guest g = new Guest(root, true)) {
            long byF = g.rax(2, g.string("/f"), O_RDONLY);
            long byG = g.rax(2, g.string("/g"), O_RDONLY);
            assertThat(g.rax(73, byF, LOCK_EX)).isZero();
            assertThat(g.rax(73, byG, LOCK_SH | LOCK_NB)).as("the same file by another name").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(87, g.string("/f"))).isZero();
            assertThat(g.rax(73, byF, LOCK_UN)).as("unlocking the unlinked name's open file").isZero();
            assertThat(g.rax(73, byG, LOCK_SH | LOCK_NB)).isZero();
        }
    }
}
