package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.DebuggerException;
import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.DetachRequest;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ListEventsRequest;
import dev.hdbg.proto.v1.PauseReply;
import dev.hdbg.proto.v1.PauseRequest;
import dev.hdbg.proto.v1.ReadMemoryReply;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.RecordsAck;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher around the routing table, on an embedded channel with scripted handlers. */
class RequestDispatcherTest {
    private final CompletableFuture<Envelope.Builder> slowPause = new CompletableFuture<>();
    private EmbeddedChannel channel;

    private EmbeddedChannel dispatching(Map<Envelope.BodyCase, RequestHandler> handlers) {
        channel = new EmbeddedChannel();
        HostSession session = HostSession.observing(channel, Delivery.DEFAULT.newQueue());
        channel.pipeline().addLast(new RequestDispatcher(RequestRoutes.of(handlers), session));
        return channel;
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static Envelope request(long id, Envelope.Builder body) {
        return body.setRequestId(id).build();
    }

    private List<Envelope> written() {
        channel.runPendingTasks();
        List<Envelope> out = new ArrayList<>();
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            out.add((Envelope) o);
        }
        return out;
    }

    @Test
    void aReplyEchoesItsRequestsIdAndEveryFailureIsAnErrorReplyWithIt() {
        dispatching(Map.of(
                Envelope.BodyCase.PAUSE_REQUEST, r -> CompletableFuture.completedFuture(
                        Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance())),
                Envelope.BodyCase.STATUS_REQUEST, r -> CompletableFuture.failedFuture(
                        DebuggerException.badState("the target is running; pause it first")),
                Envelope.BodyCase.LIST_EVENTS_REQUEST, r -> {
                    throw new WireFormatException("name an event id, or all");
                }));

        channel.writeInbound(request(7, Envelope.newBuilder().setPauseRequest(PauseRequest.getDefaultInstance())));
        channel.writeInbound(request(8, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance())));
        channel.writeInbound(request(9, Envelope.newBuilder().setListEventsRequest(ListEventsRequest.getDefaultInstance())));

        assertThat(written()).containsExactly(
                request(7, Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance())),
                request(8, Envelope.newBuilder().setErrorReply(ErrorMapping.reply(ErrorCode.ERROR_CODE_BAD_STATE,
                        "the target is running; pause it first"))),
                request(9, Envelope.newBuilder().setErrorReply(ErrorMapping.reply(ErrorCode.ERROR_CODE_INVALID_ARGUMENT,
                        "name an event id, or all"))));
    }

    @Test
    void aReplyTooLargeForAFrameBecomesALimitErrorInstead() {
        dispatching(Map.of(Envelope.BodyCase.READ_MEMORY_REQUEST, r -> CompletableFuture.completedFuture(
                Envelope.newBuilder().setReadMemoryReply(ReadMemoryReply.newBuilder()
                        .setData(ByteString.copyFrom(new byte[Framing.MAX_ENVELOPE_BYTES]))))));

        channel.writeInbound(request(3, Envelope.newBuilder().setReadMemoryRequest(ReadMemoryRequest.getDefaultInstance())));

        assertThat(written()).singleElement().satisfies(reply -> {
            assertThat(reply.getRequestId()).isEqualTo(3);
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
            assertThat(reply.getErrorReply().getMessage()).endsWith("over the frame limit of "
                    + Framing.MAX_ENVELOPE_BYTES + ": ask for less at a time");
        });
    }

    @Test
    void aDetachIsAnsweredAfterEveryRequestSentBeforeItThenTheConnectionCloses() {
        dispatching(Map.of(Envelope.BodyCase.PAUSE_REQUEST, r -> slowPause));

        channel.writeInbound(request(1, Envelope.newBuilder().setPauseRequest(PauseRequest.getDefaultInstance())));
        channel.writeInbound(request(2, Envelope.newBuilder().setDetachRequest(DetachRequest.getDefaultInstance())));
        assertThat(written()).as("nothing before the pause is answered").isEmpty();
        assertThat(channel.isOpen()).isTrue();

        slowPause.complete(Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance()));

        assertThat(written()).extracting(Envelope::getRequestId, Envelope::getBodyCase).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, Envelope.BodyCase.PAUSE_REPLY),
                org.assertj.core.groups.Tuple.tuple(2L, Envelope.BodyCase.DETACH_REPLY));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anAcknowledgementIsANoticeWithoutReply() {
        dispatching(Map.of());

        channel.writeInbound(Envelope.newBuilder().setRecordsAck(RecordsAck.newBuilder().setThroughSeq(5)).build());

        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }
}
