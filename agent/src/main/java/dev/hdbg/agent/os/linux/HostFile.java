package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A regular host file, read and written through a {@link FileChannel} whose position is the file offset. */
final class HostFile extends OpenFile {
    static final int SEEK_SET = 0;
    static final int SEEK_CUR = 1;
    static final int SEEK_END = 2;

    private final Path host;
    private final String guestPath;
    private final FileChannel channel;
    private Object lockKey;

    HostFile(Path host, String guestPath, FileChannel channel, int statusFlags) {
        super(statusFlags);
        this.host = host;
        this.guestPath = guestPath;
        this.channel = channel;
    }

    Path host() {
        return host;
    }

    /**
     * What flock's locks know the file by: its device and inode (every open of it, under any name), read at the first
     * lock and kept, so that a file unlinked since is still the same; this description itself when the host cannot
     * say (the file gone before its first lock).
     */
    Object lockKey() {
        if (lockKey == null) {
            try {
                Object key = Files.readAttributes(host, BasicFileAttributes.class).fileKey();
                lockKey = key != null ? key : this;
            } catch (IOException e) {
                lockKey = this;
            }
        }
        return lockKey;
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

    @Override
    byte[] stat() throws IOException {
        return Stat.of(host, true);
    }

    @Override
    void release() throws IOException {
        channel.close();
    }
}
