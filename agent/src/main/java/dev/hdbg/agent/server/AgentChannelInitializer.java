package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The agent's pipeline: silence detection, the shared framing, then the handshake, which hands over to dispatch. */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Debugger debugger;
    private final Optional<String> token;
    private final SessionGate gate = new SessionGate();
    private final Runnable onSessionEnd;
    private final Duration hostTimeout;

    AgentChannelInitializer(Debugger debugger, Optional<String> token, Runnable onSessionEnd, Duration hostTimeout) {
        this.debugger = debugger;
        this.token = token;
        this.onSessionEnd = onSessionEnd;
        this.hostTimeout = hostTimeout;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // Silence is judged by the handshake (no Hello in time) and then by the dispatcher (a pinging host gone quiet).
        channel.pipeline().addLast("idle", new IdleStateHandler(hostTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        Framing.addTo(channel.pipeline());
        channel.pipeline().addLast("handshake", new HandshakeHandler(debugger, token, gate, onSessionEnd));
    }
}
