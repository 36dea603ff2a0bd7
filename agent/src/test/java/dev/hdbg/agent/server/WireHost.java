package dev.hdbg.agent.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloRequest;
import dev.hdbg.proto.v1.Record;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The host's end of an in-process connection, speaking bytes: it writes whatever a test gives it,
 * chunk by chunk, and keeps every byte the agent sends, parsing them strictly as the shared
 * framing, so a malformed frame from the agent is an error of the agent.
 */
final class WireHost implements AutoCloseable {
    /** Bytes received and not yet parsed: a partial frame at most, between calls. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Envelope> parsed = new ArrayList<>();
    /** The first reply with each request id. */
    private final Map<Long, Envelope> replies = new HashMap<>();
    /** The first bytes this host wrote, up to a TLS record header's worth. */
    private final ByteArrayOutputStream opening = new ByteArrayOutputStream();
    private Channel channel;

    /** The handler reading the agent's bytes on the client side. */
    ChannelInboundHandlerAdapter reader() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    synchronized (WireHost.this) {
                        received.writeBytes(bytes);
                        WireHost.this.notifyAll();
                    }
                } finally {
                    buf.release();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                synchronized (WireHost.this) {
                    WireHost.this.notifyAll();
                }
            }
        };
    }

    void connected(Channel c) {
        this.channel = c;
    }

    /** Writes one chunk as one write; a connection the agent already closed swallows it. */
    void write(byte[] chunk) {
        synchronized (this) {
            opening.write(chunk, 0, Math.min(chunk.length, Math.max(0, TLS_RECORD_HEADER_BYTES - opening.size())));
        }
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(chunk));
        }
    }

    void send(Envelope envelope) {
        write(frame(envelope));
    }

    static byte[] frame(Envelope envelope) {
        byte[] body = envelope.toByteArray();
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static Envelope hello(long id) {
        return Envelope.newBuilder().setRequestId(id).setHelloRequest(HelloRequest.newBuilder()
                .setVersion(Protocol.version()).setClientName("property-test")).build();
    }

    private static final int TLS_RECORD_HEADER_BYTES = 5;

    /**
     * Whether this host's first bytes read as a TLS record header, which the agent (without
     * {@code --tls}) answers by closing the connection, as {@code TlsProbe} documents: a TLS host
     * could not read a clear-text error frame. A hostile prefix can look like one by chance.
     */
    synchronized boolean openedLikeTls() {
        return opening.size() == TLS_RECORD_HEADER_BYTES
                && SslHandler.isEncrypted(Unpooled.wrappedBuffer(opening.toByteArray()), false);
    }

    boolean closed() {
        return !channel.isActive();
    }

    /**
     * Every frame the agent sent so far.
     *
     * @param complete whether the agent has finished writing, so a partial frame at the end is an error
     * @throws AssertionError when the bytes are not a sequence of frames of the shared framing, each
     *                        an Envelope
     */
    synchronized List<Envelope> frames(boolean complete) {
        parseReceived();
        if (complete && received.size() > 0) {
            throw new AssertionError("the agent's output ends inside a frame (" + received.size()
                    + " bytes left over) after " + parsed);
        }
        return List.copyOf(parsed);
    }

    /** Moves whole frames from the received bytes to the parsed ones. */
    private void parseReceived() {
        ByteBuffer bytes = ByteBuffer.wrap(received.toByteArray());
        int before = bytes.remaining();
        while (bytes.remaining() >= 4) {
            int length = bytes.getInt();
            if (length < 0 || length > Framing.MAX_ENVELOPE_BYTES) {
                throw new AssertionError("the agent wrote a frame length of " + Integer.toUnsignedString(length)
                        + " after " + parsed.size() + " frames: " + parsed);
            }
            if (bytes.remaining() < length) {
                bytes.position(bytes.position() - 4);
                break;
            }
            byte[] body = new byte[length];
            bytes.get(body);
            try {
                Envelope envelope = Envelope.parseFrom(body);
                parsed.add(envelope);
                if (!envelope.hasRecordBatch()) {
                    replies.putIfAbsent(envelope.getRequestId(), envelope);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the agent wrote a frame that is not an Envelope after " + parsed, e);
            }
        }
        if (bytes.remaining() != before) {
            received.reset();
            received.write(bytes.array(), bytes.position(), bytes.remaining());
        }
    }

    /** The reply to request {@code id}, waiting for it; records are skipped. */
    synchronized Envelope await(long id, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            parseReceived();
            Envelope reply = replies.get(id);
            if (reply != null) {
                return reply;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed()) {
                throw new TimeoutException("no reply to request " + Long.toUnsignedString(id) + " within " + timeout
                        + (closed() ? " (the agent closed the connection)" : "") + "; received: " + parsed);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The first record {@code wanted} accepts, waiting for it. */
    synchronized Record awaitRecord(Predicate<Record> wanted, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            parseReceived();
            Optional<Record> record = parsed.stream().filter(Envelope::hasRecordBatch)
                    .flatMap(e -> e.getRecordBatch().getRecordsList().stream()).filter(wanted).findFirst();
            if (record.isPresent()) {
                return record.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed()) {
                throw new TimeoutException("no such record within " + timeout + "; received: " + parsed);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
