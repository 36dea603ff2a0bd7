package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

/** The framing both sides share, on an EmbeddedChannel. */
class FramingTest {
    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Framing.addTo(channel.pipeline());
        return channel;
    }

    /** Everything the sender wrote, as one buffer (the prepender writes length and body apart). */
    private static ByteBuf written(EmbeddedChannel sender) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf part;
        while ((part = sender.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        return all;
    }

    @Test
    void anEnvelopeRoundTripsThroughALengthPrefixedFrame() {
        EmbeddedChannel sender = channel();
        Envelope sent = Envelope.newBuilder().setRequestId(42).setStatusRequest(StatusRequest.getDefaultInstance()).build();
        sender.writeOutbound(sent);
        ByteBuf frame = written(sender);
        assertThat(frame.readableBytes()).isEqualTo(4 + sent.getSerializedSize());
        assertThat(frame.getInt(frame.readerIndex())).isEqualTo(sent.getSerializedSize());

        EmbeddedChannel receiver = channel();
        receiver.writeInbound(frame);
        Envelope received = receiver.readInbound();
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void aHandFramedEnvelopeIsWhatThePipelineWrites() {
        EmbeddedChannel sender = channel();
        Envelope sent = Envelope.newBuilder().setRequestId(9).setStatusRequest(StatusRequest.getDefaultInstance()).build();
        sender.writeOutbound(sent);
        ByteBuf byPipeline = written(sender);
        ByteBuf byHand = Framing.frame(sent);
        assertThat(byHand).isEqualTo(byPipeline);
        byPipeline.release();

        EmbeddedChannel receiver = channel();
        receiver.writeInbound(byHand);
        assertThat((Envelope) receiver.readInbound()).isEqualTo(sent);
    }

    @Test
    void aFrameSplitAcrossReadsIsReassembled() {
        EmbeddedChannel sender = channel();
        sender.writeOutbound(Envelope.newBuilder().setRequestId(7).build());
        ByteBuf frame = written(sender);
        EmbeddedChannel receiver = channel();
        receiver.writeInbound(frame.readRetainedSlice(3));
        assertThat((Object) receiver.readInbound()).isNull();
        receiver.writeInbound(frame);
        assertThat(((Envelope) receiver.readInbound()).getRequestId()).isEqualTo(7);
    }

    @Test
    void aLengthOverTheCapIsRefusedBeforeAnythingIsAllocated() {
        EmbeddedChannel receiver = channel();
        ByteBuf huge = Unpooled.buffer().writeInt(Framing.MAX_FRAME_BYTES + 1).writeBytes(new byte[16]);
        assertThatThrownBy(() -> receiver.writeInbound(huge)).isInstanceOf(TooLongFrameException.class);
    }
}
