package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;

/**
 * Reading and rewriting the loaded libunicorn.so.2's code in this process (the file is not touched), for the patches
 * that verify Debian's 2.0.1 build byte for byte first ({@link StoreFastPath}, {@link SoftTlbSize}): libc's mmap and
 * mprotect.
 */
@SuppressWarnings("restricted") // reading and patching the loaded library's code is this class's job
final class LibraryCode {
    static final long PAGE = 4096;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_FIXED_NOREPLACE = 0x100000;
    private static final long TWO_GIB = 1L << 31;

    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle mprotect;

    LibraryCode() {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    /** The bytes of a listing written as spaced hex pairs ({@code "48 8b 87"}): the patches' windows and stubs. */
    static byte[] hex(String listing) {
        return HexFormat.ofDelimiter(" ").parseHex(listing);
    }

    /**
     * Writes {@code displacement} as the little-endian rel32 at {@code code[at]}: a jump's or call's, or a RIP-relative
     * operand's, which the patches compute from where their code will be.
     *
     * @throws IllegalArgumentException when it is beyond ±2 GiB
     */
    static void putRel32(byte[] code, int at, long displacement) {
        if (displacement != (int) displacement) {
            throw new IllegalArgumentException("displacement " + displacement + " is beyond ±2 GiB");
        }
        putLittleEndian(code, at, displacement, 4);
    }

    /** The little-endian rel32 at {@code code[at]}: a jump's, call's or RIP-relative operand's, as {@link #putRel32} writes it. */
    static int rel32(byte[] code, int at) {
        return code[at] & 0xff | (code[at + 1] & 0xff) << 8 | (code[at + 2] & 0xff) << 16 | code[at + 3] << 24;
    }

    /** Writes {@code value} as the little-endian quad at {@code code[at]}: an address a stub jumps or calls through. */
    static void putQuad(byte[] code, int at, long value) {
        putLittleEndian(code, at, value, 8);
    }

    private static void putLittleEndian(byte[] code, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            code[at + i] = (byte) (value >>> 8 * i);
        }
    }

    /** The {@code length} bytes at {@code address}. */
    static byte[] read(long address, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(length), JAVA_BYTE, 0, bytes, 0, length);
        return bytes;
    }

    /**
     * Writes {@code code} at {@code address} in the library's (read-exec) code: its pages are made writable for the
     * copy and read-exec again after it.
     *
     * @return false when the pages could not be made writable (nothing written)
     * @throws IllegalStateException when they stay writable (mprotect back failed)
     */
    boolean overwrite(long address, byte[] code) {
        long first = address & -PAGE;
        long length = ((address + code.length + PAGE - 1) & -PAGE) - first;
        if (mprotect(first, length, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
            return false;
        }
        MemorySegment.copy(code, 0, MemorySegment.ofAddress(address).reinterpret(code.length), JAVA_BYTE, 0,
                code.length);
        if (mprotect(first, length, PROT_READ | PROT_EXEC) != 0) {
            throw new IllegalStateException("libunicorn.so.2's patched page stays writable: mprotect back failed");
        }
        return true;
    }

    /**
     * Writes {@code value} at {@code address} in the library's read-only data (its RELRO segment: a table of function
     * pointers): the page is made writable for the write and read-only again after it.
     *
     * @return false when the page could not be made writable (nothing written)
     * @throws IllegalStateException when it stays writable (mprotect back failed)
     */
    boolean overwritePointer(long address, long value) {
        long first = address & -PAGE;
        long length = ((address + 8 + PAGE - 1) & -PAGE) - first;
        if (mprotect(first, length, PROT_READ | PROT_WRITE) != 0) {
            return false;
        }
        MemorySegment.ofAddress(address).reinterpret(8).set(JAVA_LONG_UNALIGNED, 0, value);
        if (mprotect(first, length, PROT_READ) != 0) {
            throw new IllegalStateException("libunicorn.so.2's patched table stays writable: mprotect back failed");
        }
        return true;
    }

    /** The pointer at {@code address}. */
    static long readPointer(long address) {
        return MemorySegment.ofAddress(address).reinterpret(8).get(JAVA_LONG_UNALIGNED, 0);
    }

    /** Maps {@code size} read-write bytes below {@code near}, all of them within 2 GiB of it; -1 if none. */
    long mapNear(long near, long size) {
        for (long next = (near & -PAGE) - (1L << 20); near - next < TWO_GIB - size; next -= 1L << 20) {
            long hint = next;
            long at = call(() -> ((MemorySegment) mmap.invokeExact(hint, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0L)).address());
            if (at == hint) {
                return at;
            }
            if (at != -1) { // a kernel older than 4.17 takes MAP_FIXED_NOREPLACE as a hint
                long placed = at;
                call(() -> (long) (int) munmap.invokeExact(placed, size));
            }
        }
        return -1;
    }

    /** Maps {@code size} read-write bytes wherever the kernel likes; -1 if it refuses. */
    long map(long size) {
        return call(() -> ((MemorySegment) mmap.invokeExact(0L, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0L)).address());
    }

    int mprotect(long address, long length, int prot) {
        return (int) call(() -> (long) (int) mprotect.invokeExact(address, length, prot));
    }

    private interface Downcall {
        long invoke() throws Throwable;
    }

    private static long call(Downcall downcall) {
        try {
            return downcall.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("a libc downcall threw", t);
        }
    }
}
