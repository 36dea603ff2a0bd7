package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.sun.management.ThreadMXBean;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ReadMemoryReply;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The framing both sides share, on an EmbeddedChannel. */
class FramingTest {
    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Framing.addTo(channel.pipeline());
        return channel;
    }

    /** Everything the sender wrote, as one buffer (a ByteBuf's length and body leave apart). */
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

    @Test
    void anEnvelopeLeavesAsOneBufferHoldingItsLengthAndItsBytes() {
        // Netty's ProtobufEncoder and LengthFieldPrepender wrote two (a writev of two parts for every message).
        EmbeddedChannel sender = channel();
        Envelope sent = Envelope.newBuilder().setRequestId(42).setStatusRequest(StatusRequest.getDefaultInstance()).build();
        sender.writeOutbound(sent);
        assertThat(sender.outboundMessages()).hasSize(1);
        ByteBuf frame = sender.readOutbound();
        assertThat(frame.readableBytes()).isEqualTo(4 + sent.getSerializedSize());
        frame.release();
    }

    @Test
    void theBytesAreThoseOfNettysProtobufEncoderAndLengthPrepender() {
        for (int size : new int[] {0, 1, 127, 128, 16_384, 1 << 20}) {
            Envelope sent = Envelope.newBuilder().setRequestId(size + 1L).setReadMemoryReply(ReadMemoryReply.newBuilder()
                    .setAddress(0x401000).setData(ByteString.copyFrom(new byte[size]))).build();
            EmbeddedChannel before = new EmbeddedChannel(new LengthFieldPrepender(4), new ProtobufEncoder());
            before.writeOutbound(sent);
            EmbeddedChannel now = channel();
            now.writeOutbound(sent);
            ByteBuf expected = written(before);
            ByteBuf actual = written(now);
            assertThat(actual).isEqualTo(expected);
            expected.release();
            actual.release();
        }
    }

    @Test
    void aBufferHoldingAnEnvelopeGetsTheSameLengthInFront() {
        // The agent's record frames are envelopes its writer encoded into a buffer.
        Envelope sent = Envelope.newBuilder().setRequestId(5).setStatusRequest(StatusRequest.getDefaultInstance()).build();
        EmbeddedChannel sender = channel();
        sender.writeOutbound(Unpooled.wrappedBuffer(sent.toByteArray()));
        ByteBuf frame = written(sender);
        assertThat(frame).isEqualTo(Framing.frame(sent));

        EmbeddedChannel receiver = channel();
        receiver.writeInbound(frame);
        assertThat((Envelope) receiver.readInbound()).isEqualTo(sent);
    }

    @Test
    void framingAReplyAllocatesLittleBesideItsBuffer() {
        // A reply as small as r rip's: Netty's two encoders made a byte[], two buffers, a list and a promise combiner
        // for it (and the socket copied the heap buffer into direct memory again). Measured with this EmbeddedChannel
        // (its own queue and promises included): 606 bytes a write with them, 423 with EnvelopeEncoder.
        EmbeddedChannel sender = channel();
        Envelope reply = Envelope.newBuilder().setRequestId(77).setReadMemoryReply(ReadMemoryReply.newBuilder()
                .setAddress(0x401000).setData(ByteString.copyFrom(new byte[8]))).build();
        for (int i = 0; i < 20_000; i++) { // warm: the measured writes allocate what a compiled encoder does
            writeAndDrop(sender, reply);
        }
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 2_000; i++) {
            writeAndDrop(sender, reply);
        }
        long perWrite = (threads.getCurrentThreadAllocatedBytes() - before) / 2_000;
        assertThat(perWrite).isLessThan(ALLOCATION_BOUND);
    }

    private static final long ALLOCATION_BOUND = 515;

    @Test
    void aFrameIsReadByOneInboundHandler() {
        // Netty's LengthFieldBasedFrameDecoder and ProtobufDecoder were two: a slice, a second hop and its output list.
        EmbeddedChannel receiver = channel();
        long inbound = receiver.pipeline().toMap().values().stream()
                .filter(handler -> handler instanceof io.netty.channel.ChannelInboundHandler).count();
        assertThat(inbound).isEqualTo(1);
    }

    @Test
    void aFrameInDirectMemoryIsParsedWithoutACopyOfItsBytes() {
        // ProtobufDecoder copied a frame it could not reach as an array (the socket's buffers are direct) into a
        // byte[] before parsing it: a 1 MiB read's reply allocated its data twice, once for that copy and once for
        // the ByteString the reply keeps. Now only the ByteString.
        int size = 1 << 20;
        Envelope sent = Envelope.newBuilder().setRequestId(3).setReadMemoryReply(ReadMemoryReply.newBuilder()
                .setAddress(0x401000).setData(ByteString.copyFrom(new byte[size]))).build();
        EmbeddedChannel receiver = channel();
        for (int i = 0; i < 3; i++) {
            receiver.writeInbound(directFrame(sent));
            assertThat((Envelope) receiver.readInbound()).isEqualTo(sent);
        }
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuf frame = directFrame(sent);
        long before = threads.getCurrentThreadAllocatedBytes();
        receiver.writeInbound(frame);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat((Envelope) receiver.readInbound()).isEqualTo(sent);
        assertThat(allocated).isBetween((long) size, size + size / 2L);
    }

    private static ByteBuf directFrame(Envelope envelope) {
        ByteBuf frame = Unpooled.directBuffer(4 + envelope.getSerializedSize());
        return frame.writeInt(envelope.getSerializedSize()).writeBytes(envelope.toByteArray());
    }

    @Test
    void aNegativeLengthIsALengthOverTheCap() {
        // Read unsigned, as LengthFieldBasedFrameDecoder read it: the refusal names the cap, as hosts have seen it.
        EmbeddedChannel receiver = channel();
        assertThatThrownBy(() -> receiver.writeInbound(Unpooled.buffer().writeInt(-1).writeLong(0)))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessage("a frame of 4294967299 bytes exceeds the cap of " + Framing.MAX_FRAME_BYTES + " bytes");
    }

    @Test
    void bytesThatAreNoEnvelopeFailTheFrameAndNothingAfterThemIsRead() {
        EmbeddedChannel receiver = channel();
        ByteBuf garbage = Unpooled.buffer().writeInt(3).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        garbage.writeBytes(Framing.frame(Envelope.newBuilder().setRequestId(8).build()));
        assertThatThrownBy(() -> receiver.writeInbound(garbage)).isInstanceOf(CorruptedFrameException.class)
                .hasMessageStartingWith("a frame of 7 bytes is not an Envelope: ");
        // The stream cannot be trusted after it: later bytes, even a good frame, are dropped unread.
        receiver.writeInbound(Framing.frame(Envelope.newBuilder().setRequestId(9).build()));
        assertThat((Object) receiver.readInbound()).isNull();
    }

    @Test
    void aReaderAskedFirstReplacesTheFramesItReadsAndLeavesTheOthersToBeParsed() {
        EmbeddedChannel receiver = new EmbeddedChannel();
        Framing.addTo(receiver.pipeline(), frame -> frame.getByte(frame.readerIndex()) == (1 << 3 | 0)
                ? "read by the reader: " + frame.readableBytes() + " bytes" : null);
        Envelope withId = Envelope.newBuilder().setRequestId(5).build();
        Envelope withoutId = Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()).build();
        receiver.writeInbound(Framing.frame(withId), Framing.frame(withoutId));
        assertThat((Object) receiver.readInbound()).isEqualTo("read by the reader: 2 bytes");
        assertThat((Object) receiver.readInbound()).isEqualTo(withoutId);
    }

    private static void writeAndDrop(EmbeddedChannel sender, Envelope envelope) {
        sender.writeOutbound(envelope);
        ByteBuf part;
        while ((part = sender.readOutbound()) != null) {
            part.release();
        }
    }
}
