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
    private static final AtomicLong NEXT_INO = new AtomicLong(0x10000);

    private final long ino = NEXT_INO.getAndIncrement();
    private byte[] data = new byte[0];
    private boolean readerOpen = true;
    private boolean writerOpen = true;
    private final Scheduler scheduler;

    /** @param scheduler wakes the threads that wait on this pipe when its state changes */
    Pipe(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String toString() {
        return "pipe:[" + ino + "]";
    }

    final OpenFile readEnd = new OpenFile(OpenFile.O_RDONLY) {
        @Override
        int read(byte[] buffer) {
            if (data.length == 0) {
                if (writerOpen && buffer.length > 0) {
                    throw Blocked.unlessNonBlocking(this, Pipe.this);
                }
                return 0;
            }
            int n = Math.min(buffer.length, data.length);
            System.arraycopy(data, 0, buffer, 0, n);
            data = Arrays.copyOfRange(data, n, data.length);
            scheduler.wakeAll(Pipe.this, ReadyWait.CHANNEL); // a writer waiting for room
            return n;
        }

        @Override
        boolean readReady() {
            return data.length > 0 || !writerOpen;
        }

        @Override
        boolean hungUp() {
            return !writerOpen;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        void release() {
            readerOpen = false;
            scheduler.wakeAll(Pipe.this, ReadyWait.CHANNEL); // a waiting writer now gets EPIPE
        }
    };

    final OpenFile writeEnd = new OpenFile(OpenFile.O_WRONLY) {
        @Override
        int write(byte[] bytes) {
            if (!readerOpen) {
                throw new SyscallException(Errno.EPIPE); // and SIGPIPE, which the write system calls send
            }
            int n = Math.min(bytes.length, CAPACITY - data.length);
            if (n == 0 && bytes.length > 0) {
                throw Blocked.unlessNonBlocking(this, Pipe.this);
            }
            ByteArrayOutputStream joined = new ByteArrayOutputStream(data.length + n);
            joined.writeBytes(data);
            joined.write(bytes, 0, n);
            data = joined.toByteArray();
            scheduler.wakeAll(Pipe.this, ReadyWait.CHANNEL); // a reader waiting for data
            return n;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        boolean hungUp() {
            return !readerOpen;
        }

        @Override
        void release() {
            writerOpen = false;
            scheduler.wakeAll(Pipe.this, ReadyWait.CHANNEL); // a waiting reader now sees end of file
        }
    };

    private byte[] fifoStat() {
        return Stat.synthetic(Stat.S_IFIFO | 0600, 0, ino, Credentials.UID, Credentials.GID);
    }
}
