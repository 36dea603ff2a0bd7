package dev.hdbg.agent.machine.elf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * The guest's vDSO: the host kernel's own image ({@code linux-vdso.so.1}, read from the agent's process), whose
 * functions are replaced by stubs that make the system call each stands for ({@code clock_gettime} makes
 * {@code clock_gettime}). The image keeps everything else — soname, symbol and version tables, notes — so the
 * dynamic loader sets it up exactly as it does natively on this machine (the same allocations, so the same system
 * calls); its code, which natively reads the kernel's time pages, could not run without them. Time is the agent's
 * {@code GuestClock} either way, at the cost of a system call where natively there is none.
 */
public final class Vdso {
    private static final int AT_SYSINFO_EHDR = 33;
    /** The most the agent reads as the vDSO: Linux's is two pages; anything near this is not one. */
    private static final int MAX_SIZE = 1 << 16;
    private static final Map<String, Integer> CALLS = Map.of("clock_gettime", 228, "gettimeofday", 96, "time", 201,
            "clock_getres", 229, "getcpu", 309, "getrandom", 318);
    /** mov eax, -ENOSYS ; ret: a function the agent does not know says so, as the kernel's fallback would. */
    private static final byte[] UNKNOWN = {(byte) 0xb8, (byte) 0xda, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xc3};
    private static final Optional<byte[]> IMAGE = read();

    private Vdso() {
    }

    /** The stubbed image, or empty when the host gives its processes no vDSO. */
    public static Optional<byte[]> image() {
        return IMAGE.map(byte[]::clone);
    }

    @SuppressWarnings("restricted") // reading the agent's own vDSO: getauxval gives its address, its headers its size
    private static Optional<byte[]> read() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle getauxval = linker.downcallHandle(linker.defaultLookup().find("getauxval").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
            long address = (long) getauxval.invokeExact((long) AT_SYSINFO_EHDR);
            if (address == 0) {
                return Optional.empty();
            }
            MemorySegment header = MemorySegment.ofAddress(address).reinterpret(64);
            long phoff = header.get(ValueLayout.JAVA_LONG_UNALIGNED, 32);
            int phnum = Short.toUnsignedInt(header.get(ValueLayout.JAVA_SHORT_UNALIGNED, 56));
            MemorySegment phdrs = MemorySegment.ofAddress(address + phoff).reinterpret(56L * phnum);
            long size = 0;
            for (int i = 0; i < phnum; i++) {
                if (phdrs.get(ValueLayout.JAVA_INT_UNALIGNED, 56L * i) == ElfImage.PT_LOAD) {
                    size = Math.max(size, phdrs.get(ValueLayout.JAVA_LONG_UNALIGNED, 56L * i + 16)
                            + phdrs.get(ValueLayout.JAVA_LONG_UNALIGNED, 56L * i + 40));
                }
            }
            size = SegmentLayout.roundUp(size); // the kernel maps whole pages, and the section headers lie past p_filesz
            if (size <= 0 || size > MAX_SIZE) {
                return Optional.empty();
            }
            byte[] image = MemorySegment.ofAddress(address).reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
            return Optional.of(stubbed(image));
        } catch (Throwable t) {
            return Optional.empty(); // no vDSO is what a kernel without one gives: glibc makes the system calls
        }
    }

    /** {@code image} with each function's first bytes a stub: {@code mov eax, NR ; syscall ; ret}. */
    static byte[] stubbed(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (Symbols.Symbol s : ElfParser.symbolFile("vdso", image).symbols()) {
            if (!s.kind().equals("function") || s.address() <= 0 || s.address() + 8 > image.length) {
                continue;
            }
            String name = s.name().startsWith("__vdso_") ? s.name().substring(7) : s.name();
            Integer call = CALLS.get(name);
            int at = (int) s.address();
            if (call == null) {
                b.put(at, UNKNOWN);
            } else {
                b.put(at, (byte) 0xb8).putInt(at + 1, call).put(at + 5, (byte) 0x0f).put(at + 6, (byte) 0x05)
                        .put(at + 7, (byte) 0xc3);
            }
        }
        return image;
    }
}
