package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.Access;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link FaultingInstruction} inside real Unicorn's fault hooks, where RIP names the block's first instruction. */
class FaultingInstructionTest {
    private static final long CODE = 0x1000;
    private static final long READ_ONLY = 0x3000;
    private static final long UNMAPPED = 0x5000;

    private record Seen(long blockStart, long located, long rax, OptionalLong flags, long rflagsInHook) {
    }

    /** Runs {@code hex} (ending in hlt) with RBX at the read-only page and RCX at an unmapped one. */
    private static Seen faultIn(String hex) {
        return faultIn(hex, -1);
    }

    /** {@link #faultIn(String)}, the fault looked for from {@code ripSeen} (-1: the hook's RIP) as its block's start. */
    private static Seen faultIn(String hex, long ripSeen) {
        try (Machine machine = new Machine()) {
            Cpu cpu = machine.cpu();
            cpu.map(CODE, 0x1000, EnumSet.of(Access.READ, Access.EXECUTE));
            cpu.writeMemory(CODE, HexFormat.of().parseHex(hex));
            cpu.map(READ_ONLY, 0x1000, Set.of(Access.READ));
            cpu.write(CpuRegister.RBX, READ_ONLY + 8);
            cpu.write(CpuRegister.RCX, UNMAPPED + 16);
            FaultingInstruction faulting = new FaultingInstruction(cpu);
            Seen[] seen = new Seen[1];
            Cpu.UnmappedHook hook = (access, address, size, value) -> {
                long blockStart = ripSeen == -1 ? cpu.read(CpuRegister.RIP) : ripSeen;
                FaultingInstruction.Located located = faulting.locate(blockStart, access, address, size);
                seen[0] = new Seen(blockStart, located.rip(), cpu.read(CpuRegister.RAX), located.flags(),
                        cpu.read(CpuRegister.RFLAGS));
                return false;
            };
            cpu.onProtectionFault(EnumSet.allOf(Access.class), 0, 0x7fff_ffff_ffffL, hook);
            cpu.onUnmapped(EnumSet.allOf(Access.class), hook);
            assertThatThrownBy(() -> cpu.run(CODE)).isInstanceOf(CpuException.class);
            assertThat(seen[0]).as("the hook ran").isNotNull();
            return seen[0];
        }
    }

    @Test
    void aStoreToAReadOnlyPageInTheMiddleOfItsBlockIsFound() {
        // add rax, 1; add rax, 1; mov qword ptr [rbx], rax; hlt
        Seen seen = faultIn("4883c001" + "4883c001" + "488903" + "f4");
        assertThat(seen.blockStart()).as("Unicorn 2.0.1's RIP in the hook: the block's start").isEqualTo(CODE);
        assertThat(seen.rax()).as("the adds before the store have run").isEqualTo(2);
        assertThat(seen.located()).isEqualTo(CODE + 8);
    }

    @Test
    void aLoadFromAnUnmappedPageIsTheFirstAccessOfItsKindThatTouchesTheAddress() {
        // mov rax, qword ptr [rbx]; add rax, 1; mov rdx, qword ptr [rcx + 8]; hlt: [rcx + 8] is unmapped, [rbx] is not
        Seen seen = faultIn("488b03" + "4883c001" + "488b5108" + "f4");
        assertThat(seen.located()).isEqualTo(CODE + 7);
    }

    @Test
    void aReadOfTheSameAddressBeforeTheFaultingWriteIsNotTakenForIt() {
        // mov rax, qword ptr [rbx]; add qword ptr [rbx], 1; hlt: the read succeeds, the read-modify-write's write faults
        Seen seen = faultIn("488b03" + "48830301" + "f4");
        assertThat(seen.located()).isEqualTo(CODE + 3);
    }

    /**
     * A loop whose load walks off the readable page after many passes, with RIP as the agent's engine had it there: by
     * then the branch's block is chained to the load's, which runs without storing RIP, so RIP still names the
     * branch's block (this test's bare engine stores it; under the agent a JVM's implicit null check showed it, and
     * SignalProgramsIT's nullcheck.c does). The load, second in its block, is found past the branch.
     */
    @Test
    void aFaultInABlockChainedToRipsIsFoundPastTheBranch() {
        // 0: mov edx, 0x20; 5: mov rdi, rbx; 8: dec edx; 10: jne 14; 12: hlt; 13: nop;
        // 14: lea rsi, [rdi + 8]; 18: mov rax, qword ptr [rdi]; 21: add rdi, 0x100; 28: jmp 8
        String loop = "ba20000000" + "4889df" + "ffca" + "7502" + "f4" + "90" + "488d7708" + "488b07"
                + "4881c700010000" + "ebea";
        assertThat(faultIn(loop, CODE + 8).located()).isEqualTo(CODE + 18);
        assertThat(faultIn(loop, CODE).located()).as("from further back, through the fall into the loop")
                .isEqualTo(CODE + 18);
        // the same with the branch's other way a return: nothing past it is looked in, RIP stays
        assertThat(faultIn(loop.replace("f490", "c390"), CODE + 12).located()).isEqualTo(CODE + 12);
    }

    @Test
    void aFaultAtTheBlocksFirstInstructionStaysThere() {
        // mov qword ptr [rbx], rax; hlt
        Seen seen = faultIn("488903" + "f4");
        assertThat(seen.located()).isEqualTo(CODE);
    }

    @Test
    void theFlagsOfACompareBeforeTheFaultAreComputedAgainWhereUnicornLeftThemOut() {
        // mov eax, 5; cmp rax, 7; mov qword ptr [rbx], rax; hlt: 5 - 7 borrows (CF), is negative (SF), AF set
        Seen seen = faultIn("b805000000" + "4883f807" + "488903" + "f4");
        assertThat(seen.rflagsInHook() & 0x8d5).as("Unicorn 2.0.1's RFLAGS in the hook, not cmp's").isNotEqualTo(0x91);
        assertThat(seen.flags()).hasValue(0x01 | 0x10 | 0x80);
    }

    @Test
    void aTestOfRegistersGivesItsFlagsAndARegisterChangedSinceGivesNone() {
        // xor ecx, ecx is no comparison: nothing is said; test eax, eax (rax 0) then the store: ZF and PF;
        // test ecx, ecx (rcx 0x5010): neither, nor SF
        assertThat(faultIn("31c9" + "488903" + "f4").flags()).isEmpty();
        assertThat(faultIn("85c0" + "488903" + "f4").flags()).hasValue(0x40 | 0x04);
        assertThat(faultIn("85c9" + "488903" + "f4").flags()).hasValue(0);
        // cmp rax, 7, then mov rax, 1 changes rax: the flags cannot be computed from it now
        assertThat(faultIn("4883f807" + "48c7c001000000" + "488903" + "f4").flags()).isEmpty();
    }
}
