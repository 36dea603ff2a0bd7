package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A front end speaking to a bridge session over {@code client} on loopback, the session served on its own thread: a
 * test sends packets as gdb would and reads what the session answers, and what it logged.
 */
final class FakeFrontEnd implements AutoCloseable {
    private final ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final Socket socket = new Socket(InetAddress.getLoopbackAddress(), listening.getLocalPort());
    private final Socket bridgeSide = listening.accept();
    private final InputStream in = socket.getInputStream();
    private final GdbWire wire = new GdbWire(in, socket.getOutputStream());
    final StringBuffer log = new StringBuffer();
    final GdbSession session;
    final Thread serving;

    FakeFrontEnd(DebuggerClient client) throws IOException {
        session = new GdbSession(bridgeSide, client, quietMonitor(), line -> log.append(line).append('\n'));
        serving = Thread.ofPlatform().daemon().start(() -> {
            try {
                session.run();
            } catch (InterruptedException | IOException | RuntimeException | Error e) {
                log.append("the session failed: ").append(e).append('\n');
            }
        });
    }

    void send(String payload) throws IOException {
        wire.send(payload);
    }

    /** gdb's Ctrl-C: the interrupt byte, outside any packet. */
    void interrupt() throws IOException {
        wire.interrupt();
    }

    /** The next packet's payload, skipping acknowledgements; acknowledged. */
    String receive() throws IOException {
        String payload = wire.next();
        if (payload == null) {
            throw new IOException("the bridge closed the connection; its log: " + log);
        }
        return payload;
    }

    /** The next packet's payload, or why there is none and what the session logged (for an assertion's message). */
    String receiveOrLog() {
        try {
            return receive();
        } catch (IOException e) {
            try {
                serving.join(5_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return e.getMessage() + "; the session's log: " + log;
        }
    }

    /**
     * What the bridge sends until it closes the connection (acknowledgements and all).
     *
     * @throws IOException when the connection fails instead of closing
     */
    String readToClose() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Waits for the session to end (at most 10 s) and says whether it did. */
    boolean ended() throws InterruptedException {
        serving.join(10_000);
        return !serving.isAlive();
    }

    /** gdb's {@code D}: the session answers and ends. */
    void detach() throws IOException, InterruptedException {
        send("D");
        assertThat(receive()).isEqualTo("OK");
        assertThat(ended()).as("the session ended after D").isTrue();
    }

    @Override
    public void close() throws IOException {
        try (listening; socket; bridgeSide) {
            // closed in reverse order
        }
    }

    static Monitor quietMonitor() {
        return new Monitor() {
            @Override
            public String execute(String commandLine) {
                return "";
            }

            @Override
            public Optional<String> describe(DebuggerRecord record) {
                return Optional.empty();
            }
        };
    }
}
