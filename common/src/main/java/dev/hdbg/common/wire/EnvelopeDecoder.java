package dev.hdbg.common.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.hdbg.proto.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.List;

/**
 * The inbound half of {@link Framing}: a 4-byte big-endian length, then that many bytes parsed as an {@link Envelope}
 * where they were received. It replaces Netty's {@code LengthFieldBasedFrameDecoder} and {@code ProtobufDecoder},
 * which made a retained slice of every frame, a second pipeline hop with its own output list, and a {@code byte[]}
 * copy of the frame before parsing it (and protobuf then copied each bytes field out of that copy): code both fresh
 * JVMs interpret and compile for their first thousands of messages (docs/benchmarks.md, "Fresh sessions, wave 13").
 *
 * <p>A length over {@link Framing#MAX_ENVELOPE_BYTES} (read unsigned, as Netty read it) is refused as soon as the
 * prefix arrives, before any of its bytes are buffered; bytes that are not an Envelope fail the frame. Either way the
 * stream cannot be trusted any more: everything after it is dropped unread, and the channel's handlers close it.
 */
final class EnvelopeDecoder extends ByteToMessageDecoder {
    private static final int LENGTH_BYTES = 4;

    private final Framing.FrameReader first;
    private boolean broken;

    /** @param first sees every frame before it is parsed; {@code null} when every frame is an Envelope to parse */
    EnvelopeDecoder(Framing.FrameReader first) {
        this.first = first;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < LENGTH_BYTES) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length > Framing.MAX_ENVELOPE_BYTES) {
            refuse(in);
            throw new TooLongFrameException("a frame of " + (length + LENGTH_BYTES) + " bytes exceeds the cap of "
                    + Framing.MAX_FRAME_BYTES + " bytes");
        }
        int size = (int) length;
        if (in.readableBytes() < LENGTH_BYTES + size) {
            return;
        }
        // A view of the frame's bytes, valid for this call only: nothing read from it keeps a reference to them.
        ByteBuf frame = in.slice(start + LENGTH_BYTES, size);
        Object message = first == null ? null : first.read(frame);
        if (message == null) {
            try {
                message = parse(frame);
            } catch (InvalidProtocolBufferException e) {
                refuse(in);
                throw new CorruptedFrameException("a frame of " + (size + LENGTH_BYTES) + " bytes is not an Envelope: "
                        + e.getMessage(), e);
            }
        }
        in.readerIndex(start + LENGTH_BYTES + size);
        out.add(message);
    }

    private void refuse(ByteBuf in) {
        broken = true;
        in.skipBytes(in.readableBytes());
    }

    /**
     * {@code frame}'s readable bytes as an Envelope. From an array, the bytes fields are copied out of it (its buffer
     * is reused once released). From direct memory (the socket's buffers), the frame is copied into an array of its
     * own once and the bytes fields are views of that array: protobuf 4 copies a direct buffer into an array anyway,
     * then copies every bytes field out of it again, so a 1 MiB memory read's reply was allocated twice.
     */
    static Envelope parse(ByteBuf frame) throws InvalidProtocolBufferException {
        CodedInputStream input;
        if (frame.hasArray()) {
            input = CodedInputStream.newInstance(frame.array(), frame.arrayOffset() + frame.readerIndex(),
                    frame.readableBytes());
        } else {
            byte[] own = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), own);
            // Aliasing is honoured only for input protobuf may treat as immutable: this array is the frame's alone,
            // and nothing writes it again.
            input = UnsafeByteOperations.unsafeWrap(own).newCodedInput();
            input.enableAliasing(true);
        }
        Envelope envelope = Envelope.parser().parseFrom(input);
        input.checkLastTagWas(0); // an end-group tag at the top level is no Envelope (as parseFrom(byte[]) checks)
        return envelope;
    }
}
