package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** x86-64 {@code struct stat} (asm/stat.h, 144 bytes) and the file-type bits of {@code st_mode}. */
final class Stat {
    static final int SIZE = 144;
    static final int S_IFMT = 0170000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFSOCK = 0140000;
    private static final int BLOCK_SIZE = 4096;
    /** The device number of the made-up files: proc's on a typical machine (0:22). */
    private static final long VIRTUAL_DEVICE = 22;
    private static final Instant BOOT = Instant.now();

    private Stat() {
    }

    /** The raw attributes of a host file ({@code lstat} when not following), from the "unix" view. */
    static Map<String, Object> attributes(Path host, boolean follow) throws IOException {
        return follow ? Files.readAttributes(host, "unix:*")
                : Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    /** The {@code struct stat} of a host file, as the host's kernel gives it. */
    static byte[] of(Path host, boolean follow) {
        return HostStat.stat(host, follow);
    }

    /** A {@code struct stat} for something with no host file: the standard streams, a pipe. */
    static byte[] synthetic(int mode, long rdev, long ino, int uid, int gid) {
        Instant now = Instant.now();
        return layout(0, ino, 1, mode, uid, gid, rdev, 0, 0, now, now, now);
    }

    /** The size of struct statx (linux/stat.h). */
    static final int STATX_SIZE = 256;
    /** STATX_BASIC_STATS: type, mode, nlink, uid, gid, atime, mtime, ctime, ino, size, blocks. */
    private static final int STATX_BASIC_STATS = 0x7ff;

    /** st_mode's file type bits of a struct stat. */
    static int fileType(byte[] stat) {
        return UserMemory.struct(SIZE).put(stat).getInt(24) & S_IFMT;
    }

    /** st_mode's permission bits (with set-user-ID, set-group-ID and sticky) of a struct stat. */
    static int permissions(byte[] stat) {
        return UserMemory.struct(SIZE).put(stat).getInt(24) & 07777;
    }

    /** A file's identity: its device and inode, equal for every name and open of it. */
    record FileId(long device, long inode) {
    }

    /** The identity of the file a {@code struct stat} describes. */
    static FileId id(byte[] stat) {
        ByteBuffer b = UserMemory.struct(SIZE).put(stat);
        return new FileId(b.getLong(0), b.getLong(8));
    }

    /** st_nlink of a struct stat: how many names the file has. */
    static long links(byte[] stat) {
        return UserMemory.struct(SIZE).put(stat).getLong(16);
    }

    /** st_size of a struct stat. */
    static long size(byte[] stat) {
        return UserMemory.struct(SIZE).put(stat).getLong(48);
    }

    /** Whether two {@code struct stat}s are of one file: the same device and inode. */
    static boolean sameFile(byte[] one, byte[] other) {
        return java.util.Arrays.equals(one, 0, 16, other, 0, 16);
    }

    /** {@code stat} of a file that no name leads to any more, {@code size} bytes long now: no link. */
    static byte[] unlinked(byte[] stat, long size) {
        ByteBuffer b = UserMemory.struct(SIZE).put(stat);
        b.putLong(16, 0).putLong(48, size).putLong(64, (size + 511) / 512);
        return b.array();
    }

    /** st_ino of a struct stat. */
    static long inode(byte[] stat) {
        return UserMemory.struct(SIZE).put(stat).getLong(8);
    }

    /** The struct statx with the same facts as a struct stat; no birth time, no mount id. */
    static byte[] statx(byte[] stat) {
        ByteBuffer s = UserMemory.struct(SIZE).put(stat);
        long dev = s.getLong(0);
        long rdev = s.getLong(40);
        ByteBuffer x = UserMemory.struct(STATX_SIZE);
        x.putInt(0, STATX_BASIC_STATS).putInt(4, (int) s.getLong(56)).putInt(16, (int) s.getLong(16))
                .putInt(20, s.getInt(28)).putInt(24, s.getInt(32)).putShort(28, (short) s.getInt(24))
                .putLong(32, s.getLong(8)).putLong(40, s.getLong(48)).putLong(48, s.getLong(64));
        int[][] times = {{72, 64}, {104, 96}, {88, 112}}; // atime, ctime, mtime: struct stat offset, statx offset
        for (int[] t : times) {
            x.putLong(t[1], s.getLong(t[0])).putInt(t[1] + 8, (int) s.getLong(t[0] + 8));
        }
        x.putInt(128, major(rdev)).putInt(132, minor(rdev)).putInt(136, major(dev)).putInt(140, minor(dev));
        return x.array();
    }

    /** glibc's gnu_dev_major. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    /** glibc's gnu_dev_minor. */
    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    /** A made-up directory ({@code /proc/self}): read and search for everyone, owned by the process's user. */
    static byte[] virtualDirectory(String guestPath) {
        return layout(VIRTUAL_DEVICE, virtualInode(guestPath), 2, S_IFDIR | 0555, Credentials.UID, Credentials.GID, 0, 0, 0,
                BOOT, BOOT, BOOT);
    }

    /** A made-up file: size 0, as Linux's proc files say, though reading them gives their text. */
    static byte[] virtualFile(String guestPath, int mode) {
        return layout(VIRTUAL_DEVICE, virtualInode(guestPath), 1, mode, Credentials.UID, Credentials.GID, 0, 0, 0,
                BOOT, BOOT, BOOT);
    }

    /** A stable inode number for a made-up path. */
    static long virtualInode(String guestPath) {
        return 0x1000_0000L | (guestPath.hashCode() & 0x0fff_ffffL);
    }

    /** {@code linux_dirent64.d_type} (DT_*) for an {@code st_mode}: the file type bits shifted down. */
    static int direntType(int mode) {
        return (mode & S_IFMT) >>> 12;
    }

    private static Instant time(Object attribute) {
        return attribute instanceof FileTime t ? t.toInstant() : Instant.EPOCH;
    }

    private static byte[] layout(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size,
                                 long blocks, Instant atime, Instant mtime, Instant ctime) {
        ByteBuffer b = UserMemory.struct(SIZE);
        b.putLong(0, dev).putLong(8, ino).putLong(16, nlink).putInt(24, mode).putInt(28, uid).putInt(32, gid)
                .putLong(40, rdev).putLong(48, size).putLong(56, BLOCK_SIZE).putLong(64, blocks);
        putTime(b, 72, atime);
        putTime(b, 88, mtime);
        putTime(b, 104, ctime);
        return b.array(); // bytes 120..143 are the kernel's __unused[3]
    }

    private static void putTime(ByteBuffer b, int offset, Instant t) {
        b.putLong(offset, t.getEpochSecond()).putLong(offset + 8, t.getNano());
    }
}
