package dev.hdbg.common.wire;

import dev.hdbg.proto.v1.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;

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

    /** The one inbound handler: a frame's length, then its Envelope parsed from the received bytes. */
    public static final String FRAME_DECODER = "frameDecoder";
    /** The one outbound handler: an Envelope, or a ByteBuf holding one, framed behind its length. */
    public static final String PROTOBUF_ENCODER = "protobufEncoder";

    private Framing() {
    }

    /**
     * Reads some frames its own way before they are parsed as Envelopes (the host's record batches, read straight
     * into records).
     */
    @FunctionalInterface
    public interface FrameReader {
        /**
         * What {@code frame} (one envelope's bytes, its readable bytes) is read as, or {@code null} to have it parsed
         * as an {@link Envelope}. The frame is lent for this call only: it must not be released or kept.
         */
        Object read(ByteBuf frame);
    }

    /** Adds the framing handlers at the end of {@code pipeline}: every frame read becomes an {@link Envelope}. */
    public static void addTo(ChannelPipeline pipeline) {
        addTo(pipeline, null);
    }

    /**
     * Adds the framing handlers at the end of {@code pipeline}; {@code first} (when not {@code null}) sees every
     * frame read before it is parsed, and what it reads is handed on instead of an Envelope.
     */
    public static void addTo(ChannelPipeline pipeline, FrameReader first) {
        pipeline.addLast(FRAME_DECODER, new EnvelopeDecoder(first));
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
