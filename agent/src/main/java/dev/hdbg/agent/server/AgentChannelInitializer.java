package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The agent's pipeline: silence detection; the TLS probe; with TLS the SslHandler and its failure log; the shared
 * framing; then the handshake, which hands over to dispatch. Shared by every connection (one {@link SessionGate} for
 * all); any transport will do, so tests run the same pipeline in-process.
 */
final class AgentChannelInitializer extends ChannelInitializer<Channel> {
    private final Debugger debugger;
    private final Optional<String> token;
    private final Optional<ServerTls> tls;
    private final Optional<SslContext> sslContext;
    private final SessionGate gate = new SessionGate();
    private final Runnable onSessionEnd;
    private final Duration hostTimeout;

    /** @throws IllegalArgumentException when the TLS files cannot be used */
    AgentChannelInitializer(Debugger debugger, Optional<String> token, Optional<ServerTls> tls, Runnable onSessionEnd,
                            Duration hostTimeout) {
        this.debugger = debugger;
        this.token = token;
        this.tls = tls;
        this.sslContext = tls.map(ServerTls::newContext);
        this.onSessionEnd = onSessionEnd;
        this.hostTimeout = hostTimeout;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // Silence is judged by the handshake (no Hello in time) and then by the dispatcher (a pinging host gone quiet).
        pipeline.addLast("idle", new IdleStateHandler(hostTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("tlsProbe", new TlsProbe(sslContext.isPresent()));
        if (sslContext.isPresent()) {
            pipeline.addLast("tls", sslContext.get().newHandler(channel.alloc()));
            pipeline.addLast("tlsFailures", new TlsFailureHandler(tls.flatMap(ServerTls::clientCa)));
        }
        Framing.addTo(pipeline);
        pipeline.addLast("handshake", new HandshakeHandler(debugger, token, gate, onSessionEnd));
    }
}
