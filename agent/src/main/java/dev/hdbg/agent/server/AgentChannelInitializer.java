package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.Optional;

/**
 * The agent's pipeline: the shared framing, then the handshake, which hands over to dispatch.
 * Shared by every connection (one {@link SessionGate} for all); any transport will do, so tests
 * run the same pipeline in-process.
 */
final class AgentChannelInitializer extends ChannelInitializer<Channel> {
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
    protected void initChannel(Channel channel) {
        Framing.addTo(channel.pipeline());
        channel.pipeline().addLast("handshake", new HandshakeHandler(debugger, token, gate, onSessionEnd));
    }
}
