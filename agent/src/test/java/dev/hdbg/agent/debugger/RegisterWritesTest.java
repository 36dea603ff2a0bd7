package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Registers on a real machine, control registers first: the host may not leave them in a state no
 * CPU runs (nor load a selector the GDT does not describe), the
 * guest's MOV to CR faults with #GP where the CPU's does, and a guest whose every access faults
 * (paging on, page tables nowhere) stops at its first fault instead of holding the execution
 * thread for ever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegisterWritesTest {
    private static final long ENTRY = 0x400000;
    private static final long CR0_PE = 1;
    private static final long CR0_ET = 0x10;
    private static final long CR0_PG = 1L << 31;
    private static final long CR4_PAE = 1L << 5;
    private static final long CR4_TSD = 1L << 2;

    private Machine machine;
    private Debugger debugger;
    private final List<DebuggerRecord> records = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        start("loop", m -> { });
    }

    /** A debugger on {@code sample}, after {@code before} set the machine up as no host could. */
    private void start(String sample, Consumer<Machine> before) throws Exception {
        if (debugger != null) {
            stop();
        }
        machine = new Machine();
        var info = Target.sample(sample).loadInto(machine);
        before.accept(machine);
        debugger = new Debugger(machine, Limits.DEFAULT, Delivery.DEFAULT.newQueue());
        debugger.setTarget(info);
        debugger.records().addObserver(records::add);
    }

    @AfterEach
    void stop() throws InterruptedException {
        records.clear();
        debugger.close();
        debugger.records().close();
        machine.close();
    }

    @Test
    void theHostIsRefusedWhatTheCpuWouldFaultOnAndNamesTheRule() throws Exception {
        long cr0 = read(GuestRegister.CR0);
        assertRefused(GuestRegister.CR0, 0, "CR0.PE stays set (the CPU would raise #GP)");
        assertRefused(GuestRegister.CR0, 0xffff_ffffL, "CR0.PG needs CR4.PAE in long mode");
        assertRefused(GuestRegister.CR0, 1L << 32 | cr0, "CR0 bits 63:32 are reserved");
        assertRefused(GuestRegister.CR0, CR0_PE | 1L << 29, "CR0.NW needs CR0.CD");
        assertRefused(GuestRegister.CR4, 1L << 40, "CR4 bit 40 is reserved");
        assertRefused(GuestRegister.CR3, 1L << 60, "CR3 bits 63:52 are reserved");
        assertThat(read(GuestRegister.CR0)).as("nothing refused was written").isEqualTo(cr0);

        debugger.writeRegister(GuestRegister.CR4, CR4_PAE | 0x200).get();
        assertThat(read(GuestRegister.CR4)).as("the agent's CR4.TSD stays set").isEqualTo(CR4_PAE | 0x200 | CR4_TSD);
        assertRefused(GuestRegister.CR4, 0x200 | 1L << 2 | 1L << 15, "CR4 bit 15 is reserved");
        debugger.writeRegister(GuestRegister.CR0, CR0_PG | CR0_ET | CR0_PE).get();
        assertRefused(GuestRegister.CR4, 0, "CR4.PAE cannot be cleared while paging is on");
        debugger.writeRegister(GuestRegister.CR0, cr0).get(); // the host may switch paging off again
        assertThat(read(GuestRegister.CR0)).isEqualTo(cr0);
    }

    @Test
    void aSelectorTheGdtDoesNotDescribeIsRefusedAsTheHostsMistakeNotTheAgents() throws Exception {
        long fs = read(GuestRegister.FS);
        assertRefused(GuestRegister.FS, 0x1234, "fs = 0x1234 is refused: it names the LDT (bit 2), and the guest has none");
        assertRefused(GuestRegister.FS, 0x1230, "fs = 0x1230 is refused: descriptor 582 is past the GDT's 5");
        assertRefused(GuestRegister.FS, 0x1234, "a selector must name a descriptor of the guest's GDT");
        assertThat(read(GuestRegister.FS)).isEqualTo(fs);
        debugger.writeRegister(GuestRegister.FS, 0x1b).get(); // the user data segment
        assertThat(read(GuestRegister.FS)).isEqualTo(0x1b);
    }

    @Test
    void everySelectorIsCheckedAsTheCpuWouldAtCpl3() throws Exception {
        long cs = read(GuestRegister.CS);
        long ss = read(GuestRegister.SS);
        long ds = read(GuestRegister.DS);
        assertRefused(GuestRegister.CS, 0, "cs = 0x0 is refused: a null selector cannot be loaded into cs at CPL 3");
        assertRefused(GuestRegister.CS, 0x1b, "CS must name a code descriptor of DPL 3 with RPL 3");
        assertRefused(GuestRegister.SS, 0xfffc, "ss = 0xfffc is refused: it names the LDT");
        assertRefused(GuestRegister.SS, 0xfff8, "ss = 0xfff8 is refused: descriptor 8191 is past the GDT's 5");
        assertRefused(GuestRegister.SS, 0x10, "SS must name a writable data descriptor of DPL 3 with RPL 3");
        assertRefused(GuestRegister.DS, 0xfffc, "ds = 0xfffc is refused: it names the LDT");
        assertRefused(GuestRegister.DS, 0x2b, "ds = 0x2b is refused: descriptor 5 is past the GDT's 5");
        assertRefused(GuestRegister.DS, 0x10, "descriptor 2 has DPL 0: code at CPL 3 cannot load it");
        assertRefused(GuestRegister.ES, 0x1c, "it names the LDT");
        assertRefused(GuestRegister.GS, 0x10000, "a selector has 16 bits");
        assertThat(read(GuestRegister.CS)).isEqualTo(cs);
        assertThat(read(GuestRegister.SS)).isEqualTo(ss);
        assertThat(read(GuestRegister.DS)).isEqualTo(ds);
        debugger.writeRegister(GuestRegister.DS, 0).get(); // a null data selector is allowed in 64-bit mode
        assertThat(read(GuestRegister.DS)).isZero();
        debugger.writeRegister(GuestRegister.SS, 0x1b).get();
        debugger.writeRegister(GuestRegister.CS, 0x23).get();
    }

    @Test
    void rflagsWithReservedBitsIsRefusedAndStoresNothing() throws Exception {
        long rflags = read(GuestRegister.RFLAGS);
        assertRefused(GuestRegister.RFLAGS, -1L, "rflags = 0xffffffffffffffff is refused: reserved bits 0xffffffffffc08028");
        assertRefused(GuestRegister.RFLAGS, 0, "bit 1 is clear");
        assertRefused(GuestRegister.RFLAGS, 0x20202, "VM (bit 17)");
        assertThat(read(GuestRegister.RFLAGS)).isEqualTo(rflags);
        debugger.writeRegister(GuestRegister.RFLAGS, 0x3246).get();
        assertThat(read(GuestRegister.RFLAGS)).isEqualTo(0x3246);
    }

    @Test
    void theGuestsMovToCr0WithoutPaeFaultsWithGpAndStopsAtTheMov() throws Exception {
        // mov rax, 0x80000011 ; mov cr0, rax ; hlt
        debugger.writeMemory(ENTRY, HexFormat.of().parseHex("48b81100008000000000" + "0f22c0" + "f4")).get();
        long cr0 = read(GuestRegister.CR0);

        DebuggerRecord.Break fault = runToBreak();

        assertThat(fault.reason()).isEqualTo(DebuggerRecord.BreakReason.FAULT);
        assertThat(fault.message()).contains("unhandled exception 13 (#GP", "mov to cr0 of 0x80000011",
                "CR0.PG needs CR4.PAE");
        assertThat(fault.rip()).isEqualTo(ENTRY + 10);
        assertThat(read(GuestRegister.CR0)).isEqualTo(cr0);
    }

    @Test
    void customCodeThatLeavesARefusedControlRegisterFaultsAndTheGuestKeepsItsOwn() throws Exception {
        long cr0 = read(GuestRegister.CR0);
        // mov eax, 0x10 ; mov cr0, rax ; xor eax, eax — clears CR0.PE, which the host could not
        debugger.addEvent(EventSpec.eptHook(ENTRY, List.of(new ActionSpec.CustomCode(
                MachineCode.of(HexFormat.of().parseHex("b810000000" + "0f22c0" + "31c0")), 0, false)))).get();
        // mov rax, cr4 ; and al, 0xfb ; or eax, 0x200 ; mov cr4, rax ; xor eax, eax — clears TSD, sets OSXMMEXCPT
        debugger.addEvent(EventSpec.eptHook(ENTRY, List.of(new ActionSpec.CustomCode(
                MachineCode.of(HexFormat.of().parseHex("0f20e0" + "24fb" + "0d00020000" + "0f22e0" + "31c0")), 0, false)))).get();

        debugger.cont().get();
        awaitRecord(DebuggerRecord.Exit.class);

        DebuggerRecord.ActionError refused = (DebuggerRecord.ActionError) records.stream()
                .filter(r -> r instanceof DebuggerRecord.ActionError).findFirst().orElseThrow();
        assertThat(refused.eventId()).isEqualTo(0); // the first event: HyperDbg numbers from 0
        assertThat(refused.message()).contains("the code set cr0 = 0x10, which the CPU refuses with #GP",
                "CR0.PE stays set");
        assertThat(read(GuestRegister.CR0)).isEqualTo(cr0);
        assertThat(read(GuestRegister.CR4)).as("the second event's change applies; the agent's TSD stays")
                .isEqualTo(0x200 | CR4_TSD);
    }

    /**
     * The machine the property test found (CI, seed -2664279752872849861): CR0 all ones with a
     * garbage CR3 and no PAE, as a guest on a CPU without these checks might leave it. Every
     * access walks page tables that are not there, including the fetch the agent stops the guest
     * with; the first fault must still end the run.
     */
    @Test
    void aGuestWhoseEveryAccessFaultsStopsAtTheFirstFaultAndTheMachineRecovers() throws Exception {
        start("demo", m -> {
            m.write(GuestRegister.CR3, 0xffff_ffffL);
            m.write(GuestRegister.CR0, 0xffff_ffffL);
        });

        DebuggerRecord.Break fault = runToBreak();

        assertThat(fault.reason()).isEqualTo(DebuggerRecord.BreakReason.FAULT);
        assertThat(fault.message()).contains("unhandled exception 14 (#PF");
        assertThat(fault.rip()).as("at the first access, the demo's first call").isEqualTo(ENTRY + 0xd);
        assertThat(debugger.status().get().state()).isEqualTo(TargetState.PAUSED);

        records.clear();
        debugger.writeRegister(GuestRegister.CR0, CR0_ET | CR0_PE).get(); // the host may switch paging off again
        debugger.cont().get();
        DebuggerRecord.Exit exit = (DebuggerRecord.Exit) awaitRecord(DebuggerRecord.Exit.class);
        assertThat(exit.status()).as("the demo's sum").isEqualTo(45);
    }

    private DebuggerRecord.Break runToBreak() throws Exception {
        debugger.cont().get();
        return (DebuggerRecord.Break) awaitRecord(DebuggerRecord.Break.class);
    }

    private DebuggerRecord awaitRecord(Class<? extends DebuggerRecord> type) throws Exception {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; ) {
            for (DebuggerRecord r : records) {
                if (type.isInstance(r)) {
                    return r;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + type.getSimpleName() + " record; records: " + records + "; status: "
                + debugger.status().get(5, TimeUnit.SECONDS));
    }

    private long read(GuestRegister register) throws Exception {
        return debugger.readRegisters(List.of(register)).get().get(register);
    }

    private void assertRefused(GuestRegister register, long value, String why) {
        assertThatThrownBy(() -> debugger.writeRegister(register, value).get())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining(why);
    }
}
