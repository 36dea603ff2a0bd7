package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memfd_create: a nameless file of the program's own /dev/shm, read and written through its descriptor; its seals
 * (fcntl F_ADD_SEALS, F_GET_SEALS) and what they refuse; its reopening through /proc/self/fd/N; huge pages and unknown
 * flags refused. ProcessProgramsIT compares whole programs with their native runs (memfd.c, memfdseal.c).
 */
class MemfdSyscallsTest {
    private static final int MEMFD_CREATE = 319;
    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int LSEEK = 8;
    private static final int FCNTL = 72;
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;
    private static final int MMAP = 9;
    private static final int MPROTECT = 10;
    private static final int MUNMAP = 11;
    private static final int PWRITE64 = 18;
    private static final int FTRUNCATE = 77;
    private static final int FCHMOD = 91;
    private static final int FCHOWN = 93;
    private static final int UTIMENSAT = 280;
    private static final int OPENAT = 257;
    private static final int AT_FDCWD = -100;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_SHARED = 1;

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

            Path shm = g.process.table().privateDirectories().sharedMemory().directory();
            try (Stream<Path> names = Files.list(shm)) {
                assertThat(names).as("nameless, as Linux's").isEmpty();
            }
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void hugePagesUnknownFlagsAndLongNamesAreRefused() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(MEMFD_CREATE, g.string("s"), MemfdSyscalls.MFD_HUGETLB)).isEqualTo(-Errno.EINVAL);
            assertThat(g.notices).singleElement().asString().contains("MFD_HUGETLB", "not emulated");
            assertThat(g.rax(MEMFD_CREATE, g.string("s"), 0x100)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(MEMFD_CREATE, g.string("s"), MemfdSyscalls.MFD_EXEC | MemfdSyscalls.MFD_NOEXEC_SEAL))
                    .isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(MEMFD_CREATE, g.string("x".repeat(250)), 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(MEMFD_CREATE, g.string("x".repeat(249)), 0)).as("the longest name").isNotNegative();
            assertThat(g.rax(MEMFD_CREATE, 0, 0)).isEqualTo(-Errno.EFAULT);
        }
    }

    @Test
    void aMemfdMadeWithoutAllowSealingIsSealedAgainstSealsAndOtherFilesCannotBeSealed() {
        try (Guest g = new Guest(root, false)) {
            long plain = g.rax(MEMFD_CREATE, g.string("plain"), 0);
            assertThat(g.rax(FCNTL, plain, FileSyscalls.F_GET_SEALS)).isEqualTo(MemfdSeals.F_SEAL_SEAL);
            assertThat(g.rax(FCNTL, plain, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_WRITE)).isEqualTo(-Errno.EPERM);
            long sealable = g.rax(MEMFD_CREATE, g.string("sealable"), MemfdSyscalls.MFD_ALLOW_SEALING);
            assertThat(g.rax(FCNTL, sealable, FileSyscalls.F_GET_SEALS)).isZero();
            assertThat(g.rax(FCNTL, sealable, FileSyscalls.F_ADD_SEALS, 0x40)).as("unknown").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(FCNTL, 1, FileSyscalls.F_GET_SEALS)).as("the standard output").isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void sealsRefuseWritesLengthsAndWritableSharedMappingsAndWriteWaitsForTheLastSuchMapping() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(MEMFD_CREATE, g.string("sealed"), MemfdSyscalls.MFD_ALLOW_SEALING);
            assertThat(g.rax(FTRUNCATE, fd, 8192)).isZero();
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_SHRINK | MemfdSeals.F_SEAL_GROW))
                    .isZero();
            assertThat(g.rax(FTRUNCATE, fd, 4096)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(FTRUNCATE, fd, 16384)).isEqualTo(-Errno.EPERM);
            byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
            assertThat(g.rax(PWRITE64, fd, g.put(ten), ten.length, 8190)).as("to the end of the last page").isEqualTo(2);
            assertThat(g.rax(PWRITE64, fd, g.put(ten), ten.length, 8192)).isEqualTo(-Errno.EPERM);

            long mapped = g.rax(MMAP, 0, 4096, PROT_READ_WRITE, MAP_SHARED, fd, 0);
            assertThat(mapped).isPositive();
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_WRITE)).isEqualTo(-Errno.EBUSY);
            assertThat(g.rax(MUNMAP, mapped, 4096)).isZero();
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_WRITE)).isZero();
            assertThat(g.rax(WRITE, fd, g.put(ten), ten.length)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(MMAP, 0, 4096, PROT_READ_WRITE, MAP_SHARED, fd, 0)).isEqualTo(-Errno.EPERM);
            long readOnly = g.rax(MMAP, 0, 4096, 1, MAP_SHARED, fd, 0);
            assertThat(readOnly).as("read-only").isPositive();
            assertThat(g.rax(MPROTECT, readOnly, 4096, PROT_READ_WRITE)).as("never writable").isEqualTo(-Errno.EACCES);
            assertThat(g.rax(MPROTECT, readOnly, 4096, 1)).isZero();
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_GET_SEALS)).isEqualTo(
                    MemfdSeals.F_SEAL_SHRINK | MemfdSeals.F_SEAL_GROW | MemfdSeals.F_SEAL_WRITE);
        }
    }

    @Test
    void aWriteOfManyChunksThatASealStopsReturnsWhatWasWritten() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(MEMFD_CREATE, g.string("chunks"), MemfdSyscalls.MFD_ALLOW_SEALING);
            assertThat(g.rax(FTRUNCATE, fd, FileSyscalls.CHUNK)).isZero();
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_GROW)).isZero();
            long big = 0x10_0000_0000L;
            g.machine.memory().map("big", big, 2L * FileSyscalls.CHUNK, Prot.READ | Prot.WRITE);
            assertThat(g.rax(WRITE, fd, big, 2L * FileSyscalls.CHUNK)).as("the first chunk, to the file's end")
                    .isEqualTo(FileSyscalls.CHUNK);
            assertThat(g.rax(WRITE, fd, big, 1)).as("nothing more").isEqualTo(-Errno.EPERM);
        }
    }

    @Test
    void aMemfdReopenedThroughItsMagicLinkIsANewDescriptionOfTheSameFileWithTheSameSeals() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(MEMFD_CREATE, g.string("shared"), MemfdSyscalls.MFD_ALLOW_SEALING);
            byte[] text = "handed on".getBytes(StandardCharsets.US_ASCII);
            g.rax(WRITE, fd, g.put(text), text.length);
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_FUTURE_WRITE)).isZero();

            long reader = g.rax(OPENAT, AT_FDCWD, g.string("/proc/self/fd/" + fd), OpenFile.O_RDONLY);
            assertThat(reader).isNotNegative().isNotEqualTo(fd);
            long buffer = g.buffer(16);
            assertThat(g.rax(READ, reader, buffer, 16)).as("its own offset, at 0").isEqualTo(text.length);
            assertThat(g.machine.memory().read(buffer, text.length)).containsExactly(text);
            assertThat(g.rax(WRITE, reader, g.put(text), 1)).isEqualTo(-Errno.EBADF);
            assertThat(g.rax(FCNTL, reader, FileSyscalls.F_GET_SEALS)).isEqualTo(MemfdSeals.F_SEAL_FUTURE_WRITE);
            assertThat(g.rax(FCNTL, reader, FileSyscalls.F_ADD_SEALS, MemfdSeals.F_SEAL_SEAL)).as("read-only")
                    .isEqualTo(-Errno.EPERM);
            long writer = g.rax(OPENAT, AT_FDCWD, g.string("/proc/self/fd/" + fd), OpenFile.O_RDWR);
            assertThat(g.rax(WRITE, writer, g.put(text), 1)).as("the seal is the file's").isEqualTo(-Errno.EPERM);
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void noExecSealKeepsTheExecuteBitsOffAndTheOwnerAndTimesMayChange() throws IOException {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(MEMFD_CREATE, g.string("data"), MemfdSyscalls.MFD_NOEXEC_SEAL);
            assertThat(g.rax(FCNTL, fd, FileSyscalls.F_GET_SEALS)).isEqualTo(MemfdSeals.F_SEAL_EXEC);
            assertThat(g.rax(FCHMOD, fd, 0777)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(FCHMOD, fd, 0644)).isZero();
            HostFile file = (HostFile) g.process.fds().get((int) fd);
            assertThat(Stat.permissions(file.stat())).as("fstat after fchmod").isEqualTo(0644);
            assertThat(g.rax(FCHOWN, fd, -1, -1)).as("the program's own memory, without --writable").isZero();
            assertThat(g.rax(UTIMENSAT, fd, 0, 0, 0)).as("futimens").isZero();
        }
    }
}
