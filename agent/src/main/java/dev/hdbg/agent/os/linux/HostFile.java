package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A regular host file, read and written through a {@link FileChannel} whose position is the file offset. A memfd's
 * has {@link MemfdSeals}, which its writes and length changes obey.
 */
final class HostFile extends OpenFile {
    static final int SEEK_SET = 0;
    static final int SEEK_CUR = 1;
    static final int SEEK_END = 2;

    /** What Linux adds to the name of an open file that has none left: {@code /memfd:NAME (deleted)}. */
    static final String DELETED = " (deleted)";

    private final Path host;
    private final String guestPath;
    private final FileChannel channel;
    /** A memfd's seals, shared with every other description of it; null for any other file. */
    private final MemfdSeals seals;
    private Object fileKey;
    /** The agent's descriptor of this file last found by {@link #agentDescriptor}; null until one was needed. */
    private Path ownDescriptor;
    /** The machine's inotify watches, told of reads, writes and the last close; null for a file no one can watch. */
    private FileWatches watches;

    HostFile(Path host, String guestPath, FileChannel channel, int statusFlags) {
        this(host, guestPath, channel, statusFlags, null);
    }

    /** A description of a memfd, whose {@code seals} every description of it shares. */
    HostFile(Path host, String guestPath, FileChannel channel, int statusFlags, MemfdSeals seals) {
        super(statusFlags);
        this.host = host;
        this.guestPath = guestPath;
        this.channel = channel;
        this.seals = seals;
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

    /** Has reads, writes, length changes and the last close told to {@code watches} (inotify), and the open now. */
    HostFile watchedBy(FileWatches watches) {
        this.watches = watches;
        told(FileWatches.IN_OPEN, 1);
        return this;
    }

    /** Tells the watches of {@code event} when {@code count} bytes (or a change) happened; nothing without any. */
    private int told(int event, int count) {
        if (watches != null && count > 0) {
            watches.onOpenFile(this, event);
        }
        return count;
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

    /** A memfd's seals; null for a file that cannot be sealed (fcntl's seal commands are EINVAL there). */
    MemfdSeals seals() {
        return seals;
    }

    /** Whether this is a memfd whose writes and new writable shared mappings are sealed ({@link MemfdSeals#writeSealed}). */
    boolean writeSealed() {
        return seals != null && seals.writeSealed();
    }

    /**
     * Whether the file's host name still leads to it: false for a memfd, which never had one, and for a file unlinked
     * or replaced since it was opened. A path through {@code /proc/self/fd/N} follows the name only while this holds.
     */
    boolean named() {
        if (seals != null) {
            return false;
        }
        byte[] now = statOrNull(host);
        return now != null && (statAtOpen == null || Stat.sameFile(now, statAtOpen));
    }

    /** A host path that leads to this very file: its name while it has one ({@link #named}), else the agent's descriptor. */
    Path livePath() throws IOException {
        return named() ? host : agentDescriptor();
    }

    /**
     * A new description of this file, open with {@code statusFlags}: Linux's open of {@code /proc/self/fd/N} when the
     * file has no name left (a memfd handed on read-only, a temporary file unlinked at once). The host's kernel gives
     * the agent one through its own descriptor of the file ({@link #agentDescriptor}).
     */
    HostFile reopened(int statusFlags) throws IOException {
        Path descriptor = agentDescriptor();
        Set<StandardOpenOption> options = switch (statusFlags & O_ACCMODE) {
            case O_RDONLY -> Set.of(StandardOpenOption.READ);
            case O_WRONLY -> Set.of(StandardOpenOption.WRITE);
            default -> Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        };
        HostFile reopened = new HostFile(host, guestPath, FileChannel.open(descriptor, options), statusFlags, seals);
        reopened.fileKey = fileKey();
        reopened.statAtOpen = statAtOpen;
        reopened.ownDescriptor = descriptor;
        return watches != null ? reopened.watchedBy(watches) : reopened;
    }

    /**
     * The agent's own {@code /proc/self/fd/N} of this file, which the host's kernel follows to it whether or not a name
     * does: its channel's descriptor or another of the same file, found by the file's identity and kept while it still
     * leads there. ENOENT when the identity was never known.
     */
    private Path agentDescriptor() throws IOException {
        Object key = fileKey();
        if (ownDescriptor != null && leadsTo(ownDescriptor, key)) {
            return ownDescriptor;
        }
        List<Path> descriptors = new ArrayList<>();
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            open.forEach(descriptors::add);
        }
        for (Path descriptor : descriptors) {
            if (leadsTo(descriptor, key)) {
                ownDescriptor = descriptor;
                return descriptor;
            }
        }
        throw new SyscallException(Errno.ENOENT);
    }

    private static boolean leadsTo(Path descriptor, Object key) {
        byte[] stat = statOrNull(descriptor);
        return stat != null && Stat.id(stat).equals(key);
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
        return told(FileWatches.IN_ACCESS, Math.max(0, channel.read(ByteBuffer.wrap(buffer))));
    }

    /** Straight into {@code into} (a direct buffer over guest memory): no array, no copy of the channel's own. */
    @Override
    int read(ByteBuffer into) throws IOException {
        return told(FileWatches.IN_ACCESS, Math.max(0, channel.read(into)));
    }

    @Override
    int pread(ByteBuffer into, long offset) throws IOException {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return told(FileWatches.IN_ACCESS, Math.max(0, channel.read(into, offset)));
    }

    @Override
    int write(byte[] data) throws IOException {
        if ((statusFlags() & O_APPEND) != 0) {
            channel.position(channel.size()); // F_SETFL may add O_APPEND after open
        }
        ByteBuffer source = ByteBuffer.wrap(data, 0, sealedLength(channel.position(), data.length));
        while (source.hasRemaining()) {
            channel.write(source);
        }
        return told(FileWatches.IN_MODIFY, source.position());
    }

    /** How much of {@code length} bytes at {@code offset} the seals let through: all of them for an unsealed file. */
    private int sealedLength(long offset, int length) throws IOException {
        return seals == null ? length : seals.writable(offset, length, channel.size());
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
        ByteBuffer source = ByteBuffer.wrap(data, 0, sealedLength(offset, data.length));
        while (source.hasRemaining()) {
            channel.write(source, offset + source.position());
        }
        return told(FileWatches.IN_MODIFY, source.position());
    }

    @Override
    int pread(byte[] buffer, long offset) throws IOException {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return told(FileWatches.IN_ACCESS, Math.max(0, channel.read(ByteBuffer.wrap(buffer), offset)));
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
        requireLength(length);
        setLength(channel, length);
        told(FileWatches.IN_MODIFY, 1);
    }

    /**
     * ftruncate of this description, open for writing, in {@code memory}: the seals asked first, so that a refused cut
     * loses nothing, then the pages of the file's mappings past the new end dropped ({@link FileCuts}), then the cut.
     */
    void cut(GuestMemory memory, long length) throws IOException {
        requireLength(length);
        FileCuts.before(memory, this, length);
        setLength(channel, length);
        told(FileWatches.IN_MODIFY, 1);
    }

    /** EPERM when the seals forbid cutting or growing the file to {@code length}. */
    private void requireLength(long length) throws IOException {
        if (seals != null && length >= 0) {
            seals.requireLength(channel.size(), length);
        }
    }

    /**
     * fallocate's default mode: the range's blocks allocated by the host's fallocate ({@link HostLengths}), the file
     * at least {@code offset + length} bytes long, what it held unchanged.
     */
    @Override
    void allocate(long offset, long length) throws IOException {
        if (!writable()) {
            throw new SyscallException(Errno.EBADF);
        }
        if (offset + length > channel.size()) {
            requireLength(offset + length);
        }
        HostLengths.allocate(livePath(), offset, length);
        told(FileWatches.IN_MODIFY, 1);
    }

    /**
     * The file cut or extended with zeros to {@code length}, its offset left where it was, as Linux's truncate and
     * ftruncate leave it (FileChannel's truncate would pull a position past the end back to it). It grows with a
     * hole, through the host's truncate ({@link HostLengths}; Java could only write the last byte, a block more).
     */
    private void setLength(FileChannel channel, long length) throws IOException {
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long size = channel.size();
        if (length < size) {
            long position = channel.position();
            channel.truncate(length);
            channel.position(position);
        } else if (length > size) {
            HostLengths.truncate(livePath(), length);
        }
    }

    /**
     * fstat: the host's stat of the file's name while it names this file; of a file unlinked (or replaced) since it was
     * opened for writing, and of a memfd, the host's stat through the agent's own descriptor of it (no link, its mode,
     * size and times now), as Linux's fstat of the open file (Python's multiprocessing fstats its arena's file after
     * unlinking it; a memfd's mode changes with fchmod). A file open read-only and unlinked says ENOENT, as before.
     */
    @Override
    byte[] stat() throws IOException {
        if (statAtOpen == null) {
            return Stat.of(host, true);
        }
        if (seals == null) {
            byte[] now = statOrNull(host);
            if (now != null && Stat.sameFile(now, statAtOpen)) {
                return now;
            }
        }
        try {
            return Stat.of(agentDescriptor(), true);
        } catch (SyscallException e) {
            return Stat.unlinked(statAtOpen, channel.size()); // not found by its identity: the stat kept at the open
        }
    }

    @Override
    void release() throws IOException {
        channel.close();
        told(writable() ? FileWatches.IN_CLOSE_WRITE : FileWatches.IN_CLOSE_NOWRITE, 1);
    }
}
