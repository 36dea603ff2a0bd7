package dev.hdbg.host.gdb;

import dev.hdbg.host.client.ReadyWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * gdb's socket, non-blocking, on a session thread that drives the client's I/O itself ({@code hdbg --gdb}): it waits
 * for gdb's bytes in the same selector as for the agent's ({@link ReadyWatch}), so a {@code stepi}'s packets, the
 * step's reply and its record are all taken on that one thread, with no reader thread, record thread or event loop
 * thread to wake (issue 14). Used only on that thread.
 */
final class DrivenSocket implements AutoCloseable {
    /** A wait with no deadline of its own: the client's driving has its own (pings, the connection's end). */
    private static final long FOREVER = TimeUnit.DAYS.toNanos(365);

    private final SocketChannel channel;
    private final ReadyWatch watch;
    /** Bytes written while a write waited for gdb to make room: they follow it (a record's console packet). */
    private final ByteArrayOutputStream behind = new ByteArrayOutputStream();
    private boolean writing;

    private DrivenSocket(SocketChannel channel, ReadyWatch watch) {
        this.channel = channel;
        this.watch = watch;
    }

    /** gdb's socket watched in the current thread's loop; empty when the thread drives none (the prompt's {@code .gdb}). */
    static Optional<DrivenSocket> on(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        Optional<ReadyWatch> watch = ReadyWatch.on(channel);
        if (watch.isEmpty()) {
            channel.configureBlocking(true);
            return Optional.empty();
        }
        return Optional.of(new DrivenSocket(channel, watch.get()));
    }

    /** Drives the client's loop until gdb sent something or {@code done}; true when something is there to read. */
    boolean awaitInput(BooleanSupplier done) {
        return watch.await(SelectionKey.OP_READ, done, System.nanoTime() + FOREVER);
    }

    InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (true) {
                    int n = channel.read(ByteBuffer.wrap(into, offset, length));
                    if (n != 0) {
                        return n;
                    }
                    awaitInput(() -> !channel.isOpen());
                    if (!channel.isOpen()) {
                        throw new IOException("the connection is closed");
                    }
                }
            }
        };
    }

    OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (writing) {
                    behind.write(bytes, offset, length); // a record delivered while a write waits: after it, whole
                    return;
                }
                writing = true;
                try {
                    writeAll(ByteBuffer.wrap(bytes, offset, length));
                    while (behind.size() > 0) {
                        byte[] more = behind.toByteArray();
                        behind.reset();
                        writeAll(ByteBuffer.wrap(more));
                    }
                } finally {
                    writing = false;
                }
            }
        };
    }

    private void writeAll(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                watch.await(SelectionKey.OP_WRITE, () -> !channel.isOpen(), System.nanoTime() + FOREVER);
                if (!channel.isOpen()) {
                    throw new IOException("the connection is closed");
                }
            }
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
