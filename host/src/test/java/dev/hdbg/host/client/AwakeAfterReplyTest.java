package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.channel.SelectStrategy;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.IntSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The event loop's select strategy, on a clock the test sets: after a reply the loop does not go to the selector (where
 * the caller's next request would have to wake it) until the next task comes or the awake time is over.
 */
class AwakeAfterReplyTest {
    private static final long AWAKE = 100_000;
    private long now = 1_000_000_000L;
    /** How long the next yield takes on the test's clock. */
    private long yieldTakes = 1_000;
    private final AwakeAfterReply awake = new AwakeAfterReply(AWAKE, () -> now, () -> now += yieldTakes);
    private final AtomicInteger selectNows = new AtomicInteger();
    private final IntSupplier selectNow = () -> {
        selectNows.incrementAndGet();
        return 0;
    };

    private int strategy(boolean hasTasks) throws Exception {
        return awake.calculateStrategy(selectNow, hasTasks);
    }

    @Test
    void afterAReplyTheLoopStaysAwakeUntilTheNextRequestComes() throws Exception {
        awake.replied();
        now += 10_000;
        assertThat(strategy(false)).isEqualTo(SelectStrategy.CONTINUE);
        now += 50_000;
        assertThat(strategy(false)).isEqualTo(SelectStrategy.CONTINUE);
        // The next request: taken by a loop that was never asleep, so nothing had to wake it.
        assertThat(strategy(true)).isZero();
        assertThat(selectNows).hasValue(1);
        assertThat(awake.selects()).isZero();
        // Its reply takes the agent longer than the awake time: the loop waits for it in the selector.
        assertThat(strategy(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(awake.selects()).isEqualTo(1);
    }

    @Test
    void theLoopSelectsOnceTheAwakeTimeIsOverWithoutARequest() throws Exception {
        awake.replied();
        now += AWAKE;
        assertThat(strategy(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(strategy(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(awake.selects()).isEqualTo(2);
    }

    @Test
    void aYieldThatGaveTheCoreAwayForASliceSendsTheLoopToTheSelector() throws Exception {
        awake.replied();
        assertThat(strategy(false)).isEqualTo(SelectStrategy.CONTINUE);
        yieldTakes = 60_000; // another process ran: the machine is loaded
        assertThat(strategy(false)).isEqualTo(SelectStrategy.SELECT);
        yieldTakes = 1_000;
        assertThat(strategy(false)).as("awake no more until the next reply").isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void withoutAReplyTheLoopSelectsAsNettysDefaultStrategyDoes() throws Exception {
        assertThat(strategy(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(strategy(true)).isZero();
        assertThat(selectNows).hasValue(1);
    }

    @Test
    void anAwakeTimeOfZeroNeverKeepsTheLoopAwake() throws Exception {
        AwakeAfterReply never = new AwakeAfterReply(0, () -> now, () -> { });
        never.replied();
        assertThat(never.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void aReplyToACallKeepsTheLoopAwakeAndARecordBatchDoesNot() throws Exception {
        ReplyCorrelator replies = new ReplyCorrelator(new ConnectionEnd(), awake);
        EmbeddedChannel channel = new EmbeddedChannel(replies);
        try {
            channel.writeInbound(Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                    .addRecords(RecordCodec.encode(new DebuggerRecord.ActionError(1, 1, 1, "r1")))).build());
            channel.readInbound(); // passed on to the records' handler
            assertThat(strategy(false)).as("no one waits on a record").isEqualTo(SelectStrategy.SELECT);

            CompletableFuture<Envelope> call = replies.call(channel, Envelope.newBuilder()
                    .setStatusRequest(StatusRequest.getDefaultInstance()));
            long id = ((Envelope) channel.readOutbound()).getRequestId();
            channel.writeInbound(Envelope.newBuilder().setRequestId(id).setStatusReply(StatusReply.getDefaultInstance())
                    .build());
            assertThat(call).isDone();
            assertThat(strategy(false)).as("the caller's next request may follow").isEqualTo(SelectStrategy.CONTINUE);
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
