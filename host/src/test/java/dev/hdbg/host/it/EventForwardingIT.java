package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code output create/open/close} and the {@code output {NAME}} clause, against a real agent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventForwardingIT {
    @TempDir
    Path dir;

    @Test
    void logsGoToAFileAndBuffersToATcpOutputInsteadOfTheScreen() throws Exception {
        Path file = dir.resolve("logs.jsonl");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo");
             ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> received = CompletableFuture.supplyAsync(() -> {
                try (Socket peer = server.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                    return in.lines().toList();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    output create logs file %s
                    output open logs
                    output create net tcp 127.0.0.1:%d
                    output open net
                    !epthook 400040 log {rdi} output {logs}
                    !epthook 400040 code {48 ff 01 48 89 c8} buffer 8 output {net}
                    g
                    output close net
                    output close logs
                    """.formatted(file, server.getLocalPort()));

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).doesNotContain("[log", "[buffer", "error:").contains("[exit", "output net opened (tcp 127.0.0.1:");
            List<String> logs = Files.readAllLines(file);
            assertThat(logs).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(logs.get(i)).startsWith("{\"type\":\"log\",\"seq\":").endsWith(
                        "\"event\":0,\"action\":1,\"core\":0,\"pid\":1,\"tid\":1,\"values\":[{\"name\":\"rdi\",\"value\":\"0x" + i + "\"}]}");
            }
            List<String> buffers = received.get(10, TimeUnit.SECONDS);
            assertThat(buffers).hasSize(10);
            assertThat(buffers.getLast()).startsWith("{\"type\":\"buffer\"").contains("\"event\":1", "\"data\":\"0a00000000000000\"");
        }
    }

    @Test
    void anEventNeedsAnOutputThatExistsAndIsOpen() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook 400040 log {rdi} output {nosuch}
                    output create later file %s
                    !epthook 400040 log {rdi} output {later}
                    output bogus
                    events
                    """.formatted(dir.resolve("later.jsonl")));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains(
                    "error: there is no output named nosuch; create and open it first: output create nosuch file PATH, output open nosuch",
                    "error: output later is not open; open it first: output open later",
                    "error: output takes create, open or close",
                    "no events");
        }
    }

    @Test
    void recordsForAClosedOutputAreDroppedWithOneMessage() throws Exception {
        Path file = dir.resolve("logs.jsonl");
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    output create logs file %s
                    output open logs
                    !epthook 400040 log {rdi} output {logs}
                    !epthook 400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}
                    g
                    output close logs
                    g
                    """.formatted(file));

            assertThat(run.exitCode()).as(run.out()).isZero();
            // rdi 0..7 were logged before the break at rdi == 7; 8 and 9 are dropped, said once
            assertThat(Files.readAllLines(file)).hasSize(8);
            assertThat(run.lines()).filteredOn(l -> l.startsWith("error:")).containsExactly(
                    "error: output logs is closed: records of event 0 are dropped (a closed output cannot be opened again)");
            assertThat(run.out()).doesNotContain("[log");
        }
    }
}
