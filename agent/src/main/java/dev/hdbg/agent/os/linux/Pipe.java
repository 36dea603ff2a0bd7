package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory pipe between the threads and processes that hold its ends. A read of an empty pipe whose write end is
 * open somewhere, and a write to a full one, wait ({@link Blocked}: the thread sleeps until the other side acts, and
 * makes the call again); with O_NONBLOCK they fail with EAGAIN. A read sees end of file once every write end is closed,
 * a write EPIPE once every read end is.
 */
final class Pipe {
    /** Linux's default pipe capacity (16 pages). */
    static final int CAPACITY = 65536;
    /** The most F_SETPIPE_SZ may ask for: Linux's default /proc/sys/fs/pipe-max-size. */
    private static final int MAX_CAPACITY = 1 << 20;
    private static final AtomicLong NEXT_INO = new AtomicLong(0x10000);

    private final long ino = NEXT_INO.getAndIncrement();
    private byte[] data = new byte[0];
    private int capacity = CAPACITY;
    /** How many open descriptions read and write it: one each for pipe()'s, any number for a named pipe's. */
    private int readers;
    private int writers;
    /** How many times a writing description was added ({@link #addWriter}): Linux's {@code w_counter}. */
    private long writerOpens;
    private final Scheduler scheduler;

    /** @param scheduler wakes the threads that wait on this pipe when its state changes */
    Pipe(Scheduler scheduler) {
        this(scheduler, 1, 1);
    }

    private Pipe(Scheduler scheduler, int readers, int writers) {
        this.scheduler = scheduler;
        this.readers = readers;
        this.writers = writers;
    }

    /** A named pipe's (mkfifo): nobody reads or writes it until someone opens it ({@link NamedPipes}). */
    static Pipe named(Scheduler scheduler) {
        return new Pipe(scheduler, 0, 0);
    }

    int readers() {
        return readers;
    }

    int writers() {
        return writers;
    }

    long writerOpens() {
        return writerOpens;
    }

    void addReader() {
        readers++;
        scheduler.wakeAll(this, ReadyWait.CHANNEL);
    }

    void addWriter() {
        writers++;
        writerOpens++;
        scheduler.wakeAll(this, ReadyWait.CHANNEL);
    }

    /** A reading description closed: with the last, a waiting writer gets EPIPE. */
    void dropReader() {
        readers--;
        scheduler.wakeAll(this, ReadyWait.CHANNEL);
    }

    /** A writing description closed: with the last, a waiting reader sees end of file. */
    void dropWriter() {
        writers--;
        scheduler.wakeAll(this, ReadyWait.CHANNEL);
    }

    /** A read by {@code caller} (whose O_NONBLOCK decides between waiting and EAGAIN). */
    int read(byte[] buffer, OpenFile caller) {
        int n = peek(buffer, caller);
        if (n > 0) {
            data = Arrays.copyOfRange(data, n, data.length);
            scheduler.wakeAll(this, ReadyWait.CHANNEL); // a writer waiting for room
        }
        return n;
    }

    /** MSG_PEEK: what a read by {@code caller} would get, left in the pipe. */
    int peek(byte[] buffer, OpenFile caller) {
        if (data.length == 0) {
            if (writers > 0 && buffer.length > 0) {
                throw Blocked.unlessNonBlocking(caller, this);
            }
            return 0;
        }
        int n = Math.min(buffer.length, data.length);
        System.arraycopy(data, 0, buffer, 0, n);
        return n;
    }

    /** The bytes in it (FIONREAD). */
    int buffered() {
        return data.length;
    }

    /** A write by {@code caller}: as much as there is room for; EPIPE once no one reads. */
    int write(byte[] bytes, OpenFile caller) {
        if (readers == 0) {
            throw new SyscallException(Errno.EPIPE); // and SIGPIPE, which the write system calls send
        }
        int n = Math.min(bytes.length, room());
        if (n == 0 && bytes.length > 0) {
            throw Blocked.unlessNonBlocking(caller, this);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream(data.length + n);
        joined.writeBytes(data);
        joined.write(bytes, 0, n);
        data = joined.toByteArray();
        scheduler.wakeAll(this, ReadyWait.CHANNEL); // a reader waiting for data
        return n;
    }

    int capacity() {
        return capacity;
    }

    /** How many bytes a write would take now. */
    int room() {
        return capacity - data.length;
    }

    /**
     * F_SETPIPE_SZ: the capacity becomes {@code size} rounded up to a power of two of at least a page; EBUSY when the
     * pipe holds more than that, EPERM past pipe-max-size.
     */
    int resize(long size) {
        if (size < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (size > MAX_CAPACITY) {
            throw new SyscallException(Errno.EPERM);
        }
        int rounded = Math.max(4096, Integer.highestOneBit((int) Math.max(1, size - 1)) << 1);
        if (data.length > rounded) {
            throw new SyscallException(Errno.EBUSY);
        }
        capacity = rounded;
        scheduler.wakeAll(this, ReadyWait.CHANNEL); // a writer waiting for room, if there is more now
        return rounded;
    }

    /** Whether a read would not wait: data, or no writer left. */
    boolean readReady() {
        return data.length > 0 || writers == 0;
    }

    @Override
    public String toString() {
        return "pipe:[" + ino + "]";
    }

    final OpenFile readEnd = new OpenFile(OpenFile.O_RDONLY) {
        @Override
        int read(byte[] buffer) {
            return Pipe.this.read(buffer, this);
        }

        @Override
        int available() {
            return data.length;
        }

        @Override
        boolean readReady() {
            return Pipe.this.readReady();
        }

        @Override
        boolean hasInput() {
            return data.length > 0;
        }

        @Override
        boolean hungUp() {
            return writers == 0;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        void release() {
            dropReader();
        }

        @Override
        Pipe pipe() {
            return Pipe.this;
        }
    };

    final OpenFile writeEnd = new OpenFile(OpenFile.O_WRONLY) {
        @Override
        int write(byte[] bytes) {
            return Pipe.this.write(bytes, this);
        }

        @Override
        int available() {
            return data.length;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        boolean hungUp() {
            return readers == 0;
        }

        @Override
        void release() {
            dropWriter();
        }

        @Override
        Pipe pipe() {
            return Pipe.this;
        }
    };

    byte[] fifoStat() {
        return Stat.synthetic(Stat.S_IFIFO | 0600, 0, ino, Credentials.UID, Credentials.GID);
    }
}
