package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingReply;
import dev.hdbg.proto.v1.PingRequest;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
    @Test
    void aPingIsAnsweredAtOnceAndGoesNoFurther() {
        EmbeddedChannel channel = new EmbeddedChannel(new KeepAlive(true));
        Envelope status = Envelope.newBuilder().setRequestId(2).setStatusRequest(StatusRequest.getDefaultInstance()).build();

        channel.writeInbound(Envelope.newBuilder().setRequestId(9).setPingRequest(PingRequest.getDefaultInstance()).build(),
                status);

        assertThat((Envelope) channel.readOutbound())
                .isEqualTo(Envelope.newBuilder().setRequestId(9).setPingReply(PingReply.getDefaultInstance()).build());
        assertThat((Envelope) channel.readInbound()).isEqualTo(status);
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void aSilentHostThatPingsWhileIdleIsTakenAsGone() {
        EmbeddedChannel channel = new EmbeddedChannel(new KeepAlive(true));

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHostThatDoesNotPingMayBeSilentForAsLongAsItLikes() {
        List<Object> passed = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new KeepAlive(false), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                passed.add(event);
            }
        });

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

        assertThat(channel.isOpen()).isTrue();
        assertThat(passed).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.finishAndReleaseAll();
    }
}
