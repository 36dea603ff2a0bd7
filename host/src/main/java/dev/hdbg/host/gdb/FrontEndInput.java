package dev.hdbg.host.gdb;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Where a session reads what its front end sends. While the target is stopped gdb sends a packet and waits for its
 * answer, so the session's own thread reads it where it answers it: a {@code stepi} and the reads of the frame after
 * it cross no thread. Only while the target runs must something else read, for a Ctrl-C may come while the session
 * waits for the stop: a reader thread, asked for one thing at a time, hands it to the session's queue. Every packet
 * handed over by a reader thread cost two thread wake-ups (the reader's, then the session's; about 2 a {@code stepi},
 * {@code /proc/PID/task/TID/status} over gdb's {@code stepi 3000}, issue 14), on a machine where a wake-up costs more
 * than the work it carries.
 *
 * <p>Read through a buffer: {@link PacketReader} takes a byte at a time, and a socket's stream read a byte at a time
 * is a system call a byte (strace of the bridge over gdb's {@code stepi 200}: 40 one-byte reads a {@code stepi}, for
 * its {@code vCont} and {@code m} packets).
 *
 * <p>One thread reads at a time: the session's while {@link #readingInBackground()} is false, the reader's while it is
 * true; the session's queue orders the hand-over between them.
 */
final class FrontEndInput {
    /** Bytes a read may take at once: what gdb sends between two answers is a packet or two, far below this. */
    private static final int BUFFER = 8192;

    private final BufferedInputStream buffered;
    private final PacketReader reader;
    private final Consumer<Inbound> handOver;
    private final Consumer<IOException> failed;
    private final Semaphore asked = new Semaphore(0);
    /** Session thread only: the reader thread was asked and its answer not yet taken. */
    private boolean reading;
    private Thread thread;
    private volatile int handedOver;

    /**
     * @param handOver where the reader thread puts what it read (the session's queue)
     * @param failed   where it says that the front end went away ({@link EOFException} when it closed the connection)
     */
    FrontEndInput(InputStream in, int maxPacket, Consumer<Inbound> handOver, Consumer<IOException> failed) {
        this.buffered = new BufferedInputStream(in, BUFFER);
        this.reader = new PacketReader(buffered, maxPacket);
        this.handOver = handOver;
        this.failed = failed;
    }

    /**
     * On the session's thread, the target stopped: the next thing the front end sends, read here.
     *
     * @throws IllegalStateException when the reader thread is reading (take its answer from the queue first)
     * @throws IOException           as {@link PacketReader#next()}
     */
    Inbound read() throws IOException {
        if (reading) {
            throw new IllegalStateException("the reader thread is reading the front end");
        }
        return reader.next();
    }

    /** Whether bytes the front end sent are read from the socket and not yet taken (a driven session's wait is then not needed). */
    boolean buffered() throws IOException {
        return buffered.available() > 0;
    }

    /** On the session's thread, the target running: the reader thread reads the next thing, unless it already does. */
    void readInBackground() {
        if (reading) {
            return;
        }
        reading = true;
        if (thread == null) {
            thread = Thread.ofPlatform().name("hdbg-gdb-reader").daemon().start(this::readWhenAsked);
        }
        asked.release();
    }

    /** Whether the reader thread reads: the next thing the front end sends comes through the session's queue. */
    boolean readingInBackground() {
        return reading;
    }

    /** On the session's thread: what the reader thread handed over was taken from the queue. */
    void tookHandOver() {
        reading = false;
    }

    /** How many things the reader thread handed over (for tests: none while the target stays stopped). */
    int handedOver() {
        return handedOver;
    }

    /** The session ended: a reader thread waiting to be asked ends (one reading ends as the socket closes). */
    void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void readWhenAsked() {
        try {
            while (true) {
                asked.acquire();
                Inbound next = reader.next();
                handedOver++; // only this thread writes it
                handOver.accept(next);
            }
        } catch (IOException e) {
            failed.accept(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
