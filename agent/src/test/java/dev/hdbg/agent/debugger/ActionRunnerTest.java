package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventOptions;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The action runner on one exit, with a real machine and vmx-root and a scripted break: the RAX-returned buffer
 * (sent with the requested size, not when RAX = 0, not without a requested buffer, not from an unreadable
 * address), condition gating, and the order of events and actions. The end-to-end tests check the same through a
 * host; these say which class keeps the contract.
 */
class ActionRunnerTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final VmExit EXIT = VmExit.pre(ExitReason.EPT_HOOK, IMAGE);

    private Machine machine;
    private VmxRoot root;
    private EventRegistry registry;
    private RecordQueue queue;
    private ActionRunner runner;
    private final List<DebuggerRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> breaks = new ArrayList<>();

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        root = new VmxRoot(machine, 1000);
        registry = new EventRegistry(root, Limits.DEFAULT);
        queue = new RecordQueue(1000, 10, Duration.ofSeconds(60));
        queue.addObserver(records::add);
        BreakService scripted = (reason, id, exit) -> breaks.add(reason + " " + id);
        runner = new ActionRunner(machine, root, registry, new Breakpoints(machine, root, Limits.DEFAULT, new LogTaker(machine, () -> null)), queue,
                scripted, () -> null);
    }

    @AfterEach
    void stop() {
        queue.close();
        root.close();
        machine.close();
    }

    private static MachineCode code(String hex) {
        return MachineCode.of(HexFormat.of().parseHex(hex));
    }

    private static ActionSpec.CustomCode customCode(String hex, int bufferSize) {
        return new ActionSpec.CustomCode(code(hex), bufferSize, true);
    }

    private static ActionSpec.Log logOf(String register) {
        return new ActionSpec.Log(new LogConfiguration(List.of(new LogItem.Register(register))), true);
    }

    private Event add(EventSpec spec) {
        return registry.add(spec);
    }

    @Test
    void theBufferReturnedInRaxIsSentWithTheRequestedSize() {
        // mov dword [rcx], 0xcafe ; mov rax, rcx: the requested buffer, written, returned
        Event event = add(EventSpec.eptHook(IMAGE, List.of(customCode("c701feca0000" + "4889c8", 8))));
        runner.onExit(EXIT);
        Action action = event.actions().getFirst();
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.Buffer.class, b -> {
            assertThat(b.eventId()).isEqualTo(event.id());
            assertThat(b.actionId()).isEqualTo(action.id());
            assertThat(b.address()).isEqualTo(action.bufferAddress());
            assertThat(b.data()).containsExactly(0xfe, 0xca, 0, 0, 0, 0, 0, 0);
        });
    }

    @Test
    void raxZeroSendsNothing() {
        machine.memory().map("page zero", 0, 4096, EnumSet.of(Access.READ, Access.WRITE)); // 0 is readable: still nothing
        add(EventSpec.eptHook(IMAGE, List.of(customCode("31c0", 8)))); // xor eax, eax
        runner.onExit(EXIT);
        assertThat(records).isEmpty();
    }

    @Test
    void withoutARequestedBufferNothingIsSentWhateverRaxHolds() {
        add(EventSpec.eptHook(IMAGE, List.of(customCode("4889d0", 0)))); // mov rax, rdx: GUEST_REGS, readable
        runner.onExit(EXIT);
        assertThat(records).isEmpty();
    }

    @Test
    void anUnreadableAddressInRaxIsIgnored() {
        add(EventSpec.eptHook(IMAGE, List.of(customCode("b80000ff7f", 8)))); // mov eax, 0x7fff0000: not mapped
        runner.onExit(EXIT);
        assertThat(records).isEmpty();
    }

    @Test
    void anyReadableAddressInRaxIsSentFromThere() {
        machine.write(GuestRegister.RAX, 0x1122334455667788L);
        add(EventSpec.eptHook(IMAGE, List.of(customCode("4889d0", 8)))); // mov rax, rdx: GUEST_REGS, rax first
        runner.onExit(EXIT);
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.Buffer.class, b -> {
            assertThat(b.address()).isEqualTo(VmxRoot.GUEST_REGS_ADDRESS);
            assertThat(b.data()).containsExactly(0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
        });
    }

    @Test
    void actionsRunOnlyWhenTheConditionHoldsAndTheHitCountsEither() {
        // cmp rdx, 0x400000 ; sete al ; movzx eax, al: holds when the context is the image's first byte
        EventSpec spec = EventSpec.eptHook(IMAGE, List.of(logOf("rip"), new ActionSpec.Break()))
                .withCondition(code("4881fa000040000f94c00fb6c0"));
        Event holds = add(spec);
        Event never = add(EventSpec.eptHook(IMAGE, List.of(logOf("rax"))).withCondition(code("31c0")));
        runner.onExit(EXIT);
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.Log.class,
                l -> assertThat(l.eventId()).isEqualTo(holds.id()));
        assertThat(breaks).containsExactly("EVENT " + holds.id());
        assertThat(holds.hits()).isEqualTo(1);
        assertThat(never.hits()).as("a condition that does not hold still counts the hit").isEqualTo(1);
    }

    @Test
    void aConditionThatFaultsIsReportedAsActionZeroAndDoesNotHold() {
        Event event = add(EventSpec.eptHook(IMAGE, List.of(logOf("rax"))).withCondition(code("488b042500000000")));
        runner.onExit(EXIT);
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.ActionError.class, e -> {
            assertThat(e.eventId()).isEqualTo(event.id());
            assertThat(e.actionId()).isZero();
            assertThat(e.message()).contains("condition faulted");
        });
    }

    @Test
    void eventsRunInTheOrderAddedAndTheirActionsInTheOrderWritten() {
        machine.write(GuestRegister.RDI, 1);
        // log rdi ; mov qword [rdx + 0x38], 2 (GUEST_REGS.rdi) ; log rdi
        Event first = add(EventSpec.eptHook(IMAGE, List.of(logOf("rdi"), customCode("48c7423802000000", 0),
                logOf("rdi"))));
        Event second = add(EventSpec.eptHook(IMAGE, List.of(logOf("rdi"))));
        boolean shortCircuit = runner.onExit(EXIT);
        assertThat(shortCircuit).isFalse();
        assertThat(records).extracting(r -> ((DebuggerRecord.Log) r).eventId() + ":"
                        + ((DebuggerRecord.Log) r).values().getFirst().number().orElseThrow())
                .containsExactly(first.id() + ":1", first.id() + ":2", second.id() + ":2");
    }

    @Test
    void anEventThatShortCircuitsSaysSo() {
        add(EventSpec.eptHook(IMAGE, List.of(logOf("rax"))).withOptions(EventOptions.DEFAULT.withShortCircuit(true)));
        assertThat(runner.onExit(EXIT)).isTrue();
    }
}
