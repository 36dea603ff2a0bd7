package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/cpuinfo} of the machine the guest runs on, from the CPUID it sees ({@link Source}): one processor (the
 * count {@code nproc} and {@code sysconf} give), its vendor, family, model, name and Linux's names of its feature flags.
 * Build scripts count processors there ({@code grep -c processor /proc/cpuinfo}), programs look up flags.
 */
final class CpuInfo {
    /** CPUID: EAX, EBX, ECX and EDX of {@code leaf}, sub-leaf {@code subleaf}, as the guest's own instruction sees them. */
    @FunctionalInterface
    interface Source {
        long[] cpuid(long leaf, long subleaf);
    }

    // Linux's names (arch/x86/include/asm/cpufeatures.h) of CPUID's bits, bit 0 first; null where Linux shows none.
    private static final String[] LEAF1_EDX = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
            null, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", null, "dts", "acpi", "mmx", "fxsr",
            "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    private static final String[] LEAF1_ECX = {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
            "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1", "sse4_2",
            "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", null, "avx", "f16c", "rdrand",
            "hypervisor"};
    private static final String[] EXT_EDX = {null, null, null, null, null, null, null, null, null, null, null,
            "syscall", null, null, null, null, null, null, null, "mp", "nx", null, "mmxext", null, null, "fxsr_opt",
            "pdpe1gb", "rdtscp", null, "lm", "3dnowext", "3dnow"};
    private static final String[] EXT_ECX = {"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a",
            "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", null, "lwp", "fma4", "tce", null,
            "nodeid_msr", null, "tbm", "topoext", "perfctr_core", "perfctr_nb", null, "bpext", "ptsc", "perfctr_llc",
            "mwaitx", null, null};
    private static final String[] LEAF7_EBX = {"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", null, "smep",
            "bmi2", "erms", "invpcid", "rtm", "cqm", null, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
            "smap", "avx512ifma", null, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd", "sha_ni",
            "avx512bw", "avx512vl"};
    private static final String[] LEAF7_ECX = {null, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2",
            null, "gfni", "vaes", "vpclmulqdq", "avx512_vnni", "avx512_bitalg", null, "avx512_vpopcntdq", null, "la57",
            null, null, null, null, null, "rdpid", null, null, "cldemote", null, "movdiri", "movdir64b", null, null,
            null};

    private CpuInfo() {
    }

    /** The file's text. */
    static String of(Source cpu) {
        long[] zero = cpu.cpuid(0, 0);
        long maxLeaf = zero[0] & 0xffff_ffffL;
        String vendor = ascii(zero[1], zero[3], zero[2]);
        long[] one = cpu.cpuid(1, 0);
        long signature = one[0];
        long family = (signature >> 8) & 0xf;
        long model = (signature >> 4) & 0xf;
        if (family == 6 || family == 15) {
            model |= ((signature >> 16) & 0xf) << 4;
        }
        if (family == 15) {
            family += (signature >> 20) & 0xff;
        }
        long maxExtended = cpu.cpuid(0x8000_0000L, 0)[0] & 0xffff_ffffL;
        List<String> flags = new ArrayList<>();
        add(flags, LEAF1_EDX, one[3]);
        add(flags, LEAF1_ECX, one[2]);
        if (maxExtended >= 0x8000_0001L) {
            long[] ext = cpu.cpuid(0x8000_0001L, 0);
            add(flags, EXT_EDX, ext[3]);
            add(flags, EXT_ECX, ext[2]);
        }
        if (maxLeaf >= 7) {
            long[] seven = cpu.cpuid(7, 0);
            add(flags, LEAF7_EBX, seven[1]);
            add(flags, LEAF7_ECX, seven[2]);
        }
        String name = maxExtended >= 0x8000_0004L ? brand(cpu) : vendor;
        String sizes = "";
        if (maxExtended >= 0x8000_0008L) {
            long a = cpu.cpuid(0x8000_0008L, 0)[0];
            sizes = (a & 0xff) + " bits physical, " + ((a >> 8) & 0xff) + " bits virtual";
        }
        long clflush = ((one[1] >> 8) & 0xff) * 8;
        StringBuilder text = new StringBuilder();
        line(text, "processor", "0");
        line(text, "vendor_id", vendor);
        line(text, "cpu family", Long.toString(family));
        line(text, "model", Long.toString(model));
        line(text, "model name", name);
        line(text, "stepping", Long.toString(signature & 0xf));
        line(text, "physical id", "0");
        line(text, "siblings", "1");
        line(text, "core id", "0");
        line(text, "cpu cores", "1");
        line(text, "apicid", "0");
        line(text, "fpu", (one[3] & 1) != 0 ? "yes" : "no");
        line(text, "fpu_exception", "yes");
        line(text, "cpuid level", Long.toString(maxLeaf));
        line(text, "wp", "yes");
        line(text, "flags", String.join(" ", flags));
        line(text, "clflush size", Long.toString(clflush));
        line(text, "cache_alignment", Long.toString(clflush));
        line(text, "address sizes", sizes);
        line(text, "power management", "");
        return text.append('\n').toString();
    }

    private static void add(List<String> flags, String[] names, long register) {
        for (int bit = 0; bit < 32; bit++) {
            if ((register & (1L << bit)) != 0 && names[bit] != null) {
                flags.add(names[bit]);
            }
        }
    }

    /** The processor's brand string, CPUID 0x80000002 to 0x80000004, trimmed. */
    private static String brand(Source cpu) {
        StringBuilder name = new StringBuilder();
        for (long leaf = 0x8000_0002L; leaf <= 0x8000_0004L; leaf++) {
            long[] r = cpu.cpuid(leaf, 0);
            name.append(ascii(r[0], r[1], r[2], r[3]));
        }
        return name.toString().replace("\0", "").trim();
    }

    /** The registers' bytes in order, four each (little-endian), as text. */
    private static String ascii(long... registers) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * registers.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long r : registers) {
            bytes.putInt((int) r);
        }
        return new String(bytes.array(), StandardCharsets.ISO_8859_1).replace("\0", "");
    }

    /** Linux's layout: the name padded with tabs to two tab stops, a colon, the value. */
    private static void line(StringBuilder text, String name, String value) {
        text.append(name).append(name.length() < 8 ? "\t\t" : "\t").append(": ").append(value).append('\n');
    }
}
