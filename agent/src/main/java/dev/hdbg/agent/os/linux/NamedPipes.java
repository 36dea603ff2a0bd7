package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The machine's named pipes (mkfifo): a FIFO file where the program may write is, for the machine's processes, one
 * in-memory {@link Pipe} per file (its device and inode), shared by everyone who opens it. Opening follows Linux:
 * a reader waits for a writer and a writer for a reader (O_NONBLOCK: a reader goes on, a writer fails with ENXIO),
 * O_RDWR waits for no one. A waiting open is made again when it wakes, as every wait here is, so the side that
 * arrives second counts the one that waits as open ("granted") and wakes it; the waiting thread then finds itself
 * counted and opens without counting again. Host processes do not take part: what they write into the file is not
 * what the machine's processes read.
 */
final class NamedPipes {
    private final Scheduler scheduler;
    private final Map<String, Fifo> fifos = new HashMap<>();

    NamedPipes(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** One FIFO file's pipe and the opens waiting for their other side. */
    private static final class Fifo {
        final Pipe pipe;
        final Set<GuestThread> waitingReaders = new HashSet<>();
        final Set<GuestThread> waitingWriters = new HashSet<>();
        final Set<GuestThread> grantedReaders = new HashSet<>();
        final Set<GuestThread> grantedWriters = new HashSet<>();

        Fifo(Pipe pipe) {
            this.pipe = pipe;
        }

        @Override
        public String toString() {
            return "named " + pipe;
        }
    }

    /**
     * An open of the FIFO {@code key} (its host device and inode) with {@code status} (access mode and O_NONBLOCK).
     *
     * @throws Blocked          while the other side has not opened it
     * @throws SyscallException ENXIO for a non-blocking writer with no reader
     */
    OpenFile open(String key, int status) {
        Fifo fifo = fifos.computeIfAbsent(key, k -> new Fifo(Pipe.named(scheduler)));
        GuestThread caller = scheduler.current();
        boolean nonBlocking = (status & OpenFile.O_NONBLOCK) != 0;
        Pipe pipe = fifo.pipe;
        switch (status & OpenFile.O_ACCMODE) {
            case OpenFile.O_RDONLY -> {
                if (!fifo.grantedReaders.remove(caller)) {
                    fifo.waitingReaders.remove(caller);
                    if (pipe.writers() == 0 && live(fifo.waitingWriters) == 0 && !nonBlocking) {
                        fifo.waitingReaders.add(caller);
                        throw new Blocked(fifo);
                    }
                    pipe.addReader();
                    grant(fifo.waitingWriters, fifo.grantedWriters, pipe::addWriter, fifo);
                }
            }
            case OpenFile.O_WRONLY -> {
                if (!fifo.grantedWriters.remove(caller)) {
                    fifo.waitingWriters.remove(caller);
                    if (pipe.readers() == 0 && live(fifo.waitingReaders) == 0) {
                        if (nonBlocking) {
                            throw new SyscallException(Errno.ENXIO);
                        }
                        fifo.waitingWriters.add(caller);
                        throw new Blocked(fifo);
                    }
                    pipe.addWriter();
                    grant(fifo.waitingReaders, fifo.grantedReaders, pipe::addReader, fifo);
                }
            }
            default -> { // O_RDWR: both sides at once, waiting for no one
                pipe.addReader();
                pipe.addWriter();
                grant(fifo.waitingReaders, fifo.grantedReaders, pipe::addReader, fifo);
                grant(fifo.waitingWriters, fifo.grantedWriters, pipe::addWriter, fifo);
            }
        }
        // A non-blocking reader that found no writer sees no hang-up until a writer has come (Linux's fifo_open).
        boolean quiet = (status & OpenFile.O_ACCMODE) == OpenFile.O_RDONLY && nonBlocking && pipe.writers() == 0;
        return new End(pipe, status, quiet ? pipe.writerOpens() : -1);
    }

    /** How many of {@code threads} still live: a waiter that exited is no one's other side. */
    private static int live(Set<GuestThread> threads) {
        threads.removeIf(t -> t.state == GuestThread.State.EXITED);
        return threads.size();
    }

    /** The waiting opens of one side are counted open now ({@code count} each) and woken to find it so. */
    private void grant(Set<GuestThread> waiting, Set<GuestThread> granted, Runnable count, Fifo fifo) {
        if (live(waiting) == 0) {
            return;
        }
        for (GuestThread t : waiting) {
            count.run();
            granted.add(t);
        }
        waiting.clear();
        scheduler.wakeAll(fifo);
    }

    /** One open of a named pipe: reads and writes as its access mode allows, its own O_NONBLOCK. */
    private static final class End extends OpenFile {
        private final Pipe pipe;
        /** The pipe's writer opens when it was opened, while no writer has come since; -1: hang-ups are seen. */
        private final long quietWhileWriterOpens;

        End(Pipe pipe, int status, long quietWhileWriterOpens) {
            super(status);
            this.pipe = pipe;
            this.quietWhileWriterOpens = quietWhileWriterOpens;
        }

        // The read and write system calls take only a descriptor open for them (FdTable.readable, writable).
        @Override
        int read(byte[] buffer) {
            return pipe.read(buffer, this);
        }

        @Override
        int write(byte[] data) {
            return pipe.write(data, this);
        }

        /** Data, or its writers gone once one came: a reader that has seen no writer yet waits, as on Linux. */
        @Override
        boolean readReady() {
            return readable() && (pipe.buffered() > 0 || hungUp());
        }

        @Override
        boolean hasInput() {
            return readable() && pipe.buffered() > 0;
        }

        @Override
        boolean hungUp() {
            if (!readable()) {
                return pipe.readers() == 0;
            }
            return pipe.writers() == 0 && pipe.writerOpens() != quietWhileWriterOpens;
        }

        @Override
        byte[] stat() {
            return pipe.fifoStat();
        }

        @Override
        Pipe pipe() {
            return pipe;
        }

        @Override
        int available() {
            return pipe.buffered();
        }

        @Override
        void release() {
            if (readable()) {
                pipe.dropReader();
            }
            if (writable()) {
                pipe.dropWriter();
            }
        }
    }
}
