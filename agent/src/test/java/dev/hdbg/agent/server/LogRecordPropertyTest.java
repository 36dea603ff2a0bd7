package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.PseudoRegisters;
import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.proto.v1.ActionSpec;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.ContinueRequest;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.EventSpec;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.LogConfiguration;
import dev.hdbg.proto.v1.LogItem;
import dev.hdbg.proto.v1.LogMemory;
import dev.hdbg.proto.v1.Record;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every log action the agent accepts makes records it can deliver: however many items a log names
 * (all registers, pseudo-registers, memory that is or is not mapped), its record fits in one frame,
 * or the log is refused when it is added.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogRecordPropertyTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);
    /** The demo sample's first instruction: it runs once, and the guest exits soon after. */
    private static final long ENTRY = Requests.IMAGE;

    /** {@code count} copies of one item, as a log configuration names them. */
    record Log(LogItem item, int count) {
        static Log arbitrary(SplittableRandom r) {
            int count = switch (r.nextInt(4)) {
                case 0 -> 1 + r.nextInt(8);
                case 1 -> 100 + r.nextInt(2000);
                default -> 10_000 + r.nextInt(150_000);
            };
            return new Log(item(r), count);
        }

        private static LogItem item(SplittableRandom r) {
            LogItem.Builder b = LogItem.newBuilder();
            return switch (r.nextInt(4)) {
                case 0 -> b.setAllGprs(true).build();
                case 1 -> b.setRegister(GuestRegister.values()[r.nextInt(GuestRegister.values().length)].wireName()).build();
                case 2 -> b.setPseudoRegister(PseudoRegisters.NAMES.stream().sorted().toList()
                        .get(r.nextInt(PseudoRegisters.NAMES.size()))).build();
                default -> b.setMemory(LogMemory.newBuilder().setBaseRegister(r.nextBoolean() ? "rsp" : "")
                        .setOffset(r.nextBoolean() ? ENTRY : Requests.address(r))
                        .setLength(1 + (r.nextBoolean() ? r.nextInt(16) : r.nextInt(dev.hdbg.common.event.LogItem.Memory.MAX_LENGTH))))
                        .build();
            };
        }

        Stream<Log> simpler() {
            return count > 1 ? Stream.of(count / 2, count - count / 4, count - count / 16, count - 1).distinct()
                    .map(n -> new Log(item, n)) : Stream.empty();
        }

        int values() {
            return item.hasAllGprs() ? 16 * count : count;
        }

        @Override
        public String toString() {
            return count + " x " + item.toString().replace('\n', ' ');
        }
    }

    @Test
    void everyLogTheAgentAcceptsMakesRecordsThatFitInAFrame() {
        PropertyCheck.forAll(Log::arbitrary).shrinking(Log::simpler).check(15, log -> {
            try (InProcessAgent agent = InProcessAgent.start("demo", Limits.DEFAULT)) {
                InProcessAgent.Connection connection = agent.connect();
                WireHost host = connection.host();
                host.send(WireHost.hello(1));
                assertThat(host.await(1, REPLY_TIMEOUT).hasHelloReply()).isTrue();
                LogConfiguration.Builder items = LogConfiguration.newBuilder();
                for (int i = 0; i < log.count(); i++) {
                    items.addItems(log.item());
                }
                host.send(Envelope.newBuilder().setRequestId(2).setAddEventRequest(AddEventRequest.newBuilder().setEvent(
                        EventSpec.newBuilder().setType(EventType.EVENT_TYPE_EPT_HOOK).setAddress(ENTRY).addActions(
                                ActionSpec.newBuilder().setType(ActionType.ACTION_TYPE_LOG_THE_STATES).setLog(items)))).build());
                Envelope added = host.await(2, REPLY_TIMEOUT);
                if (added.hasErrorReply()) {
                    assertThat(added.getErrorReply().getCode()).as("refusal %s", added)
                            .isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
                } else {
                    host.send(Envelope.newBuilder().setRequestId(3).setContinueRequest(ContinueRequest.getDefaultInstance()).build());
                    assertThat(host.await(3, REPLY_TIMEOUT).hasContinueReply()).isTrue();
                    Record record = host.awaitRecord(Record::hasLog, REPLY_TIMEOUT);
                    assertThat(record.getLog().getValuesCount()).isEqualTo(log.values());
                    host.awaitRecord(Record::hasExit, REPLY_TIMEOUT);
                }
                agent.awaitQuiet(connection);
                List<Envelope> replies = WireAssertions.assertWellBehaved(connection);
                assertThat(connection.probe().closed()).isFalse();
                assertThat(replies).isNotEmpty();
            }
        });
    }
}
