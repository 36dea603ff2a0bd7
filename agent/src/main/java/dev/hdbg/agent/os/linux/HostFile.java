package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/** A regular host file, read and written through a {@link FileChannel} whose position is the file offset. */
final class HostFile extends OpenFile {
    static final int SEEK_SET = 0;
    static final int SEEK_CUR = 1;
    static final int SEEK_END = 2;

    /** What Linux adds to the name of an open file that has none left: {@code /memfd:NAME (deleted)}. */
    static final String DELETED = " (deleted)";

    private final Path host;
    private final String guestPath;
    private final FileChannel channel;
    private Object fileKey;

    HostFile(Path host, String guestPath, FileChannel channel, int statusFlags) {
        super(statusFlags);
        this.host = host;
        this.guestPath = guestPath;
        this.channel = channel;
        if (writable()) {
            // Known from the open on: a file the program may map shared and cut is known by its key even once unlinked
            // (Python's multiprocessing unlinks its arena's file before it maps it, and fstats it).
            statAtOpen = statOrNull(host);
            fileKey = statAtOpen != null ? Stat.id(statAtOpen) : this;
        }
    }

    /**
     * The file's {@code struct stat} when it was opened for writing; null for a file open read-only or one the host
     * could not say. What {@link #stat} answers, with the size now, once its name leads nowhere or to another file.
     */
    private byte[] statAtOpen;

    private static byte[] statOrNull(Path host) {
        try {
            return Stat.of(host, true);
        } catch (SyscallException e) {
            return null;
        }
    }

    Path host() {
        return host;
    }

    /**
     * The file's identity, its device and inode ({@link Stat#id}): what flock's and fcntl's locks know it by (every
     * open of it, under any name) and what its shared mappings are found by when it is cut ({@code GuestMemory#mapFile}).
     * Read at the open of a file open for writing or else at the first use, and kept, so that a file unlinked since is
     * still the same; this description itself when the host cannot say (the file gone before then).
     */
    Object fileKey() {
        if (fileKey == null) {
            byte[] stat = statOrNull(host);
            fileKey = stat != null ? Stat.id(stat) : this;
        }
        return fileKey;
    }

    /** The channel, for a mapping of the file's own pages. */
    FileChannel channel() {
        return channel;
    }

    /** Every byte of the file, read from its start without moving the offset: fexecve's program. */
    byte[] readAll() throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new SyscallException(Errno.ENOMEM);
        }
        ByteBuffer all = ByteBuffer.allocate((int) size);
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // a file cut meanwhile ends the loop short: what was read is the program
        }
        return Arrays.copyOf(all.array(), all.position());
    }

    /** The file's canonical name in the guest: what {@code /proc/self/fd/N} and {@code /proc/self/maps} show. */
    String guestPath() {
        return guestPath;
    }

    @Override
    int read(byte[] buffer) throws IOException {
        return Math.max(0, channel.read(ByteBuffer.wrap(buffer)));
    }

    /** Straight into {@code into} (a direct buffer over guest memory): no array, no copy of the channel's own. */
    @Override
    int read(ByteBuffer into) throws IOException {
        return Math.max(0, channel.read(into));
    }

    @Override
    int pread(ByteBuffer into, long offset) throws IOException {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return Math.max(0, channel.read(into, offset));
    }

    @Override
    int write(byte[] data) throws IOException {
        if ((statusFlags() & O_APPEND) != 0) {
            channel.position(channel.size()); // F_SETFL may add O_APPEND after open
        }
        ByteBuffer source = ByteBuffer.wrap(data);
        while (source.hasRemaining()) {
            channel.write(source);
        }
        return data.length;
    }

    /** With O_APPEND the data goes to the end whatever the offset, as Linux's pwrite does (its BUGS section). */
    @Override
    int pwrite(byte[] data, long offset) throws IOException {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((statusFlags() & O_APPEND) != 0) {
            return write(data);
        }
        ByteBuffer source = ByteBuffer.wrap(data);
        while (source.hasRemaining()) {
            channel.write(source, offset + source.position());
        }
        return data.length;
    }

    @Override
    int pread(byte[] buffer, long offset) throws IOException {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return Math.max(0, channel.read(ByteBuffer.wrap(buffer), offset));
    }

    @Override
    long seek(long offset, int whence) throws IOException {
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> channel.position();
            case SEEK_END -> channel.size();
            default -> throw new SyscallException(Errno.EINVAL);
        };
        long target = base + offset;
        if (target < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        channel.position(target);
        return target;
    }

    @Override
    int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - channel.position()));
    }

    /** The file's length now. */
    long size() throws IOException {
        return channel.size();
    }

    /** The file offset, unchanged. */
    long position() throws IOException {
        return channel.position();
    }

    /** ftruncate: Linux's answer for a descriptor not open for writing is EINVAL. */
    @Override
    void setLength(long length) throws IOException {
        if (!writable()) {
            throw new SyscallException(Errno.EINVAL);
        }
        setLength(channel, length);
    }

    /** fallocate's default mode: the file at least {@code end} bytes long, what it held unchanged. */
    @Override
    void allocate(long end) throws IOException {
        if (!writable()) {
            throw new SyscallException(Errno.EBADF);
        }
        if (end > channel.size()) {
            setLength(channel, end);
        }
    }

    /**
     * The file cut or extended with zeros to {@code length}, its offset left where it was, as Linux's truncate and
     * ftruncate leave it (FileChannel's truncate would pull a position past the end back to it).
     */
    static void setLength(FileChannel channel, long length) throws IOException {
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long size = channel.size();
        if (length < size) {
            long position = channel.position();
            channel.truncate(length);
            channel.position(position);
        } else if (length > size) {
            channel.write(ByteBuffer.allocate(1), length - 1); // the bytes before it a hole, read as zeros
        }
    }

    /**
     * fstat: the host's stat of the file's name while it names this file; of a file unlinked (or replaced) since it was
     * opened for writing, its stat at the open with no link and its size now, as Linux's fstat of the open file
     * (Python's multiprocessing fstats its arena's file after unlinking it). A file open read-only and unlinked says
     * ENOENT, as before.
     */
    @Override
    byte[] stat() throws IOException {
        if (statAtOpen == null) {
            return Stat.of(host, true);
        }
        try {
            byte[] now = Stat.of(host, true);
            if (Stat.sameFile(now, statAtOpen)) {
                return now;
            }
        } catch (SyscallException e) {
            // The name is gone: the open file is still there.
        }
        return Stat.unlinked(statAtOpen, channel.size());
    }

    @Override
    void release() throws IOException {
        channel.close();
    }
}
