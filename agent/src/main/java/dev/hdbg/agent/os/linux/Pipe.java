package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory pipe. The process has one thread, so nothing can ever fill or drain the pipe while a call waits:
 * where Linux would block, these ends fail with EAGAIN instead of hanging the emulation.
 */
final class Pipe {
    /** Linux's default pipe capacity (16 pages). */
    static final int CAPACITY = 65536;
    private static final AtomicLong NEXT_INO = new AtomicLong(0x10000);

    private final long ino = NEXT_INO.getAndIncrement();
    private byte[] data = new byte[0];
    private boolean readerOpen = true;
    private boolean writerOpen = true;

    final OpenFile readEnd = new OpenFile(OpenFile.O_RDONLY) {
        @Override
        int read(byte[] buffer) {
            if (data.length == 0) {
                if (writerOpen) {
                    throw new SyscallException(Errno.EAGAIN);
                }
                return 0;
            }
            int n = Math.min(buffer.length, data.length);
            System.arraycopy(data, 0, buffer, 0, n);
            data = Arrays.copyOfRange(data, n, data.length);
            return n;
        }

        @Override
        boolean readReady() {
            return data.length > 0 || !writerOpen;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        void release() {
            readerOpen = false;
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
                throw new SyscallException(Errno.EAGAIN);
            }
            ByteArrayOutputStream joined = new ByteArrayOutputStream(data.length + n);
            joined.writeBytes(data);
            joined.write(bytes, 0, n);
            data = joined.toByteArray();
            return n;
        }

        @Override
        byte[] stat() {
            return fifoStat();
        }

        @Override
        void release() {
            writerOpen = false;
        }
    };

    private byte[] fifoStat() {
        return Stat.synthetic(Stat.S_IFIFO | 0600, 0, ino, Credentials.UID, Credentials.GID);
    }
}
