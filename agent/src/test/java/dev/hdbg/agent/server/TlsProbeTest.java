package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class TlsProbeTest {
    /** The start of a TLS ClientHello: a handshake record (22), version 3.1, then its length. */
    private static final byte[] CLIENT_HELLO_START = {22, 3, 1, 0, 40, 1, 0, 0, 36, 3, 3};

    private static ByteBuf plainFrame() {
        return Framing.frame(Envelope.newBuilder().setRequestId(1).setStatusRequest(StatusRequest.getDefaultInstance()).build());
    }

    @Test
    void aClearTextHostOfATlsAgentGetsAFrameItCanReadSayingToUseTls() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsProbe(true));
        channel.writeInbound(plainFrame());

        ByteBuf written = channel.readOutbound();
        EmbeddedChannel host = new EmbeddedChannel();
        Framing.addTo(host.pipeline());
        host.writeInbound(written);
        Envelope reply = host.readInbound();
        assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(reply.getErrorReply().getMessage()).contains("requires TLS", "--tls");
        assertThat(channel.isActive()).as("closed after the reply").isFalse();
        assertThat((Object) channel.readInbound()).as("nothing reaches the handshake").isNull();
    }

    @Test
    void aTlsHostOfAClearTextAgentIsClosedOn() {
        EmbeddedChannel channel = new EmbeddedChannel(new TlsProbe(false));
        channel.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aHostSpeakingTheAgentsWayPassesOnUntouchedOnceFiveBytesTellWhich() {
        EmbeddedChannel plain = new EmbeddedChannel(new TlsProbe(false));
        ByteBuf frame = plainFrame();
        int length = frame.readableBytes();
        plain.writeInbound(frame.readRetainedSlice(3));
        assertThat((Object) plain.readInbound()).as("3 bytes do not tell yet").isNull();
        plain.writeInbound(frame);
        ByteBuf passed = Unpooled.buffer();
        for (ByteBuf part; (part = plain.readInbound()) != null; part.release()) {
            passed.writeBytes(part);
        }
        assertThat(passed.readableBytes()).isEqualTo(length);
        assertThat(plain.pipeline().get(TlsProbe.class)).as("removed itself").isNull();

        EmbeddedChannel tls = new EmbeddedChannel(new TlsProbe(true));
        tls.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));
        ByteBuf hello = tls.readInbound();
        assertThat(hello.readableBytes()).isEqualTo(CLIENT_HELLO_START.length);
        assertThat(tls.isActive()).isTrue();
    }
}
