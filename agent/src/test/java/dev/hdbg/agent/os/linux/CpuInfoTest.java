package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /proc/cpuinfo from CPUID: the values the agent's guest CPU gives (read with a program's own CPUID instruction). */
class CpuInfoTest {
    /** The four registers of a leaf whose 16 bytes are {@code text}, as the vendor and brand leaves hold them. */
    private static long[] text(String text) {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
    }

    private static final Map<Long, long[]> GUEST = Map.of(
            0L, new long[] {0xd, 0x68747541, 0x444d4163, 0x69746e65}, // "AuthenticAMD" in EBX, EDX, ECX
            1L, new long[] {0x663, 0x800, 0x02182200, 0x07888111},
            7L, new long[] {0, 0x00180108, 0, 0},
            0x80000000L, new long[] {0x80000008L, 0, 0, 0},
            0x80000001L, new long[] {0x663, 0, 0x1031, 0xa8000800L},
            0x80000002L, text("QEMU Virtual CPU"),
            0x80000003L, text(" version 2.5+\0\0\0"),
            0x80000004L, new long[] {0, 0, 0, 0},
            0x80000008L, new long[] {0x3028, 0, 0, 0});

    @Test
    void theGuestsCpuidReadsAsLinuxShowsIt() {
        String info = CpuInfo.of((leaf, subleaf) -> GUEST.getOrDefault(leaf, new long[4]));
        assertThat(info).startsWith("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 6\nmodel\t\t: 6\n"
                        + "model name\t: QEMU Virtual CPU version 2.5+\nstepping\t: 3\n")
                .contains("\ncpuid level\t: 13\n", "\nclflush size\t: 64\n",
                        "\naddress sizes\t: 40 bits physical, 48 bits virtual\n")
                .contains("\nflags\t\t: fpu tsc cx8 cmov clflush mmx fxsr sse sse2 ssse3 cx16 sse4_1 sse4_2 aes syscall "
                        + "rdtscp lm 3dnow lahf_lm cr8_legacy abm skinit bmi1 bmi2 adx smap\n")
                .endsWith("\n\n");
    }

    @Test
    void anExtendedModelCountsForFamilySix() {
        // family 6, model 5, extended model 5: Linux's model 85 (a Skylake server)
        Map<Long, long[]> intel = Map.of(0L, new long[] {0x16, 0x756e6547, 0x6c65746e, 0x49656e69}, // GenuineIntel
                1L, new long[] {0x50657, 0, 0, 1});
        String info = CpuInfo.of((leaf, subleaf) -> intel.getOrDefault(leaf, new long[4]));
        assertThat(info).contains("vendor_id\t: GenuineIntel\n", "model\t\t: 85\n", "stepping\t: 7\n",
                "model name\t: GenuineIntel\n", "flags\t\t: fpu\n");
    }
}
