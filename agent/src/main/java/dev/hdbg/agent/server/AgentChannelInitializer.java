package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.Optional;

/** The agent's pipeline: the shared framing, then the handshake, which hands over to dispatch. */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Debugger debugger;
    private final Optional<String> token;
    private final SessionGate gate = new SessionGate();
    private final Runnable onSessionEnd;

    AgentChannelInitializer(Debugger debugger, Optional<String> token, Runnable onSessionEnd) {
        this.debugger = debugger;
        this.token = token;
        this.onSessionEnd = onSessionEnd;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        Framing.addTo(channel.pipeline());
        channel.pipeline().addLast("handshake", new HandshakeHandler(debugger, token, gate, onSessionEnd));
    }
}
