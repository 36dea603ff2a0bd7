package dev.hdbg.host.cli.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.record.DebuggerRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventForwardingTest {
    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final EventForwarding forwarding = new EventForwarding(problems::add);

    private static DebuggerRecord.Log log(long seq, long event, long rdi) {
        return new DebuggerRecord.Log(seq, event, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", rdi)));
    }

    @Test
    void aFileThatCannotBeOpenedSaysWhyNamingThePathOnce() {
        forwarding.create("p", "file", "/proc/x/y");

        assertThatThrownBy(() -> forwarding.open("p"))
                .hasMessage("output p (file /proc/x/y) cannot be opened: no such file or directory");
    }

    @Test
    void anEventMayOnlyNameAnOutputThatExistsAndIsOpen() {
        assertThatThrownBy(() -> forwarding.requireOpen("nosuch")).hasMessageContaining("there is no output named nosuch");
        forwarding.create("f", "file", dir.resolve("f.jsonl").toString());
        assertThatThrownBy(() -> forwarding.requireOpen("f")).hasMessage("output f is not open; open it first: output open f");
        forwarding.open("f");
        forwarding.requireOpen("f");
        forwarding.close("f");
        assertThatThrownBy(() -> forwarding.requireOpen("f")).hasMessageContaining("is not open");
    }

    @Test
    void badDefinitionsAreRefused() {
        assertThatThrownBy(() -> forwarding.create("x", "pipe", "p")).hasMessageContaining("use file PATH or tcp HOST:PORT");
        assertThatThrownBy(() -> forwarding.create("x", "tcp", "nowhere")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> forwarding.create("bad name", "file", "p")).hasMessageContaining("is not an output name");
        forwarding.create("x", "file", "p");
        assertThatThrownBy(() -> forwarding.create("x", "file", "q")).hasMessageContaining("output x exists already");
        assertThatThrownBy(() -> forwarding.open("y")).hasMessageContaining("there is no output named y");
        assertThatThrownBy(() -> forwarding.close("x")).hasMessage("output x is not open");
    }

    @Test
    void recordsOfARoutedEventAreWrittenAsJsonLinesAndOthersAreNot() throws Exception {
        Path file = dir.resolve("events.jsonl");
        forwarding.create("f", "file", file.toString());
        forwarding.open("f");
        forwarding.route(2, "f");

        assertThat(forwarding.forward(log(1, 2, 7))).isTrue();
        assertThat(forwarding.forward(new DebuggerRecord.Buffer(2, 2, 3, 0x1000, new byte[] {1, 0}))).isTrue();
        assertThat(forwarding.forward(log(3, 1, 8))).isFalse();
        forwarding.close("f");

        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"type\":\"log\",\"seq\":1,\"event\":2,\"action\":1,\"core\":0,\"values\":[{\"name\":\"rdi\",\"value\":\"0x7\"}]}",
                "{\"type\":\"buffer\",\"seq\":2,\"event\":2,\"action\":3,\"address\":\"0x1000\",\"data\":\"0100\"}");
        assertThat(problems).isEmpty();
    }

    @Test
    void aScriptsPrintfTextIsForwardedAsItIsAsHyperDbgForwardsIt() throws Exception {
        Path file = dir.resolve("script.txt");
        forwarding.create("f", "file", file.toString());
        forwarding.open("f");
        forwarding.route(2, "f");

        assertThat(forwarding.forward(new DebuggerRecord.ScriptOutput(1, 2, 5, 0, "rdi = 7\n"))).isTrue();
        assertThat(forwarding.forward(new DebuggerRecord.ScriptOutput(2, 3, 6, 0, "other event\n"))).isFalse();
        forwarding.close("f");

        assertThat(Files.readAllLines(file)).containsExactly("rdi = 7");
        assertThat(problems).isEmpty();
    }

    @Test
    void recordsForAClosedOutputAreDroppedAndThatIsSaidOnceUntilItIsOpenedAgain() throws Exception {
        Path file = dir.resolve("events.jsonl");
        forwarding.create("f", "file", file.toString());
        forwarding.open("f");
        forwarding.route(1, "f");
        forwarding.close("f");

        assertThat(forwarding.forward(log(1, 1, 1))).isTrue();
        assertThat(forwarding.forward(log(2, 1, 2))).isTrue();
        assertThat(problems).containsExactly("output f is not open: records of event 1 are dropped (output open f resumes them)");

        forwarding.open("f");
        forwarding.forward(log(3, 1, 3));
        forwarding.close("f");
        forwarding.forward(log(4, 1, 4));
        assertThat(problems).hasSize(2);
        assertThat(Files.readAllLines(file)).hasSize(1).first().asString().contains("\"seq\":3");
    }

    @Test
    void aTcpOutputReceivesTheLinesAndABrokenConnectionIsReportedOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            forwarding.create("t", "tcp", "127.0.0.1:" + server.getLocalPort());
            forwarding.open("t");
            forwarding.route(5, "t");
            try (Socket peer = server.accept()) {
                forwarding.forward(log(1, 5, 0x2a));
                BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("{\"type\":\"log\",\"seq\":1,\"event\":5").contains("\"0x2a\"");
            }
            // The peer is gone: writes fail once the kernel has noticed (a reset), then stay dropped.
            for (int seq = 2; seq < 200 && problems.isEmpty(); seq++) {
                forwarding.forward(log(seq, 5, seq));
                Thread.sleep(5);
            }
            forwarding.forward(log(500, 5, 0));
            assertThat(problems).singleElement().asString().startsWith("output t (tcp 127.0.0.1:" + server.getLocalPort() + ") failed:")
                    .endsWith("records of event 5 are dropped (output open t resumes them)");
        }
    }

    @Test
    void aTcpOutputThatCannotConnectIsAClearError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        forwarding.create("t", "tcp", "127.0.0.1:" + port);
        assertThatThrownBy(() -> forwarding.open("t"))
                .hasMessageStartingWith("output t (tcp 127.0.0.1:" + port + ") cannot be opened: cannot connect to 127.0.0.1:" + port);
    }
}
