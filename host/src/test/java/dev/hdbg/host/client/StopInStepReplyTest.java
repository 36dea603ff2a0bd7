package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.StepReply;
import dev.hdbg.proto.v1.StepRequest;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step's stop that comes with the step's reply (protocol 1.15) takes its place among the records: the listeners
 * see it once, after the records read before it, it is acknowledged, and the same sequence number arriving again in a
 * batch is not seen twice. A reply without one (an older agent) adds nothing.
 */
class StopInStepReplyTest {
    private final ClientHandler handler = new ClientHandler();
    private final EmbeddedChannel channel = HandlerChannel.of(handler);
    private final List<Long> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        handler.shutdown();
        channel.finishAndReleaseAll();
    }

    @Test
    void aStopInAStepReplyReachesTheListenersOnceInOrderAndIsAcknowledged() throws Exception {
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> seen.add(r.seq()));
        receiveBatch(1, 2);
        // The listener thread writes the batch's acknowledgement into the channel itself (an EmbeddedChannel's loop
        // takes every thread for its own), and an EmbeddedChannel is not thread-safe: written beside the step request,
        // one of the two was lost from its outbound queue ("no step request was sent", once in a fresh-clone CI).
        handler.finishDelivery(5_000);
        CompletableFuture<Envelope> reply = step();
        long id = sentId();

        DebuggerRecord.Break stop = stepBreak(3);
        channel.writeInbound(Envelope.newBuilder().setRequestId(id).setStepReply(StepReply.newBuilder()
                .setBreakRecord(RecordCodec.encode(stop))).build());
        receiveBatch(3); // the same stop again: not seen a second time
        receiveBatch(4);

        assertThat(RecordCodec.decode(reply.get(1, TimeUnit.SECONDS).getStepReply().getBreakRecord())).isEqualTo(stop);
        assertThat(acknowledgements()).as("acknowledged as any record").contains(3L).last().isEqualTo(4L);
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aStepReplyWithoutAStopAddsNoRecord() throws Exception {
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> seen.add(r.seq()));
        CompletableFuture<Envelope> reply = step();
        long id = sentId();
        channel.writeInbound(Envelope.newBuilder().setRequestId(id).setStepReply(StepReply.getDefaultInstance()).build());
        receiveBatch(1);

        assertThat(reply.get(1, TimeUnit.SECONDS).getStepReply().hasBreakRecord()).isFalse();
        assertThat(acknowledgements()).containsExactly(1L);
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void everyStopThatCameWithAStepsReplyIsKnownAsSuchWhenTheListenersAreBehindTheReplies() throws Exception {
        List<Boolean> fromReplies = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch repliesIn = new java.util.concurrent.CountDownLatch(1);
        handler.addRecordListener(r -> {
            try {
                repliesIn.await(10, TimeUnit.SECONDS); // the listener thread behind the replies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fromReplies.add(handler.replies().cameWithStepReply(r.seq()));
        });
        receiveBatch(1); // a stop that did not come with a reply
        List<CompletableFuture<Envelope>> replies = new ArrayList<>();
        for (long seq = 2; seq <= 6; seq++) {
            replies.add(step());
            channel.writeInbound(Envelope.newBuilder().setRequestId(sentId()).setStepReply(StepReply.newBuilder()
                    .setBreakRecord(RecordCodec.encode(stepBreak(seq)))).build());
        }
        for (CompletableFuture<Envelope> reply : replies) {
            reply.get(1, TimeUnit.SECONDS);
        }
        repliesIn.countDown();
        handler.finishDelivery(5_000);

        // Only the last was known before: a listener behind the replies took the others for stops that came alone
        // (and the host's screen asked the agent for its modules again at each of them).
        assertThat(fromReplies).containsExactly(false, true, true, true, true, true);
    }

    private static DebuggerRecord.Break stepBreak(long seq) {
        return new DebuggerRecord.Break(seq, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x400003,
                "stepped (t)");
    }

    private CompletableFuture<Envelope> step() {
        return handler.call(channel, Envelope.newBuilder().setStepRequest(StepRequest.getDefaultInstance()));
    }

    /** The step request's id (acknowledgements written meanwhile are passed over). */
    private long sentId() {
        channel.runPendingTasks();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (((Envelope) out).hasStepRequest()) {
                return ((Envelope) out).getRequestId();
            }
        }
        throw new AssertionError("no step request was sent");
    }

    private void receiveBatch(long... seqs) {
        HandlerChannel.receive(channel, StopInStepReplyTest::stepBreak, seqs);
    }

    private List<Long> acknowledgements() {
        return HandlerChannel.acknowledgements(handler, channel);
    }
}
