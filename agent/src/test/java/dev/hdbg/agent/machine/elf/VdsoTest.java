package dev.hdbg.agent.machine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.MemoryRegionInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VdsoTest {
    @Test
    void theHostsVdsoKeepsItsTablesAndEachFunctionMakesItsSystemCall() {
        Optional<byte[]> image = Vdso.image();
        assumeTrue(image.isPresent(), "the host gives no vDSO");
        byte[] vdso = image.get();

        ElfParser.SymbolFile file = ElfParser.symbolFile("vdso", vdso);
        assertThat(file.symbols()).extracting(Symbols.Symbol::name).contains("__vdso_clock_gettime", "__vdso_time");
        Symbols symbols = new Symbols(file.symbols());
        // mov eax, 228 ; syscall ; ret
        assertThat(bytes(vdso, symbols.byName("__vdso_clock_gettime").orElseThrow().address(), 8))
                .containsExactly(0xb8, 0xe4, 0, 0, 0, 0x0f, 0x05, 0xc3);
        assertThat(ByteBuffer.wrap(vdso).order(ByteOrder.LITTLE_ENDIAN)
                .getInt((int) symbols.byName("__vdso_time").orElseThrow().address() + 1)).isEqualTo(201);
    }

    @Test
    void aProgramLoadedWithTheVdsoFindsItThroughAtSysinfoEhdr() {
        Optional<byte[]> image = Vdso.image();
        assumeTrue(image.isPresent(), "the host gives no vDSO");
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, new ElfLoader.Executable("hello", TestPrograms.staticHello()),
                    Optional.empty(), new ElfLoader.Process(List.of("hello"), List.of(), 0, 0, new Random(1)),
                    ElfLoader.DEFAULT_PIE_BASE, image);

            StackReader stack = new StackReader(machine, loaded.initialRsp());
            long vdso = stack.aux(Auxv.AT_SYSINFO_EHDR);
            assertThat(machine.memory().read(vdso, 4)).containsExactly(0x7f, 'E', 'L', 'F');
            assertThat(machine.memory().regions()).filteredOn(r -> r.contains(vdso)).extracting(MemoryRegionInfo::name)
                    .containsExactly("[vdso]");
            assertThat(stack.aux(Auxv.AT_MINSIGSTKSZ)).isEqualTo(Auxv.MIN_SIGNAL_STACK);
            assertThat(stack.auxv().getFirst()[0]).as("ARCH_DLINFO comes first").isEqualTo(Auxv.AT_SYSINFO_EHDR);
        }
    }

    private static int[] bytes(byte[] image, long at, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = image[(int) at + i] & 0xff;
        }
        return out;
    }
}
