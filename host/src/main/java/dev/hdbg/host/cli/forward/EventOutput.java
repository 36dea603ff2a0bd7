package dev.hdbg.host.cli.forward;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One named output source of HyperDbg's {@code output} command: a file (appended to), a named pipe (a FIFO, HyperDbg's
 * {@code namedpipe}) or a TCP connection, opened by {@code output open} and closed for good by {@code output close}
 * (HyperDbg cannot open a closed source again). Records are written one JSON object a line. Not thread-safe:
 * {@link EventForwarding} guards it.
 */
final class EventOutput {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** The kinds HyperDbg's {@code output create NAME TYPE TARGET} accepts here. */
    enum Kind {
        FILE, NAMEDPIPE, TCP;

        static Kind parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "file" -> FILE;
                case "namedpipe" -> NAMEDPIPE;
                case "tcp" -> TCP;
                // HyperDbg's module loads a Windows DLL into the debugger; a host has no such plug-in mechanism.
                case "module" -> throw new IllegalArgumentException("output type module (a DLL HyperDbg loads) has no "
                        + "counterpart in hdbg; use file PATH, namedpipe FIFO or tcp HOST:PORT");
                default -> throw new IllegalArgumentException("output type '" + text
                        + "' is not supported; use file PATH, namedpipe FIFO or tcp HOST:PORT");
            };
        }
    }

    enum State { CREATED, OPEN, CLOSED, BROKEN }

    private final String name;
    private final Kind kind;
    private final String target;
    private State state = State.CREATED;
    private Writer writer;
    private Socket socket;
    /** Whether the screen was told that records are dropped, since the last open. */
    private boolean dropReported;

    EventOutput(String name, Kind kind, String target) {
        this.name = name;
        this.kind = kind;
        this.target = target;
        if (kind == Kind.TCP) {
            address(target);
        }
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    String describe() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + target;
    }

    void open() throws IOException {
        if (state == State.OPEN) {
            throw new IllegalArgumentException("output " + name + " is open already");
        }
        if (state == State.CLOSED) {
            // spec: "Once you close an output source ... you CANNOT open it again" (HyperDbg's output page).
            throw new IllegalArgumentException("output " + name + " was closed and cannot be opened again, as in HyperDbg;"
                    + " create another with the same target: output create NEWNAME " + describe());
        }
        switch (kind) {
            case FILE -> writer = Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            case NAMEDPIPE -> writer = fifo(Path.of(target));
            case TCP -> {
                Socket s = new Socket();
                try {
                    InetSocketAddress where = address(target);
                    s.connect(new InetSocketAddress(where.getHostString(), where.getPort()), CONNECT_TIMEOUT_MILLIS);
                } catch (IOException e) {
                    s.close();
                    throw new IOException("cannot connect to " + target + ": " + e.getMessage(), e);
                }
                socket = s;
                writer = new BufferedWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
            }
        }
        state = State.OPEN;
        dropReported = false;
    }

    /**
     * Opens an existing FIFO for writing. It is opened for reading too (O_RDWR), which Linux allows on a FIFO and which
     * does not wait for a reader as a plain open for writing would: the prompt never hangs on {@code output open}, and
     * lines wait in the pipe until a reader comes (a full pipe makes the writer wait, as HyperDbg's named pipe does).
     */
    private static Writer fifo(Path path) throws IOException {
        Object mode;
        try {
            mode = Files.getAttribute(path, "unix:mode");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such FIFO: create it first, e.g. mkfifo " + path, e);
        }
        if (((Integer) mode & 0170000) != 0010000) {
            throw new IOException(path + " is not a FIFO (a named pipe; create one with mkfifo), use file PATH for a file");
        }
        var channel = java.nio.channels.FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new BufferedWriter(new OutputStreamWriter(java.nio.channels.Channels.newOutputStream(channel),
                StandardCharsets.UTF_8));
    }

    /** What {@code output} lists: not opened, opened, closed, or broken (a write failed). */
    String stateName() {
        return switch (state) {
            case CREATED -> "not opened";
            case OPEN -> "opened";
            case CLOSED -> "closed";
            case BROKEN -> "broken";
        };
    }

    /** Closes the file or connection; an output that is not open is an error. */
    void close() throws IOException {
        if (state != State.OPEN && state != State.BROKEN) {
            throw new IllegalArgumentException("output " + name + " is not open");
        }
        state = State.CLOSED;
        release();
    }

    private void release() throws IOException {
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            writer = null;
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    /**
     * Writes one line.
     *
     * @return a message for the screen when the line was dropped and this was not said yet since
     *         the output was last opened; null otherwise
     */
    String write(String line, long eventId) {
        if (state != State.OPEN) {
            return dropOnce(state == State.BROKEN
                    ? "output " + name + " is broken: records of event " + Long.toHexString(eventId)
                            + " are dropped (output open " + name + " resumes them)"
                    : "output " + name + " is closed: records of event " + Long.toHexString(eventId)
                            + " are dropped (a closed output cannot be opened again)");
        }
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
            return null;
        } catch (IOException e) {
            state = State.BROKEN;
            try {
                release();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            return dropOnce("output " + name + " (" + describe() + ") failed: " + e.getMessage()
                    + "; records of event " + Long.toHexString(eventId) + " are dropped (output open " + name + " resumes them)");
        }
    }

    private String dropOnce(String message) {
        if (dropReported) {
            return null;
        }
        dropReported = true;
        return message;
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a tcp output wants HOST:PORT, e.g. 127.0.0.1:5000, not '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a tcp output wants HOST:PORT with a decimal port, not '" + hostPort + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
    }
}
