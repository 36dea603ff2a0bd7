package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.Transcript;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code .gdb} at the prompt: a bridge that stopped itself when the agent went is reported as stopped, not listening. */
class GdbCommandTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient();
    private final Transcript transcript = new Transcript();
    private final DebugSession session = new DebugSession(client, "127.0.0.1:7321",
            ScreenWriter.over(transcript.tee(line -> { })), OutputFormat.HUMAN, transcript, null, null);
    private final Verb gdb = new Verb(new GdbCommand(session));

    @AfterEach
    void stopTheBridge() {
        gdb.run("stop");
    }

    @Test
    void aBridgeStoppedByTheAgentsDisconnectIsReportedOnceAndANewOneCanStart() {
        assertThat(gdb.run("127.0.0.1:0")).isZero();
        assertThat(gdb.lines()).last().asString().startsWith("gdb bridge: listening on 127.0.0.1:");

        client.disconnect("the agent closed the connection");
        assertThat(gdb.run("")).isZero();
        assertThat(gdb.lines()).last()
                .isEqualTo("gdb bridge: stopped when the agent disconnected (the agent closed the connection)");

        assertThat(gdb.run("")).isZero();
        assertThat(gdb.lines()).last().isEqualTo("gdb bridge: not running");

        assertThat(gdb.run("127.0.0.1:0")).isZero();
        assertThat(gdb.lines()).last().asString().startsWith("gdb bridge: listening on 127.0.0.1:");
    }
}
