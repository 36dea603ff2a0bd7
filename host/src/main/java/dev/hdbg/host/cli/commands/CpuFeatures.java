package dev.hdbg.host.cli.commands;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The instruction-set extensions HyperDbg's {@code cpu} reports, decoded from CPUID leaves 0, 1, 7, 80000000h,
 * 80000001h and the brand leaves 80000002h-80000004h, with the same names, order and vendor rules (LZCNT, HLE,
 * RTM, SYSCALL and RDTSCP only on Intel; ABM, SSE4a, XOP, TBM, MMXEXT and 3DNow! only on AMD).
 */
record CpuFeatures(String vendor, String brand, Map<String, Boolean> features) {
    /** EAX, EBX, ECX, EDX of a leaf (sub-leaf 0). */
    static CpuFeatures decode(IntFunction<int[]> cpuid) {
        int[] leaf0 = cpuid.apply(0);
        String vendor = text(leaf0[1], leaf0[3], leaf0[2]);
        boolean intel = vendor.equals("GenuineIntel");
        boolean amd = vendor.equals("AuthenticAMD");
        int[] none = new int[4];
        int[] l1 = Integer.compareUnsigned(leaf0[0], 1) >= 0 ? cpuid.apply(1) : none;
        int[] l7 = Integer.compareUnsigned(leaf0[0], 7) >= 0 ? cpuid.apply(7) : none;
        int maxExtended = cpuid.apply(0x8000_0000)[0];
        int[] e1 = Integer.compareUnsigned(maxExtended, 0x8000_0001) >= 0 ? cpuid.apply(0x8000_0001) : none;
        String brand = "";
        if (Integer.compareUnsigned(maxExtended, 0x8000_0004) >= 0) {
            StringBuilder b = new StringBuilder();
            for (int leaf = 0x8000_0002; leaf <= 0x8000_0004; leaf++) {
                int[] r = cpuid.apply(leaf);
                b.append(text(r[0], r[1], r[2], r[3]));
            }
            brand = b.toString().trim();
        }
        Map<String, Boolean> f = new LinkedHashMap<>();
        f.put("3DNOW", amd && bit(e1[3], 31));
        f.put("3DNOWEXT", amd && bit(e1[3], 30));
        f.put("ABM", amd && bit(e1[2], 5));
        f.put("ADX", bit(l7[1], 19));
        f.put("AES", bit(l1[2], 25));
        f.put("AVX", bit(l1[2], 28));
        f.put("AVX2", bit(l7[1], 5));
        f.put("AVX512CD", bit(l7[1], 28));
        f.put("AVX512ER", bit(l7[1], 27));
        f.put("AVX512F", bit(l7[1], 16));
        f.put("AVX512PF", bit(l7[1], 26));
        f.put("BMI1", bit(l7[1], 3));
        f.put("BMI2", bit(l7[1], 8));
        f.put("CLFSH", bit(l1[3], 19));
        f.put("CMPXCHG16B", bit(l1[2], 13));
        f.put("CX8", bit(l1[3], 8));
        f.put("ERMS", bit(l7[1], 9));
        f.put("F16C", bit(l1[2], 29));
        f.put("FMA", bit(l1[2], 12));
        f.put("FSGSBASE", bit(l7[1], 0));
        f.put("FXSR", bit(l1[3], 24));
        f.put("HLE", intel && bit(l7[1], 4));
        f.put("INVPCID", bit(l7[1], 10));
        f.put("LAHF", bit(e1[2], 0));
        f.put("LZCNT", intel && bit(e1[2], 5));
        f.put("MMX", bit(l1[3], 23));
        f.put("MMXEXT", amd && bit(e1[3], 22));
        f.put("MONITOR", bit(l1[2], 3));
        f.put("MOVBE", bit(l1[2], 22));
        f.put("MSR", bit(l1[3], 5));
        f.put("OSXSAVE", bit(l1[2], 27));
        f.put("PCLMULQDQ", bit(l1[2], 1));
        f.put("POPCNT", bit(l1[2], 23));
        f.put("PREFETCHWT1", bit(l7[2], 0));
        f.put("RDRAND", bit(l1[2], 30));
        f.put("RDSEED", bit(l7[1], 18));
        f.put("RDTSCP", intel && bit(e1[3], 27));
        f.put("RTM", intel && bit(l7[1], 11));
        f.put("SEP", bit(l1[3], 11));
        f.put("SHA", bit(l7[1], 29));
        f.put("SSE", bit(l1[3], 25));
        f.put("SSE2", bit(l1[3], 26));
        f.put("SSE3", bit(l1[2], 0));
        f.put("SSE4.1", bit(l1[2], 19));
        f.put("SSE4.2", bit(l1[2], 20));
        f.put("SSE4a", amd && bit(e1[2], 6));
        f.put("SSSE3", bit(l1[2], 9));
        f.put("SYSCALL", intel && bit(e1[3], 11));
        f.put("TBM", amd && bit(e1[2], 21));
        f.put("XOP", amd && bit(e1[2], 11));
        f.put("XSAVE", bit(l1[2], 26));
        return new CpuFeatures(vendor, brand, f);
    }

    private static boolean bit(int register, int bit) {
        return (register >>> bit & 1) != 0;
    }

    /** The registers' bytes as ASCII, little-endian, up to the first NUL. */
    private static String text(int... registers) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * registers.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int r : registers) {
            bytes.putInt(r);
        }
        String s = new String(bytes.array(), StandardCharsets.US_ASCII);
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }
}
