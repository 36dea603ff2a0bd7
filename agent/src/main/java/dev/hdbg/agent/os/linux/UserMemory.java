package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The kernel's {@code copy_from_user}/{@code copy_to_user}: guest memory seen by system calls. A bad pointer
 * surfaces as the machine's UnmappedAddressException, which the dispatcher turns into EFAULT.
 */
final class UserMemory {
    /** linux/limits.h PATH_MAX, the NUL included. */
    static final int PATH_MAX = 4096;
    /** UIO_MAXIOV: the most vectors one readv or writev takes. */
    private static final int MAX_IOV = 1024;

    private final GuestMemory memory;

    UserMemory(GuestMemory memory) {
        this.memory = memory;
    }

    byte[] read(long address, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        return memory.read(address, (int) length);
    }

    void write(long address, byte[] data) {
        if (data.length > 0) { // GuestMemory.write fails on an empty array (its cache flush rejects an empty range)
            memory.write(address, data);
        }
    }

    /** readv's and writev's {@code struct iovec {void *iov_base; size_t iov_len;}} × {@code count}: {base, length}. */
    long[][] iovecs(long address, int count) {
        if (count < 0 || count > MAX_IOV) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer raw = struct(16 * count).put(read(address, 16L * count)).flip();
        long[][] vectors = new long[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = new long[] {raw.getLong(), raw.getLong()};
        }
        return vectors;
    }

    /** The sum of {@code vectors}' lengths: EINVAL for one past SSIZE_MAX, or a sum past it, as Linux refuses them. */
    static long totalLength(long[][] vectors) {
        long sum = 0;
        for (long[] v : vectors) {
            if (v[1] < 0 || sum + v[1] < 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            sum += v[1];
        }
        return sum;
    }

    /** The first {@code length} bytes of {@code data} written across {@code vectors} in turn: readv's and recvmsg's. */
    void scatter(long[][] vectors, byte[] data, int length) {
        int done = 0;
        for (long[] v : vectors) {
            int n = (int) Math.min(v[1], length - done);
            if (n <= 0) {
                break;
            }
            write(v[0], Arrays.copyOfRange(data, done, done + n));
            done += n;
        }
    }

    /** Fails with EFAULT before any work is done, so a read does not consume input it cannot store. */
    void requireMapped(long address, long length) {
        if (length > 0 && !memory.isMapped(address, length)) {
            throw new SyscallException(Errno.EFAULT);
        }
    }

    long readLong(long address) {
        return ByteBuffer.wrap(memory.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int readInt(long address) {
        return ByteBuffer.wrap(memory.read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    void writeLong(long address, long value) {
        memory.write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    void writeInt(long address, int value) {
        memory.write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    /**
     * A NUL-terminated string such as a path, read a page at a time so a string ending just before an unmapped
     * page is still readable.
     *
     * @throws SyscallException ENAMETOOLONG past {@link #PATH_MAX} bytes
     */
    String cString(long address) {
        StringBuilder text = new StringBuilder();
        byte[] bytes = new byte[PATH_MAX];
        int length = 0;
        long cursor = address;
        while (length < PATH_MAX) {
            int chunk = (int) Math.min(PATH_MAX - length, GuestMemory.PAGE - (cursor & (GuestMemory.PAGE - 1)));
            byte[] part = memory.read(cursor, chunk);
            for (byte b : part) {
                if (b == 0) {
                    return text.append(new String(bytes, 0, length, StandardCharsets.UTF_8)).toString();
                }
                bytes[length++] = b;
            }
            cursor += chunk;
        }
        throw new SyscallException(Errno.ENAMETOOLONG);
    }

    /** A little-endian buffer for building a kernel structure. */
    static ByteBuffer struct(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
