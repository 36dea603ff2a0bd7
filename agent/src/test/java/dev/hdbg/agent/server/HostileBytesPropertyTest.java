package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.StatusRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes no well-behaved host sends, fed to the agent's real pipeline over a real debugger: each
 * connection gets error replies or is closed after one saying why, nothing escapes the handlers,
 * the agent writes only well-formed frames, and one agent serves a new host after every one of them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileBytesPropertyTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static InProcessAgent agent;

    @BeforeAll
    static void start() throws Exception {
        agent = InProcessAgent.start("loop", Limits.DEFAULT);
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
    }

    @Test
    void garbageInAnyChunksGetsErrorRepliesOrAClosedConnectionAndNothingEscapes() throws Exception {
        PropertyCheck.forAll(HostileBytes::garbage).shrinking(HostileBytes.Chunks::simpler).check(200, HostileBytesPropertyTest::sendAndCheck);
        assertAgentServesANewHost();
    }

    @Test
    void mutatedSessionsGetErrorRepliesOrAClosedConnectionAndTheNextHostIsServed() {
        PropertyCheck.forAll(HostileBytes::session).shrinking(HostileBytes.Session::simpler).check(100, session -> {
            sendAndCheck(session.chunks());
            assertAgentServesANewHost();
        });
    }

    @Test
    void aFrameAnnouncedOverTheCapIsRefusedBeforeItsBytesArrive() {
        PropertyCheck.forAll(r -> HostileBytes.HUGE_LENGTHS[r.nextInt(HostileBytes.HUGE_LENGTHS.length)])
                .check(20, length -> {
                    InProcessAgent.Connection connection = agent.connect();
                    try {
                        // Only the prefix and a few bytes: the refusal cannot wait for (or buffer) the rest.
                        connection.host().write(ByteBuffer.allocate(12).putInt(length).putLong(-1).array());
                        agent.awaitQuiet(connection);
                        assertThat(connection.probe().closed()).as("closed after a %s-byte prefix",
                                Integer.toUnsignedString(length)).isTrue();
                        Envelope refusal = WireAssertions.assertWellBehaved(connection).getLast();
                        assertThat(refusal.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
                        assertThat(refusal.getErrorReply().getMessage()).contains("exceeds", String.valueOf(Framing.MAX_FRAME_BYTES));
                    } finally {
                        agent.hangUp(connection);
                    }
                });
    }

    /** Writes {@code chunks} on a new connection and checks what the agent did with them; hangs up. */
    private static void sendAndCheck(HostileBytes.Chunks chunks) throws Exception {
        InProcessAgent.Connection connection = agent.connect();
        try {
            chunks.chunks().forEach(connection.host()::write);
            agent.awaitQuiet(connection);
            WireAssertions.assertWellBehaved(connection);
        } finally {
            agent.hangUp(connection);
        }
    }

    /** A well-behaved host still attaches and gets its status. */
    private static void assertAgentServesANewHost() throws Exception {
        InProcessAgent.Connection connection = agent.connect();
        try {
            connection.host().send(WireHost.hello(1));
            assertThat(connection.host().await(1, REPLY_TIMEOUT).hasHelloReply()).as("reply to Hello").isTrue();
            connection.host().send(Envelope.newBuilder().setRequestId(2).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            assertThat(connection.host().await(2, REPLY_TIMEOUT).hasStatusReply()).as("reply to Status").isTrue();
        } finally {
            agent.hangUp(connection);
        }
    }
}
