package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** link, linkat, symlink and symlinkat beneath the root, only where the program may write (ln, ln -s, tar). */
class LinkSyscallsTest {
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Test
    void aHardLinkIsASecondNameOfTheSameFile() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.writeString(root.resolve("w/a"), "one");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(86, g.string("/w/a"), g.string("/w/b"))).isZero();
            assertThat(Files.isSameFile(root.resolve("w/a"), root.resolve("w/b"))).isTrue();
            assertThat(g.rax(265, AT_FDCWD, g.string("/w/a"), AT_FDCWD, g.string("/w/c"), 0)).isZero();
            assertThat(Files.getAttribute(root.resolve("w/a"), "unix:nlink")).isEqualTo(3);

            assertThat(g.rax(86, g.string("/w/a"), g.string("/w/b"))).as("the name is taken").isEqualTo(-Errno.EEXIST);
            assertThat(g.rax(86, g.string("/w/none"), g.string("/w/d"))).isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(86, g.string("/w"), g.string("/w/d"))).as("a directory").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(265, AT_FDCWD, g.string("/w/a"), AT_FDCWD, g.string("/w/d"), 0x8000))
                    .as("an unknown flag").isEqualTo(-Errno.EINVAL);
        }
    }

    /**
     * A second name in a writable directory for a file of the read-only tree would let the program write that file
     * through it: Linux's answer to a link between two file systems (EXDEV) keeps it out.
     */
    @Test
    void aFileOfTheReadOnlyTreeGetsNoNameInAWritableDirectory() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(86, g.string("/etc/passwd"), g.string("/w/p"))).isEqualTo(-Errno.EXDEV);
            assertThat(g.rax(86, g.string("/etc/passwd"), g.string("/etc/p"))).isEqualTo(-Errno.EROFS);
            assertThat(g.rax(86, g.string("/proc/self/maps"), g.string("/w/m"))).isEqualTo(-Errno.EXDEV);
            assertThat(root.resolve("w/p")).doesNotExist();
        }
    }

    @Test
    void linkatFollowsALastLinkOnlyWhenAsked() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.writeString(root.resolve("w/a"), "one");
        Files.createSymbolicLink(root.resolve("w/s"), Path.of("a"));
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(265, AT_FDCWD, g.string("/w/s"), AT_FDCWD, g.string("/w/link-of-link"), 0)).isZero();
            assertThat(g.rax(265, AT_FDCWD, g.string("/w/s"), AT_FDCWD, g.string("/w/link-of-a"), AT_SYMLINK_FOLLOW))
                    .isZero();
            assertThat(Files.isSymbolicLink(root.resolve("w/link-of-link"))).isTrue();
            assertThat(Files.isSymbolicLink(root.resolve("w/link-of-a"))).isFalse();
            assertThat(Files.isSameFile(root.resolve("w/link-of-a"), root.resolve("w/a"))).isTrue();
        }
    }

    @Test
    void aSymbolicLinkHoldsTheProgramsTextAndIsFollowedBeneathTheRoot() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/motd"), "inside");
        Files.writeString(outside.resolve("secret"), "outside");
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(88, g.string("/etc/motd"), g.string("/w/m"))).isZero();
            assertThat(g.rax(266, g.string(outside.resolve("secret").toString()), AT_FDCWD, g.string("/w/s")))
                    .isZero();
            assertThat(Files.readSymbolicLink(root.resolve("w/m"))).isEqualTo(Path.of("/etc/motd"));

            long buffer = g.buffer(64);
            assertThat(g.rax(89, g.string("/w/m"), buffer, 64)).isEqualTo(9);
            assertThat(new String(g.machine.memory().read(buffer, 9), StandardCharsets.UTF_8)).isEqualTo("/etc/motd");
            long fd = g.rax(2, g.string("/w/m"), O_RDONLY);
            assertThat(g.rax(0, fd, buffer, 64)).as("the root's /etc/motd").isEqualTo(6);
            assertThat(g.rax(2, g.string("/w/s"), O_RDONLY))
                    .as("a host path beneath the root, where nothing is").isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(2, g.string("/w/m"), O_WRONLY))
                    .as("writing through a link into the read-only tree").isEqualTo(-Errno.EROFS);

            assertThat(g.rax(88, g.string("x"), g.string("/w/m"))).isEqualTo(-Errno.EEXIST);
            assertThat(g.rax(88, g.string(""), g.string("/w/e"))).isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(88, g.string("x"), g.string("/etc/l"))).isEqualTo(-Errno.EROFS);
            assertThat(g.rax(88, g.string("x"), g.string("/proc/l"))).as("as mkdir there").isEqualTo(-Errno.ENOENT);
        }
    }

    /**
     * A link the program made may name any host file: calls that do not follow it must not follow it on the host
     * either. utimensat with AT_SYMLINK_NOFOLLOW (touch -h) set the times of the host file the link named.
     */
    @Test
    void touchingALinkItselfLeavesTheHostFileItNamesAlone() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Path secret = Files.writeString(outside.resolve("secret"), "outside");
        FileTime before = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(secret, before);
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            assertThat(g.rax(88, g.string(secret.toString()), g.string("/w/s"))).isZero();
            assertThat(g.rax(280, AT_FDCWD, g.string("/w/s"), 0, AT_SYMLINK_NOFOLLOW)).isZero();
            assertThat(g.rax(94, g.string("/w/s"), -1, -1)).as("lchown of the link itself").isZero();
        }
        assertThat(Files.getLastModifiedTime(secret)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(root.resolve("w/s"), LinkOption.NOFOLLOW_LINKS)).isNotEqualTo(before);
    }

    /**
     * glibc's fchmodat with AT_SYMLINK_NOFOLLOW (tar extracting a link): an O_PATH|O_NOFOLLOW descriptor of the link,
     * fstatat(fd, "", AT_EMPTY_PATH) to see it is one, EOPNOTSUPP from glibc; for a file, chmod through
     * /proc/self/fd/N. The O_PATH open of a link was ELOOP, and tar failed with "Too many levels of symbolic links".
     */
    @Test
    void anOPathDescriptorNamesALinkItselfOrAFileWithoutOpeningIt() throws IOException {
        Files.createDirectories(root.resolve("w"));
        Files.writeString(root.resolve("w/a"), "one");
        Files.createSymbolicLink(root.resolve("w/l"), Path.of("a"));
        int oPath = 010000000;
        int oNofollow = 0400000;
        int atEmptyPath = 0x1000;
        try (Guest g = new Guest(root, false, List.of("/w"))) {
            long link = g.rax(257, AT_FDCWD, g.string("/w/l"), oPath | oNofollow);
            assertThat(link).isPositive();
            long stat = g.buffer(144);
            assertThat(g.rax(262, link, g.string(""), stat, atEmptyPath)).isZero();
            assertThat(g.read(stat, 144).getInt(24) & 0170000).as("st_mode: a link").isEqualTo(0120000);
            assertThat(g.rax(0, link, g.buffer(8), 8)).as("no reading").isEqualTo(-Errno.EBADF);

            long file = g.rax(257, AT_FDCWD, g.string("/w/a"), oPath);
            long buffer = g.buffer(64);
            assertThat(g.rax(89, g.string("/proc/self/fd/" + file), buffer, 64)).isEqualTo(4);
            assertThat(new String(g.machine.memory().read(buffer, 4), StandardCharsets.UTF_8)).isEqualTo("/w/a");
            assertThat(g.rax(90, g.string("/proc/self/fd/" + file), 0600)).isZero();
            assertThat(Files.getPosixFilePermissions(root.resolve("w/a")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(g.rax(257, AT_FDCWD, g.string("/w/a"), oPath | 0200000)).as("O_DIRECTORY")
                    .isEqualTo(-Errno.ENOTDIR);
            assertThat(g.rax(257, AT_FDCWD, g.string("/w/none"), oPath)).isEqualTo(-Errno.ENOENT);
        }
    }
}
