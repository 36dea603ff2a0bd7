package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloRequest;
import dev.hdbg.proto.v1.StepMode;
import dev.hdbg.proto.v1.StepRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step whose request asks for its stop without the registers (protocol 1.16, "step.bare-stop") gets the stop in
 * its reply without them: the same record otherwise, and a reply a fraction of the size. A step that does not ask
 * (an older host) gets them as before. Counted in bytes, not timed (docs/benchmarks.md, "A step's cost, wave 10").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BareStopTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aStepThatAsksForABareStopGetsItsStopWithoutTheRegistersInAReplyAThirdTheSize() throws Exception {
        try (InProcessAgent agent = InProcessAgent.start("loop", Limits.DEFAULT)) {
            WireHost host = agent.connect().host();
            host.send(Envelope.newBuilder().setRequestId(1).setHelloRequest(HelloRequest.newBuilder()
                    .setVersion(Protocol.version()).setClientName("bare-stop-test")
                    .addCapabilities(Protocol.RECORDS_ACK).addCapabilities(Protocol.STEP_BREAK_RECORD)).build());
            assertThat(host.await(1, REPLY_TIMEOUT).getHelloReply().getCapabilitiesList())
                    .contains(Protocol.STEP_BARE_STOP);

            Envelope whole = stepWithStopInReply(host, false);
            Envelope bare = stepWithStopInReply(host, true);
            Envelope wholeAgain = stepWithStopInReply(host, false);

            var wholeStop = whole.getStepReply().getBreakRecord().getBreak();
            var bareStop = bare.getStepReply().getBreakRecord().getBreak();
            assertThat(wholeStop.getRegistersCount()).as("an older host's step: the registers").isEqualTo(26);
            assertThat(wholeAgain.getStepReply().getBreakRecord().getBreak().getRegistersCount()).isEqualTo(26);
            assertThat(bareStop.getRegistersCount()).isZero();
            assertThat(bareStop.getRip()).as("the rest of the stop is there").isNotZero()
                    .isNotEqualTo(wholeStop.getRip());
            assertThat(bareStop.getMessage()).isEqualTo("stepped (t)");
            assertThat(bare.getStepReply().getBreakRecord().getSeq())
                    .isGreaterThan(whole.getStepReply().getBreakRecord().getSeq());
            assertThat(bare.getSerializedSize()).as("bytes of a bare step's reply against a whole one's (%d)",
                    whole.getSerializedSize()).isLessThan(whole.getSerializedSize() / 3);
        }
    }

    private long nextId = 2;
    /** The sequence number of the last stop seen, in a reply or a record. */
    private long lastStop;

    /**
     * A step whose stop comes with its reply: the agent takes a step at once only while its execution thread waits
     * for requests (just after the start it may still be busy, and the step goes through it, its stop as a record).
     */
    private Envelope stepWithStopInReply(WireHost host, boolean bare) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            long id = nextId++;
            host.send(Envelope.newBuilder().setRequestId(id).setStepRequest(StepRequest.newBuilder()
                    .setMode(StepMode.STEP_MODE_INTO).setStopWithoutRegisters(bare)).build());
            Envelope reply = host.await(id, REPLY_TIMEOUT);
            assertThat(reply.hasStepReply()).as("the step was taken: %s", reply).isTrue();
            if (reply.getStepReply().hasBreakRecord()) {
                lastStop = reply.getStepReply().getBreakRecord().getSeq();
                return reply;
            }
            long after = lastStop;
            lastStop = host.awaitRecord(r -> r.hasBreak() && r.getSeq() > after, REPLY_TIMEOUT).getSeq();
        }
        throw new AssertionError("no step's stop came with its reply in 100 steps");
    }
}
