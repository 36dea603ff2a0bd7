package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxSyscallsFileTest {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NONBLOCK = 04000;
    private static final int SEEK_CUR = 1;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int AT_FDCWD = -100;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void writeToStdoutReachesProcessIo() {
        try (Guest g = new Guest(root, false)) {
            long text = g.put("hello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(g.rax(1, 1, text, 6)).isEqualTo(6);
            assertThat(g.rax(1, 2, text, 5)).isEqualTo(5);
            assertThat(g.stdout.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
            assertThat(g.stderr.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(g.rax(1, 9, text, 6)).isEqualTo(-9); // EBADF
            assertThat(g.rax(1, 1, 0xdead0000L, 6)).isEqualTo(-14); // EFAULT
        }
    }

    @Test
    void opensReadsAndClosesAFileBeneathTheRoot() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/motd"), "inside the sandbox");
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/etc/motd"), O_RDONLY);
            assertThat(fd).isEqualTo(3);
            long buffer = g.buffer(64);
            assertThat(g.rax(0, fd, buffer, 64)).isEqualTo(18);
            assertThat(new String(g.machine.memory().read(buffer, 18), StandardCharsets.UTF_8))
                    .isEqualTo("inside the sandbox");
            assertThat(g.rax(0, fd, buffer, 64)).isZero();
            assertThat(g.rax(3, fd)).isZero();
            assertThat(g.rax(0, fd, buffer, 64)).isEqualTo(-9);
            // Relative to the working directory, through openat(AT_FDCWD).
            assertThat(g.rax(80, g.string("etc"))).isZero();
            assertThat(g.process.cwd()).isEqualTo("/etc");
            assertThat(g.rax(257, AT_FDCWD, g.string("motd"), O_RDONLY)).isEqualTo(3);
            assertThat(g.rax(2, g.string("/etc/missing"), O_RDONLY)).isEqualTo(-2);
        }
    }

    /**
     * A program reads a file 4 KiB at a time (busybox's sha256sum and md5sum: 1,026 calls for 4 MiB). The read goes
     * straight into the guest's pages (GuestMemory.fill): no array of the read's size is allocated. Before, each call
     * allocated a chunk and the channel's copy path besides: 10,040 bytes a call at first, then 5,929 once the copy
     * of a full chunk was dropped (wave 12); 840 now.
     */
    @Test
    void aFourKibReadOfAHostFileAllocatesNoChunk() throws IOException {
        byte[] content = new byte[64 * 4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 4096);
        }
        Files.write(root.resolve("data"), content);
        try (Guest g = new Guest(root, false)) {
            long buffer = g.buffer(4096);
            long fd = g.rax(2, g.string("/data"), O_RDONLY);
            for (int i = 0; i < 32; i++) { // the path's first calls: classes, lambdas, the FileChannel's buffer
                assertThat(g.rax(0, fd, buffer, 4096)).isEqualTo(4096);
            }
            long before = allocatedBytes();
            for (int i = 32; i < 64; i++) {
                assertThat(g.rax(0, fd, buffer, 4096)).isEqualTo(4096);
            }
            long perRead = (allocatedBytes() - before) / 32;
            assertThat(g.machine.memory().read(buffer, 4096))
                    .isEqualTo(java.util.Arrays.copyOfRange(content, 63 * 4096, 64 * 4096));
            assertThat(perRead).isLessThan(4096 / 2);
        }
    }

    /**
     * A read into memory that was never executable drops no translated code: there is none to drop, and
     * {@code uc_ctl_remove_cache} after each of busybox md5sum's 4 KiB reads was 8 % of its system calls' time
     * (docs/benchmarks.md, "Removals of translated code, stop 32"). A read into executable memory still drops it.
     */
    @Test
    void aReadIntoDataMemoryRemovesNoTranslatedCode() throws IOException {
        Files.write(root.resolve("data"), new byte[16 * 4096]);
        try (Guest g = new Guest(root, false)) {
            long buffer = g.buffer(4096);
            long fd = g.rax(2, g.string("/data"), O_RDONLY);
            long made = g.machine.unicorn().removalsMade();
            for (int i = 0; i < 8; i++) {
                assertThat(g.rax(0, fd, buffer, 4096)).isEqualTo(4096);
            }
            assertThat(g.machine.unicorn().removalsMade()).isEqualTo(made);

            long code = g.rax(9, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            assertThat(code).isPositive();
            assertThat(g.rax(0, fd, code, 4096)).isEqualTo(4096);
            assertThat(g.machine.unicorn().removalsMade()).isEqualTo(made + 1);
        }
    }

    /** pread, and a read over two regions (staged), land the file's bytes as read did. */
    @Test
    void preadAndAReadOverTwoRegionsLandTheFilesBytes() throws IOException {
        byte[] content = new byte[3 * 4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + 3);
        }
        Files.write(root.resolve("data"), content);
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/data"), O_RDONLY);
            long buffer = g.buffer(4096);
            assertThat(g.rax(17, fd, buffer, 100, 5000)).isEqualTo(100);
            assertThat(g.machine.memory().read(buffer, 100)).isEqualTo(java.util.Arrays.copyOfRange(content, 5000, 5100));
            // The scratch region ends where the image's heap does not begin: map one just after it.
            long end = Guest.SCRATCH + Guest.SCRATCH_SIZE;
            g.machine.memory().map("next", end, 4096, dev.hdbg.agent.unicorn.Prot.READ | dev.hdbg.agent.unicorn.Prot.WRITE);
            assertThat(g.rax(0, fd, end - 50, 150)).isEqualTo(150);
            assertThat(g.machine.memory().read(end - 50, 150)).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 150));
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void noPathLeadsOutOfTheRoot() throws IOException {
        Files.writeString(outside.resolve("secret"), "host data");
        Files.createDirectories(root.resolve("bin"));
        Files.createSymbolicLink(root.resolve("bin/out"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("bin/up"), Path.of("../../../../../../" + outside + "/secret"));
        try (Guest g = new Guest(root, true)) {
            assertThat(g.rax(2, g.string("../../../../../../etc/passwd"), O_RDONLY)).isEqualTo(-2);
            assertThat(g.rax(2, g.string("/../" + outside + "/secret"), O_RDONLY)).isEqualTo(-2);
            // An absolute link target starts again at the sandbox root, where there is no such file.
            assertThat(g.rax(2, g.string("/bin/out"), O_RDONLY)).isEqualTo(-2);
            assertThat(g.rax(2, g.string("/bin/up"), O_RDONLY)).isEqualTo(-2);
            // The root's ".." is the root, as in a chroot (df and find climb to it): a file made there stays inside.
            assertThat(g.rax(2, g.string("../escaped"), O_WRONLY | O_CREAT, 0644)).isEqualTo(3);
            assertThat(root.resolve("escaped")).exists();
            assertThat(root.getParent().resolve("escaped")).doesNotExist();
            assertThat(g.rax(4, g.string("/../.."), g.buffer(Stat.SIZE))).as("stat of /../..").isZero();
        }
    }

    @Test
    void absoluteSymlinksInsideTheRootResolveAgainstIt() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/busybox"), "BB");
        Files.createSymbolicLink(root.resolve("bin/ls"), Path.of("/bin/busybox"));
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/bin/ls"), O_RDONLY);
            long buffer = g.buffer(8);
            assertThat(g.rax(0, fd, buffer, 8)).isEqualTo(2);
            long link = g.buffer(64);
            assertThat(g.rax(89, g.string("/bin/ls"), link, 64)).isEqualTo(12);
            assertThat(new String(g.machine.memory().read(link, 12), StandardCharsets.UTF_8)).isEqualTo("/bin/busybox");
            assertThat(g.rax(89, g.string("/proc/self/exe"), link, 64)).isEqualTo(9);
            assertThat(new String(g.machine.memory().read(link, 9), StandardCharsets.UTF_8)).isEqualTo("/bin/prog");
        }
    }

    @Test
    void aWritableSandboxLetsTheProgramMakeRenameAndRemoveFilesAndDirectories() throws IOException {
        Files.writeString(root.resolve("file"), "data");
        try (Guest g = new Guest(root, true)) {
            assertThat(g.rax(83, g.string("/dir"), 0755)).isZero();
            assertThat(g.rax(83, g.string("/dir"), 0755)).isEqualTo(-17); // EEXIST
            assertThat(root.resolve("dir")).isDirectory();
            assertThat(g.rax(82, g.string("/file"), g.string("/dir/renamed"))).isZero();
            assertThat(root.resolve("dir/renamed")).hasContent("data");
            assertThat(g.rax(84, g.string("/dir"))).isEqualTo(-39); // ENOTEMPTY
            assertThat(g.rax(263, -100, g.string("/dir"), 0)).isEqualTo(-21); // unlink a directory: EISDIR
            assertThat(g.rax(90, g.string("/dir/renamed"), 0600)).isZero();
            assertThat(Files.getPosixFilePermissions(root.resolve("dir/renamed")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            long times = g.put(java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(0, 1_000_000).putLong(8, (1L << 30) - 2).putLong(16, 86_400).putLong(24, 5).array());
            assertThat(g.rax(280, -100, g.string("/dir/renamed"), times, 0)).isZero(); // atime omitted, mtime set
            assertThat(Files.getLastModifiedTime(root.resolve("dir/renamed")).toInstant())
                    .isEqualTo(java.time.Instant.ofEpochSecond(86_400, 5));
            assertThat(g.rax(87, g.string("/dir/renamed"))).isZero();
            assertThat(g.rax(84, g.string("/dir"))).isZero();
            assertThat(root.resolve("dir")).doesNotExist();
            assertThat(g.rax(87, g.string("/../outside"))).isEqualTo(-2); // /outside, inside the root
        }
    }

    /** What databases do with pwrite and preadv, and what cp does with copy_file_range. */
    @Test
    void positionalWritesAndReadsLeaveTheOffsetAndCopyFileRangeCopiesBetweenFiles() throws IOException {
        Files.writeString(root.resolve("file"), "0123456789");
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(2, g.string("/file"), 2); // O_RDWR
            assertThat(g.rax(8, fd, 2, 0)).as("lseek").isEqualTo(2);
            assertThat(g.rax(18, fd, g.put("ab".getBytes(StandardCharsets.US_ASCII)), 2, 6)).as("pwrite64").isEqualTo(2);
            assertThat(root.resolve("file")).hasContent("012345ab89");
            long iov = g.put(UserMemory.struct(32).putLong(g.put("XY".getBytes(StandardCharsets.US_ASCII))).putLong(2)
                    .putLong(g.put("Z".getBytes(StandardCharsets.US_ASCII))).putLong(1).array());
            assertThat(g.rax(296, fd, iov, 2, 8, 0)).as("pwritev, past the end").isEqualTo(3);
            assertThat(root.resolve("file")).hasContent("012345abXYZ");
            long first = g.buffer(3);
            long second = g.buffer(4);
            long into = g.put(UserMemory.struct(32).putLong(first).putLong(3).putLong(second).putLong(4).array());
            assertThat(g.rax(295, fd, into, 2, 5, 0)).as("preadv, short at the end").isEqualTo(6);
            assertThat(new String(g.read(first, 3).array(), StandardCharsets.US_ASCII)).isEqualTo("5ab");
            assertThat(new String(g.read(second, 3).array(), StandardCharsets.US_ASCII)).isEqualTo("XYZ");
            assertThat(g.rax(0, fd, g.buffer(1), 1)).as("the offset stayed at 2").isEqualTo(1);
            assertThat(g.rax(8, fd, 0, 1)).isEqualTo(3);

            long out = g.rax(2, g.string("/copy"), O_WRONLY | O_CREAT, 0644);
            long from = g.put(UserMemory.struct(8).putLong(4).array());
            assertThat(g.rax(326, fd, from, out, 0, 100, 0)).as("copy_file_range from offset 4").isEqualTo(7);
            assertThat(root.resolve("copy")).hasContent("45abXYZ");
            assertThat(g.read(from, 8).getLong()).as("its offset moved on").isEqualTo(11);
            assertThat(g.rax(8, fd, 0, 1)).as("the descriptor's did not").isEqualTo(3);
            long at = g.put(UserMemory.struct(8).putLong(1).array());
            assertThat(g.rax(326, fd, 0, out, at, 2, 0)).as("to an offset of the output").isEqualTo(2);
            assertThat(root.resolve("copy")).hasContent("434bXYZ");
            assertThat(g.rax(326, fd, 0, out, 0, 1, 1)).as("flags").isEqualTo(-22);
            assertThat(g.rax(18, 1, g.buffer(1), 1, 0)).as("pwrite64 to a stream").isEqualTo(-29);
        }
    }

    /**
     * What busybox cat does with a file it sends into a pipe: sendfile moves only what the pipe takes, and the
     * file's offset with it (it read the whole chunk and dropped what did not fit: 4 MiB reached md5sum as 72 KiB).
     */
    @Test
    void sendfileIntoAFullPipeLosesNothing() throws IOException {
        byte[] content = new byte[20_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 256);
        }
        Files.write(root.resolve("file"), content);
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/file"), O_RDONLY);
            long ends = g.buffer(8);
            assertThat(g.rax(293, ends, O_NONBLOCK)).as("pipe2").isZero();
            int readEnd = g.read(ends, 8).getInt(0);
            int writeEnd = g.read(ends, 8).getInt(4);
            assertThat(g.rax(72, writeEnd, F_SETPIPE_SZ, 4096)).as("a pipe of a page").isEqualTo(4096);

            assertThat(g.rax(40, writeEnd, fd, 0, content.length)).as("what the pipe has room for").isEqualTo(4096);
            assertThat(g.rax(8, fd, 0, SEEK_CUR)).as("the file's offset moved that much").isEqualTo(4096);
            assertThat(g.rax(40, writeEnd, fd, 0, content.length)).as("full: EAGAIN").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(8, fd, 0, SEEK_CUR)).as("and the offset stays").isEqualTo(4096);
            long buffer = g.buffer(4096);
            assertThat(g.rax(0, readEnd, buffer, 4096)).isEqualTo(4096);
            assertThat(g.read(buffer, 4096).array()).isEqualTo(Arrays.copyOfRange(content, 0, 4096));

            long offset = g.put(UserMemory.struct(8).putLong(10_000).array());
            assertThat(g.rax(40, writeEnd, fd, offset, 1_000)).as("from an offset of its own").isEqualTo(1_000);
            assertThat(g.read(offset, 8).getLong()).isEqualTo(11_000);
            assertThat(g.rax(8, fd, 0, SEEK_CUR)).as("the descriptor's stays").isEqualTo(4096);
            assertThat(g.rax(0, readEnd, buffer, 4096)).isEqualTo(1_000);
            assertThat(g.read(buffer, 1_000).array()).isEqualTo(Arrays.copyOfRange(content, 10_000, 11_000));

            assertThat(g.rax(40, writeEnd, readEnd, 0, 10)).as("a pipe has no offset to send from").isEqualTo(
                    -Errno.EINVAL);
        }
    }

    /** What Python's subprocess does in the child before exec. */
    @Test
    void closeRangeClosesOrMarksCloseOnExec() throws IOException {
        Files.writeString(root.resolve("file"), "data");
        try (Guest g = new Guest(root, false)) {
            for (int i = 0; i < 4; i++) {
                assertThat(g.rax(2, g.string("/file"), 0)).isEqualTo(3 + i);
            }
            assertThat(g.rax(436, 5, 0xffff_ffffL, 4)).as("CLOSE_RANGE_CLOEXEC from 5").isZero();
            assertThat(g.rax(72, 5, 1)).as("F_GETFD").isEqualTo(1);
            assertThat(g.rax(72, 4, 1)).isZero();
            assertThat(g.rax(436, 4, 0xffff_ffffL, 0)).as("close 4 and up").isZero();
            assertThat(g.rax(72, 4, 1)).isEqualTo(-9);
            assertThat(g.rax(72, 6, 1)).isEqualTo(-9);
            assertThat(g.rax(72, 3, 1)).as("3 stays").isZero();
            assertThat(g.rax(436, 5, 4, 0)).as("first after last").isEqualTo(-22);
            assertThat(g.rax(436, 0, 1, 8)).as("an unknown flag").isEqualTo(-22);
        }
    }

    /** What xz, cp -p and tar do to their output: copy the input's mode and owner through the descriptor. */
    @Test
    void fchmodChangesAnOpenFilesModeAndTheChownsAcceptOnlyTheOwnerItHas() throws IOException {
        Files.writeString(root.resolve("file"), "data");
        int uid = (int) Files.getAttribute(root.resolve("file"), "unix:uid");
        int gid = (int) Files.getAttribute(root.resolve("file"), "unix:gid");
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(2, g.string("/file"), O_WRONLY);
            assertThat(g.rax(91, fd, 0640)).as("fchmod").isZero();
            assertThat(Files.getPosixFilePermissions(root.resolve("file"))).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
            assertThat(g.rax(93, fd, uid, -1)).as("fchown to its own owner").isZero();
            assertThat(g.rax(93, fd, -1, gid)).isZero();
            assertThat(g.rax(93, fd, uid + 1, -1)).as("to another owner: EPERM").isEqualTo(-1);
            assertThat(g.rax(92, g.string("/file"), uid, gid)).as("chown").isZero();
            assertThat(g.rax(94, g.string("/file"), -1, gid + 1)).as("lchown to another group").isEqualTo(-1);
            assertThat(g.rax(260, fd, g.string(""), uid, gid, 0x1000)).as("fchownat, AT_EMPTY_PATH").isZero();
            assertThat(g.rax(93, 99, uid, gid)).as("no such descriptor").isEqualTo(-9);
            assertThat(g.rax(92, g.string("/missing"), uid, gid)).isEqualTo(-2);
            assertThat(g.rax(190, fd, g.string("system.posix_acl_access"), g.buffer(8), 8, 0))
                    .as("fsetxattr: a file system without extended attributes").isEqualTo(-95);
        }
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/file"), 0);
            assertThat(g.rax(91, fd, 0600)).as("read-only sandbox: EROFS").isEqualTo(-30);
            assertThat(g.rax(93, fd, uid, gid)).isEqualTo(-30);
        }
    }

    @Test
    void writingIsRefusedUnlessTheSandboxIsWritable() throws IOException {
        Files.writeString(root.resolve("existing"), "keep");
        try (Guest g = new Guest(root, false)) {
            // EROFS, as on a read-only file system, for every kind of change.
            assertThat(g.rax(2, g.string("/new"), O_WRONLY | O_CREAT, 0644)).isEqualTo(-30);
            assertThat(g.rax(2, g.string("/existing"), O_WRONLY | O_TRUNC)).isEqualTo(-30);
            assertThat(g.rax(83, g.string("/dir"), 0755)).isEqualTo(-30);
            assertThat(g.rax(87, g.string("/existing"))).isEqualTo(-30);
            assertThat(g.rax(82, g.string("/existing"), g.string("/moved"))).isEqualTo(-30);
            assertThat(g.rax(280, -100, g.string("/existing"), 0, 0)).isEqualTo(-30);
            assertThat(g.rax(21, g.string("/existing"), 2)).isEqualTo(-30); // access(W_OK)
            assertThat(root.resolve("new")).doesNotExist();
            assertThat(root.resolve("dir")).doesNotExist();
            assertThat(root.resolve("existing")).hasContent("keep");
        }
        try (Guest g = new Guest(root, true)) {
            long fd = g.rax(2, g.string("/new"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            assertThat(fd).isEqualTo(3);
            assertThat(g.rax(1, fd, g.put("written".getBytes(StandardCharsets.UTF_8)), 7)).isEqualTo(7);
            assertThat(g.rax(3, fd)).isZero();
            assertThat(root.resolve("new")).hasContent("written");
        }
    }

    /**
     * O_TMPFILE (glibc's tmpfile, Python's TemporaryFile): a file without a name in the directory, readable and
     * writable through its descriptor, never seen in the directory; Linux's errors for the wrong flags and places.
     */
    @Test
    void anUnnamedTemporaryFileIsMadeInTheDirectoryAndNeverListed() throws IOException {
        int oTmpfile = 020200000;
        int oRdwr = 2;
        Files.createDirectories(root.resolve("work"));
        Files.writeString(root.resolve("plain"), "x");
        try (Guest g = new Guest(root, false, List.of("/work"))) {
            long fd = g.rax(2, g.string("/work"), oTmpfile | oRdwr | 0200, 0400); // O_EXCL: never to be linked
            assertThat(fd).isEqualTo(3);
            assertThat(g.rax(1, fd, g.put("unnamed".getBytes(StandardCharsets.UTF_8)), 7)).isEqualTo(7);
            assertThat(g.rax(8, fd, 0, 0)).as("lseek").isZero();
            long buffer = g.buffer(16);
            assertThat(g.rax(0, fd, buffer, 16)).isEqualTo(7);
            assertThat(g.machine.memory().read(buffer, 7)).asString(StandardCharsets.UTF_8).isEqualTo("unnamed");
            long stat = g.buffer(144);
            assertThat(g.rax(5, fd, stat)).isZero();
            ByteBuffer st = ByteBuffer.wrap(g.machine.memory().read(stat, 144)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(st.getLong(16)).as("st_nlink").isZero();
            assertThat(st.getInt(24) & 07777).as("the mode asked, though it was opened for writing").isEqualTo(0400);
            assertThat(st.getLong(48)).as("st_size").isEqualTo(7);
            try (var names = Files.list(root.resolve("work"))) {
                assertThat(names).isEmpty();
            }

            assertThat(g.rax(2, g.string("/work"), oTmpfile, 0600)).as("read-only: EINVAL").isEqualTo(-22);
            assertThat(g.rax(2, g.string("/work"), oTmpfile | oRdwr | O_CREAT, 0600)).isEqualTo(-22);
            assertThat(g.rax(2, g.string("/work"), 020000000 | oRdwr, 0600)).as("without O_DIRECTORY").isEqualTo(-22);
            assertThat(g.rax(2, g.string("/"), oTmpfile | oRdwr, 0600)).as("the read-only root").isEqualTo(-30);
            assertThat(g.rax(2, g.string("/plain"), oTmpfile | oRdwr, 0600)).isEqualTo(-20);
            assertThat(g.rax(2, g.string("/missing"), oTmpfile | oRdwr, 0600)).isEqualTo(-2);
            assertThat(g.rax(2, g.string("/proc"), oTmpfile | oRdwr, 0600)).isEqualTo(-95);
        }
    }

    /** flock(1) opens its lock file O_RDONLY|O_CREAT: Java ignores CREATE for a read-only channel, Linux does not. */
    @Test
    void readOnlyCreateMakesTheFileAndWritesOnlyWhenItDoes() throws IOException {
        Files.writeString(root.resolve("existing"), "keep");
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(2, g.string("/existing"), O_RDONLY | O_CREAT, 0644))
                    .as("an existing file on a read-only file system: opened").isEqualTo(3);
            assertThat(g.rax(2, g.string("/new.lock"), O_RDONLY | O_CREAT, 0644)).as("a new one: EROFS").isEqualTo(-30);
            assertThat(g.rax(2, g.string("/"), O_RDONLY | O_CREAT, 0644)).as("a directory: EISDIR").isEqualTo(-21);
            assertThat(root.resolve("new.lock")).doesNotExist();
        }
        try (Guest g = new Guest(root, true)) {
            assertThat(g.rax(2, g.string("/new.lock"), O_RDONLY | O_CREAT, 0640)).isEqualTo(3);
            assertThat(root.resolve("new.lock")).exists().isEmptyFile();
            assertThat(Files.getPosixFilePermissions(root.resolve("new.lock"))).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ);
            assertThat(g.rax(1, 3, g.put(new byte[] {1}), 1)).as("opened for reading only").isEqualTo(-9);
            assertThat(g.rax(2, g.string("/new.lock"), O_RDONLY | O_CREAT | 0200, 0640)).as("O_EXCL").isEqualTo(-17);
        }
    }

    @Test
    void fstatFillsTheX8664StatLayoutFromTheRealFile() throws IOException {
        Files.write(root.resolve("data"), new byte[1234]);
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/data"), O_RDONLY);
            long stat = g.buffer(144);
            assertThat(g.rax(5, fd, stat)).isZero();
            ByteBuffer s = g.read(stat, 144);
            long ino = (Long) Files.getAttribute(root.resolve("data"), "unix:ino");
            assertThat(s.getLong(8)).isEqualTo(ino);
            assertThat(s.getInt(24) & 0170000).isEqualTo(0100000); // S_IFREG
            assertThat(s.getLong(48)).isEqualTo(1234);
            assertThat(s.getLong(56)).isEqualTo(4096);
            assertThat(s.getLong(88)).isEqualTo(Files.getLastModifiedTime(root.resolve("data")).toInstant()
                    .getEpochSecond());
            // stdout is a pipe, as in a native run under a harness; stderr a character device.
            assertThat(g.rax(5, 1, stat)).isZero();
            assertThat(g.read(stat, 144).getInt(24) & 0170000).isEqualTo(0010000);
            assertThat(g.rax(5, 2, stat)).isZero();
            assertThat(g.read(stat, 144).getInt(24) & 0170000).isEqualTo(0020000);
            assertThat(g.rax(262, AT_FDCWD, g.string("/data"), stat, 0)).isZero();
            assertThat(g.read(stat, 144).getLong(48)).isEqualTo(1234);
            assertThat(g.rax(16, 1, 0x5401, stat)).isEqualTo(-25); // TCGETS: not a terminal
        }
    }

    @Test
    void getdents64ListsADirectory() throws IOException {
        Files.createDirectories(root.resolve("dir/sub"));
        Files.writeString(root.resolve("dir/file.txt"), "x");
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(2, g.string("/dir"), O_RDONLY | O_DIRECTORY);
            long buffer = g.buffer(4096);
            long length = g.rax(217, fd, buffer, 4096);
            ByteBuffer d = g.read(buffer, (int) length);
            List<String> names = new ArrayList<>();
            List<Integer> types = new ArrayList<>();
            for (int at = 0; at < length; ) {
                int reclen = d.getShort(at + 16);
                assertThat(reclen % 8).isZero();
                types.add((int) d.get(at + 18));
                int end = at + 19;
                while (d.get(end) != 0) {
                    end++;
                }
                names.add(new String(g.machine.memory().read(buffer + at + 19, end - at - 19), StandardCharsets.UTF_8));
                at += reclen;
            }
            // The host's own order, as `ls -f` (which does not sort) shows it, so unsorted listings match native runs.
            Process ls = new ProcessBuilder("ls", "-f", root.resolve("dir").toString()).start();
            List<String> hostOrder = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(names).containsExactlyElementsOf(hostOrder).containsExactlyInAnyOrder(".", "..", "file.txt", "sub");
            for (int i = 0; i < names.size(); i++) {
                assertThat(types.get(i)).as(names.get(i)).isEqualTo(names.get(i).equals("file.txt") ? 8 : 4); // DT_REG, DT_DIR
            }
            assertThat(g.rax(217, fd, buffer, 4096)).isZero();
        }
    }
}
