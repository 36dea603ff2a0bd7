package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.Access;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Cpu#onProtectionFault}: which accesses reach the hook, and only inside its range. */
class CpuProtectionFaultTest {
    private static final long CODE = 0x1000;
    private static final long READ_ONLY = 0x3000;
    /** mov byte ptr [0x3000], 1; hlt. */
    private static final byte[] WRITE_TO_READ_ONLY = {(byte) 0xc6, 0x04, 0x25, 0x00, 0x30, 0x00, 0x00, 0x01, (byte) 0xf4};

    private record Seen(Access access, long address) {
    }

    private static Cpu cpuWithAReadOnlyPage() {
        Cpu cpu = UnicornCpu.open();
        cpu.map(CODE, 0x1000, EnumSet.of(Access.READ, Access.EXECUTE));
        cpu.writeMemory(CODE, WRITE_TO_READ_ONLY);
        cpu.map(READ_ONLY, 0x1000, Set.of(Access.READ));
        return cpu;
    }

    @Test
    void aWriteToAReadOnlyPageReachesTheHookWithItsAddressAndFaultsWhenRefused() {
        try (Cpu cpu = cpuWithAReadOnlyPage()) {
            List<Seen> seen = new ArrayList<>();
            cpu.onProtectionFault(EnumSet.allOf(Access.class), 0, 0x7fff_ffff_ffffL, (access, address, size, value) -> {
                seen.add(new Seen(access, address));
                return false;
            });

            assertThatThrownBy(() -> cpu.run(CODE)).isInstanceOf(CpuException.class);

            assertThat(seen).containsExactly(new Seen(Access.WRITE, READ_ONLY));
            assertThat(cpu.readMemory(READ_ONLY, 1)).containsExactly(0);
        }
    }

    @Test
    void aFaultOutsideTheHooksRangeOrKindDoesNotReachIt() {
        try (Cpu cpu = cpuWithAReadOnlyPage()) {
            List<Seen> seen = new ArrayList<>();
            cpu.onProtectionFault(EnumSet.allOf(Access.class), 0x5000, 0x5fff, (access, address, size, value) ->
                    seen.add(new Seen(access, address)));
            cpu.onProtectionFault(EnumSet.of(Access.READ, Access.EXECUTE), 0, 0x7fff_ffff_ffffL,
                    (access, address, size, value) -> seen.add(new Seen(access, address)));

            assertThatThrownBy(() -> cpu.run(CODE)).isInstanceOf(CpuException.class);

            assertThat(seen).isEmpty();
        }
    }
}
