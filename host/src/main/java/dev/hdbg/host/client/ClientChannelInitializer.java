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
    /** The tag of an Envelope's field 1, {@code request_id} (a varint): field number 1, wire type 0. */
    private static final byte REQUEST_ID_TAG = 1 << 3;

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
        addFraming(pipeline, new RecordBatchDecoder());
        addHandlers(pipeline, handler);
    }

    /**
     * The framing shared with the agent, with record batches read without the generated classes (docs/benchmarks.md,
     * "Records, wave 4"). A reply skips the record reader, which copies a frame from the socket's direct memory into
     * an array before it looks at it: a reply carries its request id, never 0, and protobuf writes field 1 first, so
     * its first byte is that field's tag; a record batch travels with request id 0 and starts with its own field.
     */
    static void addFraming(ChannelPipeline pipeline, Framing.FrameReader records) {
        Framing.addTo(pipeline, frame -> frame.isReadable() && frame.getByte(frame.readerIndex()) == REQUEST_ID_TAG
                ? null : records.read(frame));
    }

    /** The host's handlers after the framing, in the order a message passes them; tests put them on an EmbeddedChannel. */
    static void addHandlers(ChannelPipeline pipeline, ClientHandler handler) {
        pipeline.addLast("pings", handler.pings());       // anything read is a sign of life; pings while idle
        pipeline.addLast("replies", handler.replies());   // replies to calls, by request id
        pipeline.addLast("records", handler.records());   // record batches, to the listener thread
        pipeline.addLast("failures", handler.failures()); // an error that answers no call; every exception
    }
}
