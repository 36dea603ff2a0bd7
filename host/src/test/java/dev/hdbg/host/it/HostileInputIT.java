package dev.hdbg.host.it;

import static dev.hdbg.host.it.Code.ADD_ITEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.proto.v1.ActionSpec;
import dev.hdbg.proto.v1.ActionType;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.CustomCode;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.EventType;
import dev.hdbg.proto.v1.HelloRequest;
import dev.hdbg.proto.v1.ProtocolVersion;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.StatusRequest;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input gets a clear error, and the agent keeps serving: each test leaves the same agent
 * process behind, and the last assertion of each is that a well-behaved host can still attach.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputIT {
    private static AgentProcess agent;

    @BeforeAll
    static void start() throws Exception {
        agent = AgentProcess.start("--sample", "demo");
    }

    @AfterAll
    static void stop() throws Exception {
        agent.close();
    }

    private static void agentStillServes() throws Exception {
        assertThat(agent.isAlive()).isTrue();
        try (DebuggerClient client = agent.connect()) {
            assertThat(client.status().get(10, TimeUnit.SECONDS).rip()).isNotZero();
        }
    }

    @Test
    void garbageBytesGetAMalformedErrorAndTheConnectionCloses() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            raw.sendBytes(new byte[] {0, 0, 0, 5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            Envelope reply = raw.receive();
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
            assertThat(reply.getErrorReply().getMessage()).contains("malformed frame");
            assertThat(raw.closedByPeer()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void aFrameOverTheSizeLimitIsRefusedWithoutAllocatingIt() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            raw.sendBytes(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            Envelope reply = raw.receive();
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
            assertThat(reply.getErrorReply().getMessage()).contains("exceeds");
            assertThat(raw.closedByPeer()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void requestsBeforeTheHandshakeAreRefused() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            raw.send(Envelope.newBuilder().setRequestId(7).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            Envelope reply = raw.receive();
            assertThat(reply.getRequestId()).isEqualTo(7);
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_HANDSHAKE_REQUIRED);
            assertThat(reply.getErrorReply().getMessage()).contains("Hello");
        }
        agentStillServes();
    }

    @Test
    void aProtocolMajorTheAgentDoesNotSpeakIsRefused() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            raw.send(Envelope.newBuilder().setRequestId(1).setHelloRequest(HelloRequest.newBuilder()
                    .setVersion(ProtocolVersion.newBuilder().setMajor(99))).build());
            Envelope reply = raw.receive();
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_VERSION_MISMATCH);
            assertThat(reply.getErrorReply().getMessage()).contains("speaks protocol 1.", "99.");
            assertThat(raw.closedByPeer()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void missingFieldsAndOutOfRangeValuesGetInvalidArgument() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            assertThat(raw.hello("").hasHelloReply()).isTrue();
            raw.send(Envelope.newBuilder().setRequestId(2).setAddEventRequest(AddEventRequest.getDefaultInstance()).build());
            Envelope noType = raw.receive();
            assertThat(noType.getRequestId()).isEqualTo(2);
            assertThat(noType.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(noType.getErrorReply().getMessage()).contains("event type");

            // A 4 GiB requested buffer (the largest uint32).
            raw.send(Envelope.newBuilder().setRequestId(3).setAddEventRequest(AddEventRequest.newBuilder().setEvent(
                    dev.hdbg.proto.v1.EventSpec.newBuilder().setType(EventType.EVENT_TYPE_EPT_HOOK).setAddress(ADD_ITEM)
                            .addActions(ActionSpec.newBuilder().setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE)
                                    .setCustomCode(CustomCode.newBuilder().setCode(ByteString.copyFrom(new byte[] {(byte) 0x90}))
                                            .setRequestedBufferSize(-1))))).build());
            Envelope huge = raw.receive();
            assertThat(huge.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(huge.getErrorReply().getMessage()).contains("4294967295");

            raw.send(Envelope.newBuilder().setRequestId(4).setReadMemoryRequest(ReadMemoryRequest.newBuilder()
                    .setAddress(0x400000).setLength(-1)).build());
            Envelope read = raw.receive();
            assertThat(read.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(read.getErrorReply().getMessage()).contains("read larger ranges in pages");

            // The connection is still good after refused requests.
            raw.send(Envelope.newBuilder().setRequestId(5).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            assertThat(raw.receive().hasStatusReply()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void aBufferLargerThanTheLimitIsRefusedWithItsSize() throws Exception {
        try (DebuggerClient client = agent.connect()) {
            assertThatThrownBy(() -> client.addEvent(EventSpec.eptHook(ADD_ITEM, List.of(
                    Code.customCode(Code.COUNT_IN_BUFFER, 64 * 1024 * 1024)))).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(AgentError.class, e -> {
                        assertThat(e.kind()).isEqualTo(AgentError.Kind.LIMIT_EXCEEDED);
                        assertThat(e.getMessage()).contains("67108864", "limit");
                    });
            assertThat(client.listEvents().get(10, TimeUnit.SECONDS)).isEmpty();
        }
        agentStillServes();
    }

    @Test
    void customCodeOfHundredMebibytesCannotEvenBeFramed() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            assertThat(raw.hello("").hasHelloReply()).isTrue();
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            new DataOutputStream(header).writeInt(100 * 1024 * 1024);
            raw.sendBytes(header.toByteArray());
            raw.sendBytes(new byte[64 * 1024]);
            Envelope reply = raw.receive();
            assertThat(reply.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
            assertThat(raw.closedByPeer()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void unmappedAddressesGetAnErrorNamingTheAddressAndTheMappedRegions() throws Exception {
        try (DebuggerClient client = agent.connect()) {
            assertThatThrownBy(() -> client.readMemory(0x7fff0000L, 16).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(AgentError.class, e -> {
                        assertThat(e.kind()).isEqualTo(AgentError.Kind.UNMAPPED_ADDRESS);
                        assertThat(e.getMessage()).contains("0x7fff0000 is not mapped", "0x400000-");
                    });
            assertThatThrownBy(() -> client.writeMemory(0x10, new byte[] {1}).get(10, TimeUnit.SECONDS))
                    .cause().hasMessageContaining("0x10 is not mapped");
        }
        agentStillServes();
    }

    @Test
    void aSecondHostIsRefusedWhileOneIsAttached() throws Exception {
        try (DebuggerClient first = agent.connect()) {
            assertThatThrownBy(agent::connect).isInstanceOfSatisfying(AgentError.class, e -> {
                assertThat(e.kind()).isEqualTo(AgentError.Kind.BUSY);
                assertThat(e.getMessage()).contains("another host is attached", "127.0.0.1");
            });
            assertThat(first.status().get(10, TimeUnit.SECONDS)).isNotNull();
        }
        agentStillServes();
    }

    @Test
    void aBreakWithNoHostAttachedWaitsForTheNextHost() throws Exception {
        // The loop sample: 0x40000000 iterations take seconds, so the first host is long gone
        // when the break at the hlt (0x400013) happens.
        try (AgentProcess loop = AgentProcess.start("--sample", "loop")) {
            DebuggerClient first = loop.connect();
            first.writeRegister("rcx", 0x4000_0000L).get(10, TimeUnit.SECONDS);
            first.addEvent(EventSpec.eptHook(0x400013, List.of(new dev.hdbg.common.event.ActionSpec.Break())))
                    .get(10, TimeUnit.SECONDS);
            first.cont().get(10, TimeUnit.SECONDS);
            first.close();
            try (DebuggerClient next = loop.connect()) {
                Records records = new Records();
                next.addRecordListener(records);
                assertThat(records.awaitBreak().rip()).isEqualTo(0x400013);
                assertThat(next.readRegisters(List.of("rax")).get(10, TimeUnit.SECONDS).get("rax")).isEqualTo(0x4000_0000L);
                next.modifyAllEvents(EventModification.CLEAR).get(10, TimeUnit.SECONDS);
                next.cont().get(10, TimeUnit.SECONDS);
                assertThat(records.awaitExit().rip()).isEqualTo(0x400014);
            }
        }
    }

    @Test
    void messagesTheAgentDoesNotServeGetAnErrorAndTheConnectionGoesOn() throws Exception {
        try (RawConnection raw = new RawConnection(agent.port())) {
            assertThat(raw.hello("").hasHelloReply()).isTrue();
            // An unknown field only (a message type from a later protocol), then a reply sent as if it were a request.
            raw.sendBytes(new byte[] {0, 0, 0, 5, (byte) 0xb8, 0x3e, 0x07, 0x08, 0x02});
            Envelope unknown = raw.receive();
            assertThat(unknown.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
            assertThat(unknown.getErrorReply().getMessage()).contains("not a request this agent serves");
            raw.send(Envelope.newBuilder().setRequestId(7).setStatusReply(dev.hdbg.proto.v1.StatusReply.getDefaultInstance()).build());
            Envelope reply = raw.receive();
            assertThat(reply.getRequestId()).isEqualTo(7);
            assertThat(reply.getErrorReply().getMessage()).contains("STATUS_REPLY");
            raw.send(Envelope.newBuilder().setRequestId(8).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            assertThat(raw.receive().hasStatusReply()).isTrue();
        }
        agentStillServes();
    }

    @Test
    void thousandsOfEventsAreHeldToTheLimitAndTheAgentsMemoryStaysBounded() throws Exception {
        try (AgentProcess own = AgentProcess.start("--sample", "demo");
             RawConnection raw = new RawConnection(own.port())) {
            assertThat(raw.hello("").hasHelloReply()).isTrue();
            long before = own.residentKib();
            int requests = 6000;
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        raw.send(Envelope.newBuilder().setRequestId(10 + i).setAddEventRequest(AddEventRequest.newBuilder()
                                .setEvent(dev.hdbg.proto.v1.EventSpec.newBuilder().setType(EventType.EVENT_TYPE_CPUID)
                                        .addActions(ActionSpec.newBuilder().setType(ActionType.ACTION_TYPE_RUN_CUSTOM_CODE)
                                                .setCustomCode(CustomCode.newBuilder().setCode(ByteString.copyFrom(new byte[1000]))
                                                        .setRequestedBufferSize(1024 * 1024))))).build());
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int added = 0;
            int refused = 0;
            String refusal = "";
            for (int i = 0; i < requests; i++) {
                Envelope r = raw.receive();
                if (r.hasAddEventReply()) {
                    added++;
                } else {
                    refused++;
                    assertThat(r.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_LIMIT_EXCEEDED);
                    refusal = r.getErrorReply().getMessage();
                }
            }
            sender.join();
            // Each event holds a page of code and a MiB of buffer: the 256 MiB of vmx-root memory end it first.
            assertThat(added).isLessThan(4096).isGreaterThan(200);
            assertThat(refused).isEqualTo(requests - added);
            assertThat(refusal).contains("--max-root-bytes");
            assertThat(own.residentKib() - before).as("resident memory growth, KiB").isLessThan(600 * 1024);
            raw.send(Envelope.newBuilder().setRequestId(2).setStatusRequest(StatusRequest.getDefaultInstance()).build());
            assertThat(raw.receive().hasStatusReply()).isTrue();
        }
    }
}
