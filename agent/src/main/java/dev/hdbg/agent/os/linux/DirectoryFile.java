package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An open directory, read with {@code getdents64}: a host directory, or one of the made-up ones
 * ({@link VirtualNode.Directory}). The listing is taken at the first read (and again after a rewind): a host
 * directory's in the host's own order, as its getdents gives it (a program that does not sort, such as {@code find},
 * prints what it prints natively); a made-up one's with "." and ".." first.
 */
final class DirectoryFile extends OpenFile {
    /** One name in the listing, with its inode and {@code d_type}. */
    record Entry(String name, long ino, int type) {
    }

    private final Path host;
    private final String guestPath;
    private final Supplier<List<Entry>> virtualEntries;
    private List<Entry> entries;
    private int position;

    DirectoryFile(Path host, String guestPath, int statusFlags) {
        super(statusFlags);
        this.host = host;
        this.guestPath = guestPath;
        this.virtualEntries = null;
    }

    /** A made-up directory: its entries, "." and ".." not included, come from {@code entries} at each listing. */
    DirectoryFile(String guestPath, int statusFlags, Supplier<List<Entry>> entries) {
        super(statusFlags);
        this.host = null;
        this.guestPath = guestPath;
        this.virtualEntries = entries;
    }

    /** The host directory; null for a made-up one. */
    Path host() {
        return host;
    }

    String guestPath() {
        return guestPath;
    }

    @Override
    int read(byte[] buffer) {
        throw new SyscallException(Errno.EISDIR);
    }

    @Override
    int pread(byte[] buffer, long offset) {
        throw new SyscallException(Errno.EISDIR);
    }

    /** Only a rewind (SEEK_SET to 0, rewinddir) or a seek to a {@code d_off} the listing handed out. */
    @Override
    long seek(long offset, int whence) {
        if (whence != HostFile.SEEK_SET || offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset == 0) {
            entries = null;
        }
        position = (int) Math.min(offset, Integer.MAX_VALUE);
        return offset;
    }

    @Override
    byte[] stat() throws IOException {
        return host == null ? Stat.virtualDirectory(guestPath) : Stat.of(host, true);
    }

    /**
     * Fills {@code capacity} bytes with {@code struct linux_dirent64} records (d_ino, d_off, d_reclen, d_type,
     * d_name NUL-terminated, each record padded to 8 bytes).
     *
     * @return the records, empty at the end of the directory
     * @throws SyscallException EINVAL when not even one record fits
     */
    byte[] nextEntries(int capacity) throws IOException {
        if (entries == null) {
            entries = list();
        }
        ByteBuffer out = UserMemory.struct(Math.max(0, capacity));
        while (position < entries.size()) {
            Entry e = entries.get(position);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int length = (19 + name.length + 1 + 7) & ~7;
            if (length > out.remaining()) {
                if (out.position() == 0) {
                    throw new SyscallException(Errno.EINVAL);
                }
                break;
            }
            int start = out.position();
            out.putLong(e.ino()).putLong(position + 1).putShort((short) length).put((byte) e.type()).put(name);
            out.position(start + length); // the rest of the record stays zero: the NUL and the padding
            position++;
        }
        byte[] records = new byte[out.position()];
        out.get(0, records);
        return records;
    }

    private List<Entry> list() throws IOException {
        List<Entry> list = new ArrayList<>();
        if (host == null) {
            long ino = Stat.virtualInode(guestPath);
            list.add(new Entry(".", ino, Stat.direntType(Stat.S_IFDIR)));
            list.add(new Entry("..", ino, Stat.direntType(Stat.S_IFDIR)));
            list.addAll(virtualEntries.get());
            return list;
        }
        list.addAll(HostStat.readdir(host));
        return list;
    }

}
