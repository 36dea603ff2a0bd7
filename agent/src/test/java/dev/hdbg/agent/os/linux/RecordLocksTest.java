package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fcntl's record locks (SQLite's): byte ranges owned by a process, conflicting only with another process's, gone when
 * the owner closes any descriptor of the file. SQLite failed with "disk I/O error" on F_SETLK's EINVAL.
 */
class RecordLocksTest {
    private static final int O_RDWR = 2;
    private static final int F_GETLK = 5;
    private static final int F_SETLK = 6;
    private static final int F_SETLKW = 7;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    /** struct flock with SEEK_SET. */
    private static long flock(Guest g, short type, long start, long length) {
        return g.put(ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putShort(type).putShort((short) 0)
                .putInt(0).putLong(start).putLong(length).putInt(0).putInt(0).array());
    }

    @Test
    void anotherProcesssRangeConflictsOnlyWhereItOverlapsAndF_GetlkNamesIt() throws IOException {
        Files.writeString(root.resolve("db"), "data");
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(2, g.string("/db"), O_RDWR);
            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_WRLCK, 100, 10))).isZero();
            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_RDLCK, 105, 1))).as("its own range: replaced").isZero();
            assertThat(g.spawn(57)).isEqualTo(4243);
            assertThat(g.call(24)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).as("the child, which does not inherit the locks").isEqualTo(4243);

            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_WRLCK, 0, 100))).as("before the range").isZero();
            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_WRLCK, 109, 1))).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_RDLCK, 105, 1))).as("a read lock beside a read lock")
                    .isZero();
            long query = flock(g, F_WRLCK, 102, 1);
            assertThat(g.rax(72, fd, F_GETLK, query)).isZero();
            ByteBuffer answer = g.read(query, 32);
            assertThat(answer.getShort(0)).isEqualTo(F_WRLCK);
            assertThat(answer.getLong(8)).isEqualTo(100);
            assertThat(answer.getLong(16)).isEqualTo(5);
            assertThat(answer.getInt(24)).as("the owner").isEqualTo(4242);
            long free = flock(g, F_WRLCK, 5000, 0);
            assertThat(g.rax(72, fd, F_GETLK, free)).isZero();
            assertThat(g.read(free, 2).getShort(0)).isEqualTo(F_UNLCK);
        }
    }

    @Test
    void aWaitingLockGetsTheRangeWhenItsOwnerClosesADescriptorOfTheFile() throws IOException {
        Files.writeString(root.resolve("db"), "data");
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(2, g.string("/db"), O_RDWR);
            long other = g.rax(2, g.string("/db"), O_RDWR);
            assertThat(g.rax(72, fd, F_SETLK, flock(g, F_WRLCK, 0, 0))).isZero();
            assertThat(g.spawn(57)).isEqualTo(4243);
            assertThat(g.call(24)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(72, fd, F_SETLKW, flock(g, F_RDLCK, 0, 1))).as("the child waits")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(39)).isEqualTo(4242);
            assertThat(g.rax(3, other)).as("a close of any descriptor of the file, as POSIX has it").isZero();
            assertThat(g.call(24)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("the child's F_SETLKW made again").isEqualTo(72);
            assertThat(g.rax(72, fd, F_SETLKW, flock(g, F_RDLCK, 0, 1))).isZero();
        }
    }
}
