package dev.hdbg.common.wire;

import dev.hdbg.proto.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufDecoder;

/**
 * The framing both sides speak: a 4-byte big-endian length, then one {@link Envelope}.
 * Every frame is capped, on both sides, so an untrusted length never allocates more than
 * {@link #MAX_FRAME_BYTES}.
 */
public final class Framing {
    /** Large enough for a 1 MiB memory read or custom code plus overhead. */
    public static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    /** The largest Envelope one frame carries: the cap counts the 4-byte length prefix too. */
    public static final int MAX_ENVELOPE_BYTES = MAX_FRAME_BYTES - 4;

    public static final String FRAME_DECODER = "frameDecoder";
    public static final String PROTOBUF_DECODER = "protobufDecoder";
    /** The one outbound handler: an Envelope, or a ByteBuf holding one, framed behind its length. */
    public static final String PROTOBUF_ENCODER = "protobufEncoder";

    private Framing() {
    }

    /** Adds the framing and protobuf handlers at the end of {@code pipeline}. */
    public static void addTo(ChannelPipeline pipeline) {
        pipeline.addLast(FRAME_DECODER, new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4));
        pipeline.addLast(PROTOBUF_DECODER, new ProtobufDecoder(Envelope.getDefaultInstance()));
        pipeline.addLast(PROTOBUF_ENCODER, EnvelopeEncoder.INSTANCE);
    }

    /**
     * One envelope framed as {@link #addTo}'s handlers frame it, for a handler in front of them that must answer
     * before the pipeline is complete (a host speaking clear text to an agent that requires TLS).
     */
    public static ByteBuf frame(Envelope envelope) {
        return EnvelopeEncoder.frame(UnpooledByteBufAllocator.DEFAULT, envelope);
    }
}
