package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.proto.v1.ActionSpec;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.AddBreakpointRequest;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.EventModification;
import dev.hdbg.proto.v1.EventSpec;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.ListBreakpointsRequest;
import dev.hdbg.proto.v1.ListEventsRequest;
import dev.hdbg.proto.v1.LogConfiguration;
import dev.hdbg.proto.v1.LogItem;
import dev.hdbg.proto.v1.ModifyBreakpointRequest;
import dev.hdbg.proto.v1.ModifyEventRequest;
import dev.hdbg.proto.v1.StatusRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a host can make the agent keep is bounded: events and breakpoints alive at once never
 * exceed {@link Limits#maxEvents()}, each one past it is refused with LIMIT_EXCEEDED, and the agent
 * goes on serving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLimitPropertyTest {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    /** One step of a host's session against a model of what is alive. */
    sealed interface Step {
        record AddEvent() implements Step {
        }

        record AddBreakpoint(int offset) implements Step {
        }

        /** Clears event {@code id} (0: all). */
        record ClearEvent(long id) implements Step {
        }

        /** Clears breakpoint {@code id} (0: all). */
        record ClearBreakpoint(long id) implements Step {
        }
    }

    record Script(int maxEvents, List<Step> steps) {
        static Script arbitrary(SplittableRandom r) {
            int max = 1 + r.nextInt(12);
            List<Step> steps = new ArrayList<>();
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) {
                steps.add(switch (r.nextInt(7)) {
                    case 0, 1, 2 -> new Step.AddEvent();
                    case 3, 4 -> new Step.AddBreakpoint(r.nextInt(0x20));
                    case 5 -> new Step.ClearEvent(r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(2 * max));
                    default -> new Step.ClearBreakpoint(r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(2 * max));
                });
            }
            return new Script(max, steps);
        }

        Stream<Script> simpler() {
            return IntStream.range(0, steps.size()).mapToObj(i -> {
                List<Step> rest = new ArrayList<>(steps);
                rest.remove(i);
                return new Script(maxEvents, rest);
            });
        }
    }

    @Test
    void liveEventsAndBreakpointsNeverExceedTheLimitAndEachOnePastItIsRefused() {
        PropertyCheck.forAll(Script::arbitrary).shrinking(Script::simpler).check(25, script -> {
            Limits limits = new Limits(script.maxEvents(), 64, 4096, 4096, 4096, 100_000, Limits.DEFAULT.maxRootBytes());
            try (InProcessAgent agent = InProcessAgent.start("loop", limits)) {
                InProcessAgent.Connection connection = agent.connect();
                Session session = new Session(connection.host());
                session.call(WireHost.hello(1).toBuilder());
                TreeSet<Long> events = new TreeSet<>();
                TreeSet<Long> breakpoints = new TreeSet<>();
                for (Step step : script.steps()) {
                    switch (step) {
                        case Step.AddEvent ignored -> {
                            Envelope reply = session.call(addEvent());
                            if (events.size() < script.maxEvents()) {
                                assertThat(reply.hasAddEventReply()).as("adding event %d of %d: %s", events.size() + 1,
                                        script.maxEvents(), reply).isTrue();
                                events.add(reply.getAddEventReply().getEventId());
                            } else {
                                assertRefusedAsOverTheLimit(reply);
                            }
                        }
                        case Step.AddBreakpoint(int offset) -> {
                            Envelope reply = session.call(Envelope.newBuilder().setAddBreakpointRequest(
                                    AddBreakpointRequest.newBuilder().setAddress(Requests.IMAGE + offset)));
                            if (breakpoints.size() < script.maxEvents()) {
                                assertThat(reply.hasAddBreakpointReply()).as("adding a breakpoint: %s", reply).isTrue();
                                breakpoints.add(reply.getAddBreakpointReply().getBreakpointId());
                            } else {
                                assertRefusedAsOverTheLimit(reply);
                            }
                        }
                        case Step.ClearEvent(long id) -> {
                            Envelope reply = session.call(Envelope.newBuilder().setModifyEventRequest(ModifyEventRequest
                                    .newBuilder().setEventId(id).setAll(id == 0)
                                    .setModification(EventModification.EVENT_MODIFICATION_CLEAR)));
                            clear(events, id, reply.hasModifyEventReply() ? reply.getModifyEventReply().getEventIdsList() : null);
                        }
                        case Step.ClearBreakpoint(long id) -> {
                            Envelope reply = session.call(Envelope.newBuilder().setModifyBreakpointRequest(
                                    ModifyBreakpointRequest.newBuilder().setBreakpointId(id).setAll(id == 0)
                                            .setModification(EventModification.EVENT_MODIFICATION_CLEAR)));
                            clear(breakpoints, id, reply.hasModifyBreakpointReply()
                                    ? reply.getModifyBreakpointReply().getBreakpointIdsList() : null);
                        }
                    }
                    assertThat(session.call(Envelope.newBuilder().setListEventsRequest(ListEventsRequest.getDefaultInstance()))
                            .getListEventsReply().getEventsList()).hasSize(events.size());
                    assertThat(session.call(Envelope.newBuilder().setListBreakpointsRequest(
                            ListBreakpointsRequest.getDefaultInstance())).getListBreakpointsReply().getBreakpointsList())
                            .hasSize(breakpoints.size());
                }
                agent.awaitQuiet(connection);
                WireAssertions.assertWellBehaved(connection);
            }
        });
    }

    @Test
    void thousandsOfEventsStopAtTheDefaultLimitAndTheAgentGoesOnServing() throws Exception {
        int limit = Limits.DEFAULT.maxEvents();
        try (InProcessAgent agent = InProcessAgent.start("loop", Limits.DEFAULT)) {
            InProcessAgent.Connection connection = agent.connect();
            Session session = new Session(connection.host());
            session.call(WireHost.hello(1).toBuilder());
            assertThat(session.addAll(limit + 200, EventLimitPropertyTest::addLoggingEvent)).isEqualTo(limit);
            assertThat(session.call(Envelope.newBuilder().setListEventsRequest(ListEventsRequest.getDefaultInstance()))
                    .getListEventsReply().getEventsCount()).isEqualTo(limit);
            assertThat(session.call(Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()))
                    .hasStatusReply()).isTrue();
            agent.awaitQuiet(connection);
            WireAssertions.assertWellBehaved(connection);
        }
    }

    /**
     * Each custom code and buffer is a region of Unicorn's; past about 4096 of them Unicorn aborts
     * the process. 2100 events with a code and a buffer each did that before the agent counted them.
     */
    @Test
    void thousandsOfCustomCodesStopAtTheRootLimitInsteadOfCrashingTheAgent() throws Exception {
        int fitting = VmxRoot.MAX_ALLOCATIONS / 2; // a code and a buffer each
        try (InProcessAgent agent = InProcessAgent.start("loop", Limits.DEFAULT)) {
            InProcessAgent.Connection connection = agent.connect();
            Session session = new Session(connection.host());
            session.call(WireHost.hello(1).toBuilder());
            assertThat(session.addAll(2100, EventLimitPropertyTest::addEvent)).isEqualTo(fitting);
            Envelope conditional = session.call(Envelope.newBuilder().setAddBreakpointRequest(AddBreakpointRequest.newBuilder()
                    .setAddress(Requests.IMAGE).setCondition(ByteString.copyFrom(new byte[] {(byte) 0x90}))));
            assertRefusedAsOverTheLimit(conditional);
            assertThat(conditional.getErrorReply().getMessage()).contains("conditions, custom codes and buffers");

            // Clearing gives the room back.
            assertThat(session.call(Envelope.newBuilder().setModifyEventRequest(ModifyEventRequest.newBuilder().setAll(true)
                    .setModification(EventModification.EVENT_MODIFICATION_CLEAR))).getModifyEventReply().getEventIdsCount())
                    .isEqualTo(fitting);
            assertThat(session.call(addEvent()).hasAddEventReply()).isTrue();
            assertThat(session.call(Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()))
                    .hasStatusReply()).isTrue();
            agent.awaitQuiet(connection);
            WireAssertions.assertWellBehaved(connection);
        }
    }

    /** A !cpuid event with a custom code action and a buffer: it takes root pages, the costly kind to keep. */
    private static Envelope.Builder addEvent() {
        return Envelope.newBuilder().setAddEventRequest(AddEventRequest.newBuilder().setEvent(EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_CPUID).addActions(ActionSpec.newBuilder()
                        .setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE).setCustomCode(CustomCode.newBuilder()
                                .setCode(ByteString.copyFrom(new byte[] {(byte) 0x90})).setRequestedBufferSize(64)))));
    }

    /** A !cpuid event that logs RAX: no root pages. */
    private static Envelope.Builder addLoggingEvent() {
        return Envelope.newBuilder().setAddEventRequest(AddEventRequest.newBuilder().setEvent(EventSpec.newBuilder()
                .setType(EventType.EVENT_TYPE_CPUID).addActions(ActionSpec.newBuilder()
                        .setType(ActionType.ACTION_TYPE_LOG_THE_STATES).setLog(LogConfiguration.newBuilder()
                                .addItems(LogItem.newBuilder().setRegister("rax"))))));
    }

    private static void assertRefusedAsOverTheLimit(Envelope reply) {
        assertThat(reply.getErrorReply().getCode()).as("refusal %s", reply).isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
        assertThat(reply.getErrorReply().getMessage()).contains("at most");
    }

    /** Applies a clear to the model: all, one that exists, or one that does not (refused). */
    private static void clear(TreeSet<Long> live, long id, List<Long> cleared) {
        if (id == 0) {
            assertThat(cleared).as("ids cleared by clear-all").containsExactlyInAnyOrderElementsOf(live);
            live.clear();
        } else if (live.contains(id)) {
            assertThat(cleared).as("ids cleared").containsExactly(id);
            live.remove(id);
        } else {
            assertThat(cleared).as("clearing %d, which does not exist", id).isNull();
        }
    }

    /** Numbers requests and waits for their replies. */
    private static final class Session {
        private final WireHost host;
        private long nextId = 1;

        Session(WireHost host) {
            this.host = host;
        }

        long send(Envelope.Builder request) {
            long id = nextId++;
            host.send(request.setRequestId(id).build());
            return id;
        }

        Envelope call(Envelope.Builder request) throws Exception {
            return host.await(send(request), REPLY_TIMEOUT);
        }

        /**
         * Sends {@code count} add-event requests at once, as a hostile host would, and checks the
         * replies: the first ones added, every one after refused as over a limit.
         *
         * @return how many were added
         */
        int addAll(int count, Supplier<Envelope.Builder> request) throws Exception {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(send(request.get()));
            }
            int added = 0;
            for (long id : ids) {
                Envelope reply = host.await(id, REPLY_TIMEOUT);
                if (reply.hasAddEventReply()) {
                    assertThat(added).as("events added after one was refused").isEqualTo(ids.indexOf(id));
                    added++;
                } else {
                    assertRefusedAsOverTheLimit(reply);
                }
            }
            return added;
        }
    }
}
