package dev.hdbg.host.client;

import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** The host's pipeline: the framing shared with the agent, then the reply and record router. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ClientHandler handler;

    ClientChannelInitializer(ClientHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        Framing.addTo(channel.pipeline());
        channel.pipeline().addLast("client", handler);
    }
}
