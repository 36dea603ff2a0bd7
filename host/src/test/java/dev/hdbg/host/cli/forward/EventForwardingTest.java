package dev.hdbg.host.cli.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.LockProbe;
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
        assertThatThrownBy(() -> forwarding.create("x", "pipe", "p")).hasMessageContaining("use file PATH, namedpipe FIFO or tcp HOST:PORT");
        assertThatThrownBy(() -> forwarding.create("x", "module", "C:\\module.dll")).hasMessageStartingWith("output type module (a DLL HyperDbg loads) has no counterpart");
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
        forwarding.route(2, List.of("f"));

        assertThat(forwarding.forward(log(1, 2, 7))).isTrue();
        assertThat(forwarding.forward(new DebuggerRecord.Buffer(2, 2, 3, 0x1000, new byte[] {1, 0}))).isTrue();
        assertThat(forwarding.forward(log(3, 1, 8))).isFalse();
        forwarding.close("f");

        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"type\":\"log\",\"seq\":1,\"event\":2,\"action\":1,\"core\":0,\"pid\":0,\"tid\":0,\"values\":[{\"name\":\"rdi\",\"value\":\"0x7\"}]}",
                "{\"type\":\"buffer\",\"seq\":2,\"event\":2,\"action\":3,\"address\":\"0x1000\",\"data\":\"0100\",\"core\":0,\"pid\":0,\"tid\":0}");
        assertThat(problems).isEmpty();
    }

    /**
     * Issue 15: every record took the forwarding's lock to find that it belongs to no output, one of the five locks a
     * record on the host's busiest thread (docs/benchmarks.md, "Records without objects, wave 12"). A record of an
     * event without outputs takes none, with no route at all and beside another event's route.
     */
    @Test
    void aRecordOfAnEventWithoutOutputsIsFoundSoWithoutTheLock() throws Exception {
        boolean[] forwarded = {true, true};
        assertThat(LockProbe.runsWithoutTheMonitorOf(forwarding, () -> forwarded[0] = forwarding.forward(log(1, 1, 7))))
                .isTrue();
        forwarding.create("f", "file", dir.resolve("events.jsonl").toString());
        forwarding.open("f");
        forwarding.route(2, List.of("f"));
        assertThat(LockProbe.runsWithoutTheMonitorOf(forwarding, () -> forwarded[1] = forwarding.forward(log(2, 1, 7))))
                .isTrue();
        assertThat(forwarded).containsExactly(false, false);
        assertThat(forwarding.forward(log(3, 2, 7))).as("the routed event's record still goes to its output").isTrue();
    }

    @Test
    void aScriptsPrintfTextIsForwardedAsItIsAsHyperDbgForwardsIt() throws Exception {
        Path file = dir.resolve("script.txt");
        forwarding.create("f", "file", file.toString());
        forwarding.open("f");
        forwarding.route(2, List.of("f"));

        assertThat(forwarding.forward(new DebuggerRecord.ScriptOutput(1, 2, 5, 0, "rdi = 7\n"))).isTrue();
        assertThat(forwarding.forward(new DebuggerRecord.ScriptOutput(2, 3, 6, 0, "other event\n"))).isFalse();
        forwarding.close("f");

        assertThat(Files.readAllLines(file)).containsExactly("rdi = 7");
        assertThat(problems).isEmpty();
    }

    @Test
    void recordsForAClosedOutputAreDroppedSaidOnceAndItCannotBeOpenedAgain() throws Exception {
        Path file = dir.resolve("events.jsonl");
        forwarding.create("f", "file", file.toString());
        forwarding.open("f");
        forwarding.route(1, List.of("f"));
        forwarding.forward(log(1, 1, 1));
        forwarding.close("f");

        assertThat(forwarding.forward(log(2, 1, 2))).isTrue();
        assertThat(forwarding.forward(log(3, 1, 3))).isTrue();
        assertThat(problems).containsExactly(
                "output f is closed: records of event 1 are dropped (a closed output cannot be opened again)");
        // spec: "Once you close an output source ... you CANNOT open it again" (HyperDbg's output page)
        assertThatThrownBy(() -> forwarding.open("f")).hasMessage("output f was closed and cannot be opened again, as in"
                + " HyperDbg; create another with the same target: output create NEWNAME file " + file);
        assertThat(Files.readAllLines(file)).hasSize(1).first().asString().contains("\"seq\":1");
        assertThat(forwarding.list()).containsExactly("1  file        closed           f  " + file);
    }

    @Test
    void oneEventForwardsToEachOfItsOutputsAndTheListShowsTheirStates() throws Exception {
        Path first = dir.resolve("first.jsonl");
        Path second = dir.resolve("second.jsonl");
        forwarding.create("a", "file", first.toString());
        forwarding.create("b", "file", second.toString());
        forwarding.create("c", "namedpipe", dir.resolve("fifo").toString());
        forwarding.open("a");
        forwarding.open("b");
        forwarding.route(0, List.of("a", "b"));

        assertThat(forwarding.forward(log(1, 0, 7))).isTrue();

        assertThat(Files.readAllLines(first)).singleElement().asString().contains("\"event\":0");
        assertThat(Files.readAllLines(second)).isEqualTo(Files.readAllLines(first));
        assertThat(forwarding.list()).containsExactly("1  file        opened           a  " + first,
                "2  file        opened           b  " + second, "3  namedpipe   not opened       c  " + dir.resolve("fifo"));
        forwarding.close("a");
        forwarding.close("b");
    }

    @Test
    void aNamedPipeIsAFifoThatOpensWithoutWaitingForItsReader() throws Exception {
        Path fifo = dir.resolve("events.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        forwarding.create("p", "namedpipe", fifo.toString());
        forwarding.create("notapipe", "namedpipe", dir.resolve("plain").toString());
        Files.writeString(dir.resolve("plain"), "");

        forwarding.open("p");
        forwarding.route(3, List.of("p"));
        forwarding.forward(log(1, 3, 0x2a));
        try (BufferedReader in = Files.newBufferedReader(fifo)) {
            assertThat(in.readLine()).startsWith("{\"type\":\"log\",\"seq\":1,\"event\":3");
        }
        forwarding.close("p");
        assertThatThrownBy(() -> forwarding.open("notapipe")).hasMessageContaining("is not a FIFO");
    }

    @Test
    void aTcpOutputReceivesTheLinesAndABrokenConnectionIsReportedOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            forwarding.create("t", "tcp", "127.0.0.1:" + server.getLocalPort());
            forwarding.open("t");
            forwarding.route(5, List.of("t"));
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
