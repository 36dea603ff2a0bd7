package dev.hdbg.host.client;

import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.Optional;

/** The host's pipeline: TLS when asked for, the framing shared with the agent, then the reply and record router. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ClientHandler handler;
    private final Optional<SslContext> tls;
    private final String host;
    private final int port;

    ClientChannelInitializer(ClientHandler handler, Optional<SslContext> tls, String host, int port) {
        this.handler = handler;
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        tls.ifPresent(context -> pipeline.addLast("tls", context.newHandler(channel.alloc(), host, port)));
        Framing.addTo(pipeline);
        pipeline.addLast("client", handler);
    }
}
