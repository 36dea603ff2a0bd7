package dev.hdbg.host.client;

import dev.hdbg.common.wire.Framing;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The host's pipeline: silence detection, TLS when asked for, the framing shared with the agent, then the handlers of
 * {@link ClientHandler}, one per concern.
 */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ClientHandler handler;
    private final Duration pingEvery;
    private final Optional<SslContext> tls;
    private final String host;
    private final int port;

    ClientChannelInitializer(ClientHandler handler, Duration pingEvery, Optional<SslContext> tls, String host, int port) {
        this.handler = handler;
        this.pingEvery = pingEvery;
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // Reader idle: nothing came from the agent for a while, so the handler pings, and gives up after a few.
        pipeline.addLast("idle", new IdleStateHandler(pingEvery.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        tls.ifPresent(context -> pipeline.addLast("tls", context.newHandler(channel.alloc(), host, port)));
        Framing.addTo(pipeline);
        addHandlers(pipeline, handler);
    }

    /** The host's handlers after the framing, in the order a message passes them; tests put them on an EmbeddedChannel. */
    static void addHandlers(ChannelPipeline pipeline, ClientHandler handler) {
        if (pipeline.get(Framing.PROTOBUF_DECODER) != null) {
            // Record batches read without the generated classes (docs/benchmarks.md, "Records, wave 4").
            pipeline.addBefore(Framing.PROTOBUF_DECODER, "recordBatches", new RecordBatchDecoder());
        }
        pipeline.addLast("pings", handler.pings());       // anything read is a sign of life; pings while idle
        pipeline.addLast("replies", handler.replies());   // replies to calls, by request id
        pipeline.addLast("records", handler.records());   // record batches, to the listener thread
        pipeline.addLast("failures", handler.failures()); // an error that answers no call; every exception
    }
}
