package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.elf.ElfLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first program where gdb shows it, each other at a place of its own, the same every time. */
class ProgramBasesTest {
    @Test
    void theFirstProgramStaysAtTheUsualBaseAndEveryOtherGetsAPlaceOfItsOwnAboveIt() {
        ProgramBases bases = new ProgramBases("/usr/bin/bash");
        assertThat(bases.of("/usr/bin/bash")).isEqualTo(ElfLoader.DEFAULT_PIE_BASE);
        List<String> others = List.of("/usr/bin/cat", "/usr/bin/md5sum", "/usr/bin/gcc",
                "/usr/lib/gcc/x86_64-linux-gnu/12/cc1");
        for (String program : others) {
            long base = bases.of(program);
            assertThat(base).as(program).isGreaterThan(ElfLoader.DEFAULT_PIE_BASE)
                    .isLessThanOrEqualTo(ElfLoader.DEFAULT_PIE_BASE + ProgramBases.PLACES * ProgramBases.STRIDE);
            assertThat((base - ElfLoader.DEFAULT_PIE_BASE) % ProgramBases.STRIDE).isZero();
            assertThat(new ProgramBases("/usr/bin/bash").of(program)).as("the same in another run").isEqualTo(base);
        }
        assertThat(bases.of("/usr/bin/cat")).isNotEqualTo(bases.of("/usr/bin/md5sum"));
        assertThat(bases.of("/usr/bin/gcc")).isNotEqualTo(bases.of("/usr/lib/gcc/x86_64-linux-gnu/12/cc1"));
    }

    @Test
    void everyPlaceLiesBelowTheMmapArea() {
        long highest = ElfLoader.DEFAULT_PIE_BASE + ProgramBases.PLACES * ProgramBases.STRIDE + ProgramBases.STRIDE;
        assertThat(highest).isLessThan(ElfLoader.MMAP_TOP - (64L << 30));
    }
}
