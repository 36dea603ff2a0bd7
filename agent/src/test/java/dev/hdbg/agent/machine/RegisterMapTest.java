package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.GuestRegister;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The explicit maps between the register enums, over every constant: a host's register name reaches the CPU
 * register of that name, and each CPU register Unicorn's register of that name, never two the same one. (A
 * constant without its case does not compile: the maps are exhaustive switches.)
 */
class RegisterMapTest {
    @Test
    void everyRegisterAHostNamesIsTheCpuRegisterOfThatName() {
        Set<CpuRegister> reached = EnumSet.noneOf(CpuRegister.class);
        for (GuestRegister r : GuestRegister.values()) {
            CpuRegister cpu = RegisterMap.toCpu(r);
            assertThat(cpu.name()).as("%s", r).isEqualTo(r.name());
            assertThat(reached.add(cpu)).as("%s maps to a register no other name reaches", r).isTrue();
        }
        assertThat(EnumSet.complementOf(EnumSet.copyOf(reached))).as("CPU registers no host may name").isEmpty();
    }

    @Test
    void everyCpuRegisterIsUnicornsRegisterOfThatName() {
        Set<X86Reg> reached = EnumSet.noneOf(X86Reg.class);
        for (CpuRegister r : CpuRegister.values()) {
            X86Reg unicorn = UnicornCpu.unicornRegister(r);
            assertThat(unicorn.name()).as("%s", r).isEqualTo(r.name());
            assertThat(reached.add(unicorn)).as("%s maps to a register no other reaches", r).isTrue();
        }
    }

    @Test
    void theGeneralPurposeRegistersAreInGuestRegsOrder() {
        assertThat(RegisterList.GPRS.asList()).extracting(Enum::name)
                .containsExactlyElementsOf(GuestRegister.GPRS.stream().map(Enum::name).toList());
        for (int i = 0; i < 16; i++) {
            assertThat(CpuRegister.gpr(i)).isEqualTo(RegisterList.GPRS.get(i));
        }
    }
}
