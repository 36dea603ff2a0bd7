package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.TargetState;
import dev.hdbg.host.cli.GdbMonitor;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.gdb.GdbBridge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Front ends that send what no gdb would: garbage, bad checksums, oversized packets, packets cut off by a vanishing
 * client. Each gets an error or a closed connection; the bridge serves the next front end, and the agent's target is
 * where it was.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GdbHostileClientIT {
    private static final long SAMPLE_ENTRY = 0x400000;

    @Test
    void hostileFrontEndsGetErrorsAndNeitherTheBridgeNorTheTargetIsLost() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop");
             DebuggerClient client = agent.connect()) {
            List<String> log = new CopyOnWriteArrayList<>();
            try (GdbBridge bridge = GdbBridge.listen("127.0.0.1", 0, false, client, new GdbMonitor(client), log::add)) {
                Thread serving = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        bridge.serveUntilClosed();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                try (Socket hostile = connect(bridge)) {
                    OutputStream out = hostile.getOutputStream();
                    out.write("garbage\r\n$g#00".getBytes(StandardCharsets.ISO_8859_1)); // noise, then a bad checksum
                    assertThat(readUntil(hostile, "-")).endsWith("-");
                    out.write(("$M400000,4000:" + "90".repeat(0x4000) + "#00").getBytes(StandardCharsets.ISO_8859_1));
                    assertThat(readUntil(hostile, "#")).as("an oversized packet is refused").contains("$E01#");
                    out.write("$m400000,".getBytes(StandardCharsets.ISO_8859_1)); // and vanish mid-packet
                }
                try (Socket second = connect(bridge)) {
                    second.getOutputStream().write(frame("?"));
                    assertThat(readUntil(second, "#")).as("the next front end is served").contains("$T05thread:1;");
                    second.getOutputStream().write(frame("m400000,3"));
                    assertThat(readUntil(second, "#")).as("memory unchanged: the oversized M was not applied")
                            .contains("$4885c9#");
                    second.getOutputStream().write(frame("k"));
                }
                bridge.close();
                serving.join(10_000);
            }
            assertThat(log).anyMatch(l -> l.contains("damaged packet")).anyMatch(l -> l.contains("dropped a packet of"));
            var status = client.status().get(10, TimeUnit.SECONDS);
            assertThat(status.state()).isEqualTo(TargetState.PAUSED);
            assertThat(status.rip()).isEqualTo(SAMPLE_ENTRY);
        }
    }

    private static Socket connect(GdbBridge bridge) throws IOException {
        Socket socket = new Socket("127.0.0.1", bridge.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static byte[] frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return String.format("$%s#%02x", payload, sum & 0xff).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads until {@code end} (and, after a '#', the two checksum digits) or the timeout. */
    private static String readUntil(Socket socket, String end) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                read.write(b);
                String text = read.toString(StandardCharsets.ISO_8859_1);
                if (end.equals("#") ? text.matches("(?s).*\\$[^#]*#..") : text.endsWith(end)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // what was read is the answer
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }
}
