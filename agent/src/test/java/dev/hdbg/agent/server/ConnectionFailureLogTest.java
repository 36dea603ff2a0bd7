package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the agent's operator log says when a connection fails: every refused TLS connection gets a line whichever of
 * the host's alert and its close arrives first, and a host that is killed is a disconnect, not a malformed frame.
 * The agent logs through slf4j-simple, which writes each line to the System.err of the moment.
 */
class ConnectionFailureLogTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void captureTheLog() {
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHostThatClosesDuringTheHandshakeBeforeItsAlertArrivesIsLoggedAsARefusal() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsFailureHandler(Optional.empty()));

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));

        assertThat(logged()).contains("WARN", "TLS with host", "failed: it closed the connection during the handshake",
                "the host does not trust this agent's certificate");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHostWhoseAlertArrivesFirstIsLoggedWithTheAlertAndOnlyOnce() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsFailureHandler(Optional.empty()));
        SSLHandshakeException alert = new SSLHandshakeException("Received fatal alert: certificate_unknown");

        channel.pipeline().fireExceptionCaught(alert);
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));

        assertThat(logged()).contains("certificate_unknown (the host does not trust this agent's certificate");
        assertThat(logged().lines().filter(l -> l.contains("TLS with host"))).hasSize(1);
    }

    @Test
    void aHostCertificateNotForClientAuthenticationIsNamedAsSuchNotAsTheHostDistrustingTheAgent() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsFailureHandler(Optional.of(java.nio.file.Path.of("ca.pem"))));

        channel.pipeline().fireExceptionCaught(new SSLHandshakeException(
                "(certificate_unknown) Extended key usage does not permit use for TLS client authentication"));

        assertThat(logged()).contains("the host's certificate is not for TLS client authentication")
                .doesNotContain("does not trust this agent's certificate");
    }

    @Test
    void aConnectionTheProbeRefusedGetsNoSecondLine() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsFailureHandler(Optional.empty()));
        channel.attr(TlsProbe.REFUSED).set(true);

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));

        assertThat(logged()).doesNotContain("WARN");
    }

    @Test
    void aKilledHostIsADisconnectNotAMalformedFrame() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                Replies.failed(ctx, cause);
            }
        });

        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset"));

        assertThat(logged()).contains("disconnected: connection reset").doesNotContain("malformed");
        assertThat((Object) channel.readOutbound()).as("no error frame to a host that is gone").isNull();
        assertThat(channel.isOpen()).isFalse();
    }
}
