package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.ActionSpec;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.EventSpec;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.ListEventsRequest;
import dev.hdbg.proto.v1.ReadMemoryReply;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No reply the agent writes is larger than the frame cap a host accepts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplySizeTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aReplyUpToTheCapIsSentAsItIsAndOneByteMoreBecomesAnError() {
        Envelope largest = replyOfSize(Framing.MAX_ENVELOPE_BYTES);
        assertThat(Replies.fitted(largest)).isSameAs(largest);
        EmbeddedChannel host = new EmbeddedChannel();
        Framing.addTo(host.pipeline());
        host.writeInbound(Unpooled.wrappedBuffer(WireHost.frame(largest)));
        assertThat((Envelope) host.readInbound()).as("what the host's decoder makes of it").isEqualTo(largest);

        Envelope refused = Replies.fitted(replyOfSize(Framing.MAX_ENVELOPE_BYTES + 1));
        assertThat(refused.getRequestId()).isEqualTo(7);
        assertThat(refused.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
        assertThat(refused.getErrorReply().getMessage()).contains(String.valueOf(Framing.MAX_ENVELOPE_BYTES + 1), "ask for less");
    }

    /** A memory read reply to request 7 whose Envelope is exactly {@code size} bytes. */
    private static Envelope replyOfSize(int size) {
        int data = size - 16;
        while (true) {
            Envelope reply = Envelope.newBuilder().setRequestId(7).setReadMemoryReply(ReadMemoryReply.newBuilder()
                    .setAddress(0x400000).setData(ByteString.copyFrom(new byte[data]))).build();
            if (reply.getSerializedSize() == size) {
                return reply;
            }
            data += size - reply.getSerializedSize();
        }
    }

    @Test
    void aListOfEventsLargerThanAFrameIsRefusedWithAnErrorInsteadOfAnOversizedFrame() throws Exception {
        try (InProcessAgent agent = InProcessAgent.start("loop", Limits.DEFAULT)) {
            InProcessAgent.Connection connection = agent.connect();
            WireHost host = connection.host();
            host.send(WireHost.hello(1));
            assertThat(host.await(1, REPLY_TIMEOUT).hasHelloReply()).isTrue();
            // Each event is within every limit and its request fits in a frame; their list does not.
            ByteString code = ByteString.copyFrom(new byte[Limits.DEFAULT.maxCodeBytes()]);
            ActionSpec action = ActionSpec.newBuilder().setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE)
                    .setCustomCode(CustomCode.newBuilder().setCode(code)).build();
            for (long id = 2; id <= 3; id++) {
                host.send(Envelope.newBuilder().setRequestId(id).setAddEventRequest(AddEventRequest.newBuilder()
                        .setEvent(EventSpec.newBuilder().setType(EventType.EVENT_TYPE_CPUID).setCondition(code)
                                .addActions(action).addActions(action))).build());
                assertThat(host.await(id, REPLY_TIMEOUT).hasAddEventReply()).isTrue();
            }
            host.send(Envelope.newBuilder().setRequestId(4).setListEventsRequest(ListEventsRequest.getDefaultInstance()).build());
            Envelope list = host.await(4, REPLY_TIMEOUT);
            assertThat(list.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
            assertThat(list.getErrorReply().getMessage()).contains("frame");

            host.send(Envelope.newBuilder().setRequestId(5).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            assertThat(host.await(5, REPLY_TIMEOUT).hasStatusReply()).isTrue();
            agent.awaitQuiet(connection);
            WireAssertions.assertWellBehaved(connection);
        }
    }
}
