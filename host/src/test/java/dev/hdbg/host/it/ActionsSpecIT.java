package dev.hdbg.host.it;

import static dev.hdbg.host.it.Code.ADD_ITEM;
import static dev.hdbg.host.it.Code.code;
import static dev.hdbg.host.it.Code.customCode;
import static dev.hdbg.host.it.Code.log;
import static dev.hdbg.host.it.Code.pseudo;
import static dev.hdbg.host.it.Code.reg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.ActionType;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each sentence of the actions specification, end to end: a real agent process, a real socket on
 * 127.0.0.1, real Unicorn. The target is the demo sample: add_item(i) for i = 0..9, then CPUID, hlt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActionsSpecIT {
    private AgentProcess agent;
    private DebuggerClient client;
    private final Records records = new Records();

    @BeforeEach
    void start() throws Exception {
        agent = AgentProcess.start("--sample", "demo", "--code-budget", "200000");
        client = agent.connect();
        client.addRecordListener(records);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        agent.close();
    }

    private AddedEvent add(EventSpec spec) throws Exception {
        return client.addEvent(spec).get(10, TimeUnit.SECONDS);
    }

    private DebuggerRecord.Exit runToExit() throws Exception {
        client.cont().get(10, TimeUnit.SECONDS);
        return records.awaitExit();
    }

    private static long number(DebuggerRecord.Log log, String name) {
        return log.values().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().number().orElseThrow();
    }

    private static long u64(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void targetStartsPausedAtItsEntry() {
        AgentStatus status = client.statusAtConnect();
        assertThat(status.state()).isEqualTo(TargetState.PAUSED);
        assertThat(status.rip()).isEqualTo(0x400000L);
    }

    @Test
    void actionsRunOneByOneInInsertionOrderAndSeeEarlierGuestRegsChanges() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(
                log(reg("rdi")), customCode(Code.DOUBLE_RDI, 0), log(reg("rdi")))));
        DebuggerRecord.Exit exit = runToExit();

        List<DebuggerRecord.Log> logs = records.of(DebuggerRecord.Log.class);
        assertThat(logs).hasSize(20);
        for (int i = 0; i < 10; i++) {
            DebuggerRecord.Log before = logs.get(2 * i);
            DebuggerRecord.Log after = logs.get(2 * i + 1);
            assertThat(before.actionId()).isEqualTo(event.actionIds().get(0));
            assertThat(after.actionId()).isEqualTo(event.actionIds().get(2));
            assertThat(before.seq()).isLessThan(after.seq());
            assertThat(number(before, "rdi")).isEqualTo(i);
            assertThat(number(after, "rdi")).isEqualTo(2L * i);
        }
        // spec: GUEST_REGS changes apply to the guest when it continues: add_item summed 2*i.
        assertThat(exit.status()).isEqualTo(2 * Code.DEMO_SUM);
    }

    @Test
    void conditionHoldsOnlyWhenItReturnsNonZeroRax() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(log(reg("rdi")))).withCondition(code(Code.RDI_IS_7)));
        runToExit();

        List<DebuggerRecord.Log> logs = records.of(DebuggerRecord.Log.class);
        assertThat(logs).hasSize(1);
        assertThat(number(logs.get(0), "rdi")).isEqualTo(7);
        assertThat(client.listEvents().get(10, TimeUnit.SECONDS).get(0).hits()).isEqualTo(10);
    }

    @Test
    void conditionGetsTheContextInRdx() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(log(pseudo("context")))).withCondition(code(Code.CONTEXT_IS_ADD_ITEM)));
        runToExit();

        assertThat(records.of(DebuggerRecord.Log.class)).hasSize(10)
                .allSatisfy(l -> assertThat(number(l, "$context")).isEqualTo(ADD_ITEM));
    }

    @Test
    void requestedBufferIsKeptAcrossTriggersAndSentFromRax() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.COUNT_IN_BUFFER, 8))));
        runToExit();

        List<DebuggerRecord.Buffer> buffers = records.of(DebuggerRecord.Buffer.class);
        assertThat(buffers).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(u64(buffers.get(i).data())).isEqualTo(i + 1);
            assertThat(buffers.get(i).address()).isEqualTo(buffers.get(0).address());
        }
        assertThat(buffers.get(0).address()).isNotZero();
    }

    @Test
    void raxPointingAtOtherMemorySendsRequestedSizeBytesFromThere() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.RETURN_MESSAGE, 9))));
        runToExit();

        List<DebuggerRecord.Buffer> buffers = records.of(DebuggerRecord.Buffer.class);
        assertThat(buffers).hasSize(10);
        assertThat(buffers.get(0).address()).isEqualTo(Code.MESSAGE);
        assertThat(new String(buffers.get(0).data(), StandardCharsets.US_ASCII)).isEqualTo("hdbg demo");
    }

    @Test
    void raxZeroSendsNothing() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.RETURN_ZERO, 8), log(reg("rdi")))));
        runToExit();

        assertThat(records.of(DebuggerRecord.Log.class)).hasSize(10);
        assertThat(records.of(DebuggerRecord.Buffer.class)).isEmpty();
        assertThat(records.of(DebuggerRecord.ActionError.class)).isEmpty();
        assertThat(event.actionIds()).hasSize(2);
    }

    @Test
    void withoutRequestedBufferRcxIsNullAndNothingIsSent() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.RCX_TO_R13, 0))));
        client.writeRegister("r13", 0xffff).get(10, TimeUnit.SECONDS);
        runToExit();

        assertThat(records.of(DebuggerRecord.Buffer.class)).isEmpty();
        assertThat(client.readRegisters(List.of("r13")).get(10, TimeUnit.SECONDS).get("r13")).isZero();
    }

    @Test
    void r8HoldsTheEventContext() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.STORE_CONTEXT, 8))));
        add(EventSpec.cpuid(List.of(customCode(Code.STORE_CONTEXT, 8))));
        runToExit();

        List<Long> contexts = records.of(DebuggerRecord.Buffer.class).stream().map(b -> u64(b.data())).toList();
        assertThat(contexts).hasSize(11);
        assertThat(contexts.subList(0, 10)).containsOnly(ADD_ITEM);
        assertThat(contexts.get(10)).isEqualTo(1L); // the demo asks CPUID leaf 1
    }

    @Test
    void customCodeThatNeverReturnsIsStoppedReportedAndLeavesTheGuestAlone() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.NEVER_RETURN, 8), log(reg("rdi")))));
        DebuggerRecord.Exit exit = runToExit();

        List<DebuggerRecord.ActionError> errors = records.of(DebuggerRecord.ActionError.class);
        assertThat(errors).hasSize(10).allSatisfy(e -> {
            assertThat(e.eventId()).isEqualTo(event.eventId());
            assertThat(e.actionId()).isEqualTo(event.actionIds().get(0));
            assertThat(e.message()).contains("event " + event.eventId(), "action " + event.actionIds().get(0),
                    "did not return");
        });
        // The next action still ran, and the guest finished as if nothing had happened.
        assertThat(records.of(DebuggerRecord.Log.class)).hasSize(10);
        assertThat(exit.status()).isEqualTo(Code.DEMO_SUM);
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void faultInsideCustomCodeIsReportedAndItsGuestRegsChangesAreDropped() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.CHANGE_THEN_FAULT, 0))));
        DebuggerRecord.Exit exit = runToExit();

        List<DebuggerRecord.ActionError> errors = records.of(DebuggerRecord.ActionError.class);
        assertThat(errors).hasSize(10);
        assertThat(errors.get(0).message()).contains("event " + event.eventId(), "faulted", "UC_ERR_READ_UNMAPPED");
        // The code set GUEST_REGS.rdi = 0 before faulting; had that applied, the sum would be 0.
        assertThat(exit.status()).isEqualTo(Code.DEMO_SUM);
    }

    @Test
    void faultingConditionIsReportedAndItsActionsDoNotRun() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(log(reg("rdi")))).withCondition(code(Code.FAULT)));
        runToExit();

        assertThat(records.of(DebuggerRecord.Log.class)).isEmpty();
        assertThat(records.of(DebuggerRecord.ActionError.class)).hasSize(10)
                .allSatisfy(e -> assertThat(e.message()).contains("event " + event.eventId(), "condition"));
    }

    @Test
    void breakHaltsTheMachineAndServesCommandsUntilContinue() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Break())));
        client.cont().get(10, TimeUnit.SECONDS);

        DebuggerRecord.Break stop = records.awaitBreak();
        assertThat(stop.reason()).isEqualTo(DebuggerRecord.BreakReason.EVENT);
        assertThat(stop.eventId()).isEqualTo(event.eventId());
        assertThat(stop.rip()).isEqualTo(ADD_ITEM);
        assertThat(stop.context()).isEqualTo(ADD_ITEM);
        assertThat(client.status().get(10, TimeUnit.SECONDS).state()).isEqualTo(TargetState.PAUSED);
        assertThat(client.readRegisters(List.of("rdi")).get(10, TimeUnit.SECONDS).get("rdi")).isZero();
        byte[] counter = client.readMemory(Code.COUNTER, 8).get(10, TimeUnit.SECONDS);
        assertThat(u64(counter)).isZero();

        client.writeRegister("rdi", 100).get(10, TimeUnit.SECONDS);
        client.clearEvent(event.eventId()).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Exit exit = runToExit();
        assertThat(exit.status()).isEqualTo(100 + Code.DEMO_SUM);
    }

    @Test
    void eventAddedWhileBrokenInsideAnExitIsArmedWhenTheGuestContinues() throws Exception {
        AddedEvent breaking = add(EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Break())));
        client.cont().get(10, TimeUnit.SECONDS);
        records.awaitBreak();

        AddedEvent cpuid = add(EventSpec.cpuid(List.of(log(pseudo("context"), reg("rax")))));
        client.clearEvent(breaking.eventId()).get(10, TimeUnit.SECONDS);
        runToExit();

        List<DebuggerRecord.Log> logs = records.of(DebuggerRecord.Log.class);
        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).eventId()).isEqualTo(cpuid.eventId());
        assertThat(number(logs.get(0), "$context")).isEqualTo(1);
    }

    @Test
    void addActionToEventAppendsAfterTheExistingActions() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(log(reg("rdi")))));
        long added = client.addActionToEvent(event.eventId(), ActionType.RUN_CUSTOM_CODE, true,
                new DebuggerClient.CustomCodeRequest(code(Code.COUNT_IN_BUFFER), 8), null).get(10, TimeUnit.SECONDS);
        runToExit();

        List<DebuggerRecord> all = records.all().stream()
                .filter(r -> r instanceof DebuggerRecord.Log || r instanceof DebuggerRecord.Buffer).toList();
        assertThat(all).hasSize(20);
        for (int i = 0; i < 20; i += 2) {
            assertThat(all.get(i)).isInstanceOf(DebuggerRecord.Log.class);
            assertThat(all.get(i + 1)).isInstanceOfSatisfying(DebuggerRecord.Buffer.class,
                    b -> assertThat(b.actionId()).isEqualTo(added));
        }
    }

    @Test
    void disabledEventDoesNotFireUntilEnabled() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Break())).withEnabled(false));
        AddedEvent logger = add(EventSpec.eptHook(ADD_ITEM, List.of(log(reg("rdi")))).withCondition(code(Code.RDI_IS_7)));
        client.cont().get(10, TimeUnit.SECONDS);
        records.awaitExit();
        assertThat(records.of(DebuggerRecord.Break.class)).isEmpty();
        assertThat(records.of(DebuggerRecord.Log.class)).hasSize(1);
        assertThat(logger.eventId()).isNotEqualTo(event.eventId());
        assertThat(client.listEvents().get(10, TimeUnit.SECONDS)).extracting(e -> e.enabled()).containsExactly(false, true);
    }

    @Test
    void customCodeChangesToNonGeneralPurposeRegistersApplyToTheGuest() throws Exception {
        add(EventSpec.eptHook(ADD_ITEM, List.of(customCode(Code.SET_DR0, 0))));
        runToExit();
        assertThat(client.readRegisters(List.of("dr0")).get(10, TimeUnit.SECONDS).get("dr0")).isEqualTo(0x1234L);
    }

    @Test
    void guestCannotSeeTheVmxRootArea() {
        assertThatThrownBy(() -> client.readMemory(0xffff_f000_0000_0000L, 16).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(AgentError.class)
                .cause().hasMessageContaining("is not mapped").hasMessageContaining("mapped: 0x400000");
    }

    @Test
    void logTakesRegistersMemoryAndPseudoRegistersWithoutHalting() throws Exception {
        AddedEvent event = add(EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Log(
                dev.hdbg.common.text.LogSpecParser.parse("regs [rbx]:8 [400088]:4 $context $ip $event_id $core $pid $tid $time"),
                false))));
        runToExit();

        List<DebuggerRecord.Log> logs = records.of(DebuggerRecord.Log.class);
        assertThat(logs).hasSize(10);
        DebuggerRecord.Log third = logs.get(2);
        assertThat(number(third, "rdi")).isEqualTo(2);
        assertThat(number(third, "$context")).isEqualTo(ADD_ITEM);
        assertThat(number(third, "$ip")).isEqualTo(ADD_ITEM);
        assertThat(number(third, "$event_id")).isEqualTo(event.eventId());
        assertThat(number(third, "$core")).isZero();
        assertThat(number(third, "$pid")).isEqualTo(1);
        assertThat(number(third, "$tid")).isEqualTo(1);
        // HyperDbg's $time points to the time as text; a log records the text: 06:41:07.123.
        assertThat(new String(third.values().stream().filter(v -> v.name().equals("$time")).findFirst().orElseThrow()
                .bytes().orElseThrow(), java.nio.charset.StandardCharsets.US_ASCII)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d");
        byte[] counter = third.values().stream().filter(v -> v.name().equals("[rbx]:0x8")).findFirst()
                .orElseThrow().bytes().orElseThrow();
        assertThat(u64(counter)).isEqualTo(0 + 1); // before the third call: 0 + 1
        byte[] message = third.values().stream().filter(v -> v.name().equals("[0x400088]:0x4")).findFirst()
                .orElseThrow().bytes().orElseThrow();
        assertThat(Arrays.equals(message, "hdbg".getBytes(StandardCharsets.US_ASCII))).isTrue();
    }
}
