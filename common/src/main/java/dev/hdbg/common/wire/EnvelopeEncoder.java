package dev.hdbg.common.wire;

import com.google.protobuf.CodedOutputStream;
import dev.hdbg.proto.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The outbound half of {@link Framing}: an {@link Envelope} becomes one buffer, its 4-byte big-endian length then its
 * bytes, serialized straight into memory from the channel's allocator; a {@link ByteBuf} (an envelope encoded by its
 * writer, as the agent's record frames are) gets the same length in front of it. It replaces Netty's
 * {@code ProtobufEncoder} and {@code LengthFieldPrepender}, which wrote the same bytes as a {@code byte[]}, two heap
 * buffers (copied into direct memory again by the socket), a promise combiner and a {@code writev} of two parts for
 * every message; each of those is code both fresh JVMs interpret and compile for their first thousands of requests
 * (docs/benchmarks.md, "One request's round trip, wave 11").
 */
@ChannelHandler.Sharable
final class EnvelopeEncoder extends ChannelOutboundHandlerAdapter {
    static final EnvelopeEncoder INSTANCE = new EnvelopeEncoder();

    private EnvelopeEncoder() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Envelope envelope) {
            ByteBuf frame;
            try {
                frame = frame(ctx.alloc(), envelope);
            } catch (RuntimeException e) {
                promise.setFailure(new EncoderException(e));
                return;
            }
            ctx.write(frame, promise);
        } else if (msg instanceof ByteBuf body) {
            // As LengthFieldPrepender did: the length in a buffer of its own, then the body unchanged. The body's
            // promise tells the writer; a failed write of the length fails the body's too (one channel, in order).
            ctx.write(ctx.alloc().buffer(4).writeInt(body.readableBytes()));
            ctx.write(body, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** {@code envelope} behind its length, in one buffer of {@code alloc}'s. */
    static ByteBuf frame(ByteBufAllocator alloc, Envelope envelope) {
        int size = envelope.getSerializedSize();
        ByteBuf frame = alloc.ioBuffer(4 + size);
        try {
            frame.writeInt(size);
            ByteBuffer body = frame.nioBuffer(4, size);
            CodedOutputStream out = CodedOutputStream.newInstance(body);
            envelope.writeTo(out);
            out.checkNoSpaceLeft();
            frame.writerIndex(4 + size);
            return frame;
        } catch (IOException | RuntimeException e) {
            frame.release();
            throw new EncoderException(e);
        }
    }
}
