package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.StatusRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary requests after a valid Hello, on a fresh agent each time: every request gets exactly
 * one reply with its id — the reply of its kind or a typed error with a message — requests past
 * a limit are refused, and the agent still answers a status request afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RequestPropertyTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** Requests numbered from 2 (the Hello is 1), sent one at a time or all at once, to an agent on a sample. */
    record Exchange(String sample, List<Envelope> requests, boolean pipelined) {
        /** A tight loop; one of each instruction with an event; calls and CPUID. */
        private static final List<String> SAMPLES = List.of("loop", "events", "demo");

        static Exchange arbitrary(SplittableRandom r) {
            int n = 1 + r.nextInt(25);
            List<Envelope> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(Requests.arbitrary(r).setRequestId(2 + i).build());
            }
            return new Exchange(SAMPLES.get(r.nextInt(SAMPLES.size())), requests, r.nextBoolean());
        }

        Stream<Exchange> simpler() {
            Stream<Exchange> oneAtATime = pipelined ? Stream.of(new Exchange(sample, requests, false)) : Stream.empty();
            Stream<Exchange> halves = requests.size() > 1 ? Stream.of(
                    new Exchange(sample, requests.subList(0, requests.size() / 2), pipelined),
                    new Exchange(sample, requests.subList(requests.size() / 2, requests.size()), pipelined)) : Stream.empty();
            Stream<Exchange> fewer = IntStream.range(0, requests.size()).mapToObj(i -> {
                List<Envelope> rest = new ArrayList<>(requests);
                rest.remove(i);
                return new Exchange(sample, rest, pipelined);
            }).filter(e -> !e.requests().isEmpty());
            return Stream.of(oneAtATime, halves, fewer).flatMap(s -> s);
        }

        @Override
        public String toString() {
            return "sample " + sample + (pipelined ? ", all at once: " : ", one at a time: ") + String.join("\n  ", Requests.describeAll(requests));
        }
    }

    @Test
    void everyRequestGetsOneTypedReplyWithItsIdAndStatusStillWorks() {
        PropertyCheck.forAll(Exchange::arbitrary).shrinking(Exchange::simpler).check(40, exchange -> {
            try (InProcessAgent agent = InProcessAgent.start(exchange.sample(), Limits.DEFAULT)) {
                InProcessAgent.Connection connection = agent.connect();
                WireHost host = connection.host();
                host.send(WireHost.hello(1));
                assertThat(host.await(1, REPLY_TIMEOUT).hasHelloReply()).as("reply to Hello").isTrue();
                // A Detach ends the session (answered, then the agent closes): nothing after it is served.
                List<Envelope> served = exchange.requests();
                for (int i = 0; i < served.size(); i++) {
                    if (served.get(i).hasDetachRequest()) {
                        served = served.subList(0, i + 1);
                        break;
                    }
                }
                boolean detached = served.getLast().hasDetachRequest();
                for (Envelope request : served) {
                    host.send(request);
                    if (!exchange.pipelined() && !request.hasRecordsAck()) {
                        host.await(request.getRequestId(), REPLY_TIMEOUT);
                    }
                }
                agent.awaitQuiet(connection);
                // The close follows the Detach reply once it is written: the host may see the reply a moment before.
                for (long deadline = System.nanoTime() + 5_000_000_000L; detached && !connection.probe().closed()
                        && System.nanoTime() < deadline; ) {
                    Thread.sleep(5);
                }
                List<Envelope> replies = WireAssertions.assertWellBehaved(connection);
                assertThat(connection.probe().closed()).as("the agent closed the connection").isEqualTo(detached);
                if (detached) {
                    // What the agent wrote before closing: a local channel's close may drop what its peer had not read
                    // yet, which TCP delivers (AttachModesIT.aDetachIsAnsweredAfterEveryRequestSentBeforeIt).
                    replies = connection.probe().written().stream().filter(e -> !e.hasRecordBatch()).toList();
                }
                for (Envelope request : served) {
                    if (request.hasRecordsAck()) {
                        continue; // a notice: no reply
                    }
                    Optional<String> refusal = Requests.mustBeRefused(request, Limits.DEFAULT);
                    Envelope reply = replies.stream().filter(e -> e.getRequestId() == request.getRequestId())
                            .findFirst().orElseThrow();
                    if (refusal.isPresent()) {
                        assertThat(reply.hasErrorReply()).as("%s must be refused: %s", refusal.get(), reply).isTrue();
                    }
                    if (request.hasDetachRequest()) {
                        assertThat(reply.hasDetachReply()).as("reply to Detach: %s", reply).isTrue();
                    }
                    if (reply.hasReadMemoryReply()) {
                        assertThat(reply.getReadMemoryReply().getData().size())
                                .isEqualTo(request.getReadMemoryRequest().getLength());
                    }
                }
                WireHost statusHost = host;
                if (detached) {
                    statusHost = agent.connect().host(); // the agent let the last host go: the next one is served
                    statusHost.send(WireHost.hello(1));
                    assertThat(statusHost.await(1, REPLY_TIMEOUT).hasHelloReply()).as("reply to the next Hello").isTrue();
                }
                // Past every id the exchange used: shrinking removes requests, so their ids are not contiguous.
                long statusId = exchange.requests().stream().mapToLong(Envelope::getRequestId).max().orElse(1) + 1000;
                statusHost.send(Envelope.newBuilder().setRequestId(statusId).setStatusRequest(StatusRequest.getDefaultInstance()).build());
                assertThat(statusHost.await(statusId, REPLY_TIMEOUT).hasStatusReply()).as("reply to Status afterwards").isTrue();
            }
        });
    }
}
