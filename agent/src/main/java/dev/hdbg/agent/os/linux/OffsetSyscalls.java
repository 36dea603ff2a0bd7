package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.Map;

/**
 * The reads and writes at an offset the caller gives, which leave the descriptor's offset where it was: pread64,
 * pwrite64, preadv and pwritev (the offset's high half, which x86-64 passes apart, is not needed there). Databases and
 * archivers use them; a pipe or a stream has no offset (ESPIPE).
 */
final class OffsetSyscalls {
    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;

    OffsetSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(17, a -> pread(fds.readable(a.i(0)), a.a1(), a.a2(), a.a3()));
        table.put(18, a -> pwrite(fds.writable(a.i(0)), a.a1(), a.a2(), a.a3()));
        table.put(295, a -> vectors(a.a1(), a.i(2), a.a3(), fds.readable(a.i(0)), this::pread));
        table.put(296, a -> vectors(a.a1(), a.i(2), a.a3(), fds.writable(a.i(0)), this::pwrite));
    }

    /** One transfer at an offset: pread or pwrite. */
    private interface Transfer {
        long at(OpenFile file, long buffer, long count, long offset) throws IOException;
    }

    /** preadv and pwritev: each vector in turn from {@code offset} on, until one moves less than its length. */
    private long vectors(long iov, int count, long offset, OpenFile file, Transfer transfer) throws IOException {
        long total = 0;
        for (long[] v : user.iovecs(iov, count)) {
            long moved = transfer.at(file, v[0], v[1], offset + total);
            total += moved;
            if (moved < v[1]) {
                break;
            }
        }
        return total;
    }

    /** pread64: up to a chunk, straight into guest memory. */
    private long pread(OpenFile file, long buffer, long count, long offset) throws IOException {
        int n = (int) Math.min(Long.compareUnsigned(count, FileSyscalls.CHUNK) > 0 ? FileSyscalls.CHUNK : count,
                FileSyscalls.CHUNK);
        user.requireMapped(buffer, n);
        return process.machine().memory().fill(buffer, n, into -> file.pread(into, offset));
    }

    /** pwrite64: a chunk at a time, at {@code offset} onwards, until one is written short (a sealed memfd's end). */
    private long pwrite(OpenFile file, long buffer, long count, long offset) throws IOException {
        long n = FileSyscalls.rwCount(count);
        long total = 0;
        while (total < n) {
            int chunk = (int) Math.min(FileSyscalls.CHUNK, n - total);
            int written = file.pwrite(user.read(buffer + total, chunk), offset + total);
            total += written;
            if (written < chunk) {
                break;
            }
        }
        return total;
    }
}
