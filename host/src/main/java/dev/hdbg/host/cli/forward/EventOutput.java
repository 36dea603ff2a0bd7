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
 * One named output source of HyperDbg's {@code output} command: a file (appended to) or a TCP
 * connection, opened by {@code output open} and closed by {@code output close}. Records are
 * written one JSON object a line. Not thread-safe: {@link EventForwarding} guards it.
 */
final class EventOutput {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** The kinds HyperDbg's {@code output create NAME TYPE TARGET} accepts here. */
    enum Kind {
        FILE, TCP;

        static Kind parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "file" -> FILE;
                case "tcp" -> TCP;
                default -> throw new IllegalArgumentException("output type '" + text + "' is not supported; use file PATH or tcp HOST:PORT");
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
        switch (kind) {
            case FILE -> writer = Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
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
            return dropOnce("output " + name + " is " + (state == State.BROKEN ? "broken" : "not open")
                    + ": records of event " + eventId + " are dropped (output open " + name + " resumes them)");
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
                    + "; records of event " + eventId + " are dropped (output open " + name + " resumes them)");
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
