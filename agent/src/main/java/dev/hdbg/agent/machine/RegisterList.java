package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.X86Reg;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered, immutable list of registers read or written together ({@link Cpu#read(RegisterList, long[])}): one
 * call into the emulator for all of them. Made once, as a constant, by the code that reads them on every exit;
 * the back end's numbering of the list is worked out here, once, so the hot path translates nothing.
 */
public final class RegisterList {
    /** The sixteen general-purpose registers in GUEST_REGS order. */
    public static final RegisterList GPRS = of(Arrays.copyOf(CpuRegister.values(), 16));

    private final CpuRegister[] registers;
    /** The same registers in Unicorn's numbering, for {@link UnicornCpu}. */
    final X86Reg[] unicorn;

    private RegisterList(CpuRegister[] registers) {
        this.registers = registers;
        this.unicorn = new X86Reg[registers.length];
        for (int i = 0; i < registers.length; i++) {
            unicorn[i] = UnicornCpu.unicornRegister(registers[i]);
        }
    }

    public static RegisterList of(CpuRegister... registers) {
        return new RegisterList(registers.clone());
    }

    public int size() {
        return registers.length;
    }

    public CpuRegister get(int index) {
        return registers[index];
    }

    public List<CpuRegister> asList() {
        return List.of(registers);
    }

    @Override
    public String toString() {
        return Arrays.toString(registers);
    }
}
