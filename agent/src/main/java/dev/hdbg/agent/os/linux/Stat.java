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

    private Stat() {
    }

    /** The raw attributes of a host file ({@code lstat} when not following), from the "unix" view. */
    static Map<String, Object> attributes(Path host, boolean follow) throws IOException {
        return follow ? Files.readAttributes(host, "unix:*")
                : Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    /** The {@code struct stat} of a host file, from its real attributes. */
    static byte[] of(Path host, boolean follow) throws IOException {
        Map<String, Object> a = attributes(host, follow);
        long size = (Long) a.get("size");
        return layout((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"), (Integer) a.get("mode"),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), size, (size + 511) / 512,
                time(a.get("lastAccessTime")), time(a.get("lastModifiedTime")), time(a.get("ctime")));
    }

    /** A {@code struct stat} for something with no host file: the standard streams, a pipe. */
    static byte[] synthetic(int mode, long rdev, long ino, int uid, int gid) {
        Instant now = Instant.now();
        return layout(0, ino, 1, mode, uid, gid, rdev, 0, 0, now, now, now);
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
