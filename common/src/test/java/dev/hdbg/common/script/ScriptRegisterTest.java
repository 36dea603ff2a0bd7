package dev.hdbg.common.script;

import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptRegisterTest {
    /** HyperDbg's .Registers list from hyperdbg/script-engine/python/Grammar.txt (v0.23), in its order. */
    static final String HYPERDBG_REGISTERS = "rax eax ax ah al rcx ecx cx ch cl rdx edx dx dh dl rbx ebx bx bh bl"
            + " rsp esp sp spl rbp ebp bp bpl rsi esi si sil rdi edi di dil r8 r8d r8w r8h r8l r9 r9d r9w r9h r9l"
            + " r10 r10d r10w r10h r10l r11 r11d r11w r11h r11l r12 r12d r12w r12h r12l r13 r13d r13w r13h r13l"
            + " r14 r14d r14w r14h r14l r15 r15d r15w r15h r15l ds es fs gs cs ss rflags eflags flags cf pf af zf"
            + " sf tf if df of iopl nt rf vm ac vif vip id rip eip ip idtr ldtr gdtr tr cr0 cr2 cr3 cr4 cr8 dr0 dr1"
            + " dr2 dr3 dr6 dr7";

    @Test
    void everyRegisterHyperDbgKnowsIsAForm() {
        List<String> hyperdbg = Arrays.asList(HYPERDBG_REGISTERS.split(" "));
        assertThat(hyperdbg).allSatisfy(name -> assertThat(ScriptRegister.byName(name)).as(name).isPresent());
        // hdbg's additions are the processor's names for r8l..r15l
        assertThat(Arrays.stream(ScriptRegister.values()).map(ScriptRegister::scriptName)
                .filter(n -> !hyperdbg.contains(n)))
                .containsExactly("r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b");
    }

    @ParameterizedTest(name = "@{0} = {1} bits {2}..")
    @CsvSource({
            "rax, RAX, 0, 64", "eax, RAX, 0, 32", "ax, RAX, 0, 16", "ah, RAX, 8, 8", "al, RAX, 0, 8",
            "spl, RSP, 0, 8", "dil, RDI, 0, 8", "r8d, R8, 0, 32", "r8w, R8, 0, 16", "r8h, R8, 8, 8",
            "r8l, R8, 0, 8", "r8b, R8, 0, 8", "r15l, R15, 0, 8",
            "cs, CS, 0, 16", "ss, SS, 0, 16", "rflags, RFLAGS, 0, 64", "eflags, RFLAGS, 0, 32", "flags, RFLAGS, 0, 16",
            "cf, RFLAGS, 0, 1", "pf, RFLAGS, 2, 1", "af, RFLAGS, 4, 1", "zf, RFLAGS, 6, 1", "sf, RFLAGS, 7, 1",
            "tf, RFLAGS, 8, 1", "if, RFLAGS, 9, 1", "df, RFLAGS, 10, 1", "of, RFLAGS, 11, 1", "iopl, RFLAGS, 12, 2",
            "nt, RFLAGS, 14, 1", "rf, RFLAGS, 16, 1", "vm, RFLAGS, 17, 1", "ac, RFLAGS, 18, 1", "vif, RFLAGS, 19, 1",
            "vip, RFLAGS, 20, 1", "id, RFLAGS, 21, 1", "rip, RIP, 0, 64", "eip, RIP, 0, 32", "ip, RIP, 0, 16",
            "cr8, CR8, 0, 64", "gdtr, GDTR, 0, 64", "dr7, DR7, 0, 64",
    })
    void eachFormIsABitFieldOfItsBase(String name, RegisterBase base, int offset, int width) {
        ScriptRegister form = ScriptRegister.byName(name).orElseThrow();
        assertThat(form.base()).isEqualTo(base);
        assertThat(form.bitOffset()).isEqualTo(offset);
        assertThat(form.width()).isEqualTo(width);
    }

    @Test
    void insertKeepsTheOtherBitsAndExtractReadsTheField() {
        ScriptRegister ah = ScriptRegister.AH;
        assertThat(ah.insert(0x1122334455667788L, 0xabcd)).isEqualTo(0x112233445566cd88L);
        assertThat(ah.extract(0x1122334455667788L)).isEqualTo(0x77);
        assertThat(ScriptRegister.EAX.insert(-1L, 0)).isEqualTo(0xffffffff00000000L);
        assertThat(ScriptRegister.ZF.insert(0, 2)).isZero(); // only bit 0 of the value counts
        assertThat(ScriptRegister.ZF.insert(0, 3)).isEqualTo(0x40);
        assertThat(ScriptRegister.IOPL.insert(0, 3)).isEqualTo(0x3000);
        assertThat(ScriptRegister.RAX.insert(5, -1)).isEqualTo(-1);
    }

    @Test
    void theBasesBackedByGuestRegisterAreTheOnesWithTheSameName() {
        for (RegisterBase base : RegisterBase.values()) {
            assertThat(base.guestRegister().map(Enum::name)).as(base.name())
                    .isEqualTo(GuestRegister.byName(base.name()).map(Enum::name));
        }
        // Since protocol 1.13 every HyperDbg register is one the machine has (cr8 and the descriptor tables came last).
        assertThat(Arrays.stream(RegisterBase.values()).filter(b -> !b.isAvailable())).isEmpty();
    }

    @Test
    void pseudoRegistersAreHyperDbgs() {
        // HyperDbg's .PseudoRegisters list, Grammar.txt v0.23.
        assertThat(Arrays.stream(PseudoRegister.values()).map(PseudoRegister::scriptName))
                .containsExactlyInAnyOrder("pid", "tid", "pname", "core", "proc", "thread", "peb", "teb", "ip",
                        "buffer", "context", "event_tag", "event_id", "event_stage", "date", "time");
    }
}
