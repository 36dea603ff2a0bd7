package dev.hdbg.host.client;

import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The host's pipeline: silence detection, the framing shared with the agent, then the reply and record router. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ClientHandler handler;
    private final Duration pingEvery;

    ClientChannelInitializer(ClientHandler handler, Duration pingEvery) {
        this.handler = handler;
        this.pingEvery = pingEvery;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // Reader idle: nothing came from the agent for a while, so the handler pings, and gives up after a few.
        channel.pipeline().addLast("idle", new IdleStateHandler(pingEvery.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        Framing.addTo(channel.pipeline());
        channel.pipeline().addLast("client", handler);
    }
}
