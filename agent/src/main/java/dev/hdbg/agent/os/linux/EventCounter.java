package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd: a 64-bit counter that writes add to and a read takes (all of it, or one with EFD_SEMAPHORE), the way
 * event loops (libuv, glib, tokio) wake themselves beside epoll. A read of 0 and a write that would pass the largest
 * count wait as a pipe's do ({@link Blocked}), or fail with EAGAIN when non-blocking; a change wakes the threads in
 * poll, select or epoll.
 */
final class EventCounter extends OpenFile {
    /** The largest count: 0xfffffffffffffffe. */
    private static final long MAX = -2L;

    private final Scheduler scheduler;
    private final boolean semaphore;
    private long count;

    EventCounter(Scheduler scheduler, long initial, boolean semaphore, int statusFlags) {
        super(O_RDWR | statusFlags);
        this.scheduler = scheduler;
        this.count = initial;
        this.semaphore = semaphore;
    }

    @Override
    int read(byte[] buffer) {
        if (buffer.length < 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (count == 0) {
            throw Blocked.unlessNonBlocking(this, this);
        }
        long value = semaphore ? 1 : count;
        count -= value;
        ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        changed();
        return 8;
    }

    @Override
    int write(byte[] data) {
        if (data.length < 8) {
            throw new SyscallException(Errno.EINVAL);
        }
        long value = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (value == -1L) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(value, MAX - count) > 0) {
            throw Blocked.unlessNonBlocking(this, this);
        }
        count += value;
        changed();
        return 8;
    }

    @Override
    boolean readReady() {
        return count != 0;
    }

    private void changed() {
        scheduler.wakeAll(this, ReadyWait.CHANNEL); // a reader waiting for a count, a writer for room
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(0600, 0, 0x40000, Credentials.UID, Credentials.GID);
    }
}
