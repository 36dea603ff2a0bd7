package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a new process's stack as Linux does ({@code do_execveat_common} in {@code fs/exec.c}, then
 * {@code create_elf_tables} in {@code fs/binfmt_elf.c}), from the top down:
 * <pre>
 *   stackTop - 8            8 zero bytes (bprm-&gt;p starts one pointer below the top)
 *                           the program path (AT_EXECFN), NUL-terminated
 *                           envp strings, argv strings (argv[0] lowest: copy_strings works backwards)
 *   aligned down to 16      "x86_64" (AT_PLATFORM)
 *                           16 random bytes (AT_RANDOM)
 *                           padding, so that RSP ends 16-byte aligned
 *   rsp                     argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv pairs ending with AT_NULL
 * </pre>
 * Unlike Linux, the stack top is not randomized ({@code arch_align_stack}): a debugger's guest should put its
 * stack at the same place on every run.
 */
final class InitialStack {
    static final String PLATFORM = "x86_64";
    /** Linux refuses more than a quarter of the stack limit for argument and environment strings (E2BIG). */
    static final long MAX_STRINGS_FRACTION = 4;

    /**
     * The auxiliary-vector values that depend on the image, the interpreter, the CPU and the user; the rest are
     * constants of this machine.
     *
     * @param base   where the interpreter was loaded ({@code AT_BASE}); 0 without one
     * @param hwcap  CPUID.1:EDX of the emulated CPU, as x86 Linux reports it
     */
    record ImageFacts(long phdr, long phnum, long entry, long base, long hwcap, int uid, int gid, long vdso) {
    }

    /**
     * The stack as built.
     *
     * @param rsp          RSP at the entry, pointing at {@code argc}
     * @param bytes        the stack's contents from {@code rsp} to the top of the stack
     * @param randomBytes  where the 16 {@code AT_RANDOM} bytes are
     * @param execfn       where the program path ({@code AT_EXECFN}) is
     * @param auxv         the auxiliary vector as key-value pairs, {@code AT_NULL} last: what
     *                     {@code /proc/self/auxv} reads
     */
    record Layout(long rsp, byte[] bytes, long randomBytes, long execfn, long[] auxv) {
    }

    private InitialStack() {
    }

    /**
     * Lays out the stack ending at {@code stackTop}.
     *
     * @throws IllegalArgumentException when the strings take more than a quarter of {@code stackSize}, or one
     *                                  contains a NUL (which would split it in the guest's eyes)
     */
    static Layout build(long stackTop, long stackSize, String execfn, List<String> argv, List<String> envp,
            ImageFacts image, byte[] random) {
        if (random.length != 16) {
            throw new IllegalArgumentException("AT_RANDOM needs 16 bytes, not " + random.length);
        }
        // Strings are placed downwards from the top; their guest addresses are known as they are placed.
        List<byte[]> pieces = new ArrayList<>();
        long execfnAt = stackTop - 8 - terminated(execfn, pieces).length;
        long[] envpAt = place(envp, pieces, execfnAt);
        long envpBottom = envp.isEmpty() ? execfnAt : envpAt[0];
        long[] argvAt = place(argv, pieces, envpBottom);
        long stringsBottom = argv.isEmpty() ? envpBottom : argvAt[0];
        if (stackTop - stringsBottom > stackSize / MAX_STRINGS_FRACTION) {
            throw new IllegalArgumentException("the arguments and environment take 0x"
                    + Long.toHexString(stackTop - stringsBottom) + " bytes, more than a quarter of the 0x"
                    + Long.toHexString(stackSize) + "-byte stack (E2BIG)");
        }
        long platformAt = (stringsBottom & -16) - (PLATFORM.length() + 1);
        long randomAt = platformAt - 16;

        long[] dlinfo = image.vdso() != 0
                ? new long[] {Auxv.AT_SYSINFO_EHDR, image.vdso(), Auxv.AT_MINSIGSTKSZ, Auxv.MIN_SIGNAL_STACK}
                : new long[] {Auxv.AT_MINSIGSTKSZ, Auxv.MIN_SIGNAL_STACK};
        long[] table = {
            // create_elf_tables's order, after x86-64's ARCH_DLINFO: AT_SYSINFO_EHDR (with a vDSO), AT_MINSIGSTKSZ.
            Auxv.AT_HWCAP, image.hwcap(),
            Auxv.AT_PAGESZ, GuestMemory.PAGE,
            Auxv.AT_CLKTCK, Auxv.CLOCK_TICKS,
            Auxv.AT_PHDR, image.phdr(),
            Auxv.AT_PHENT, 56,
            Auxv.AT_PHNUM, image.phnum(),
            Auxv.AT_BASE, image.base(),
            Auxv.AT_FLAGS, 0,
            Auxv.AT_ENTRY, image.entry(),
            Auxv.AT_UID, image.uid(),
            Auxv.AT_EUID, image.uid(),
            Auxv.AT_GID, image.gid(),
            Auxv.AT_EGID, image.gid(),
            Auxv.AT_SECURE, 0, // no set-user-id: the loader honours LD_LIBRARY_PATH and the like
            Auxv.AT_RANDOM, randomAt,
            Auxv.AT_HWCAP2, 0,
            Auxv.AT_EXECFN, execfnAt,
            Auxv.AT_PLATFORM, platformAt,
            Auxv.AT_NULL, 0,
        };
        long[] auxv = new long[dlinfo.length + table.length];
        System.arraycopy(dlinfo, 0, auxv, 0, dlinfo.length);
        System.arraycopy(table, 0, auxv, dlinfo.length, table.length);
        long words = 1 + (argv.size() + 1) + (envp.size() + 1) + auxv.length;
        // STACK_ROUND: the table goes below the strings and RSP is rounded down to 16, so RSP % 16 == 0 at entry.
        long rsp = (randomAt - words * 8) & -16;

        ByteBuffer stack = ByteBuffer.allocate(Math.toIntExact(stackTop - rsp)).order(ByteOrder.LITTLE_ENDIAN);
        stack.putLong(argv.size());
        for (long a : argvAt) {
            stack.putLong(a);
        }
        stack.putLong(0);
        for (long e : envpAt) {
            stack.putLong(e);
        }
        stack.putLong(0);
        for (long v : auxv) {
            stack.putLong(v);
        }
        stack.put((int) (randomAt - rsp), random);
        stack.put((int) (platformAt - rsp), terminated(PLATFORM, new ArrayList<>()));
        long at = stringsBottom;
        for (byte[] piece : pieces.reversed()) {
            stack.put((int) (at - rsp), piece);
            at += piece.length;
        }
        return new Layout(rsp, stack.array(), randomAt, execfnAt, auxv.clone());
    }

    /**
     * Places {@code strings} so that they end at {@code end}, the first lowest; records their bytes in
     * {@code pieces} last-first (the order they are placed, downwards) and returns their addresses in list order.
     */
    private static long[] place(List<String> strings, List<byte[]> pieces, long end) {
        long[] at = new long[strings.size()];
        long p = end;
        for (int i = strings.size() - 1; i >= 0; i--) {
            p -= terminated(strings.get(i), pieces).length;
            at[i] = p;
        }
        return at;
    }

    private static byte[] terminated(String s, List<byte[]> pieces) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a string for the guest's stack contains a NUL: " + s.replace('\0', '@'));
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, bytes, 0, utf8.length);
        pieces.add(bytes);
        return bytes;
    }
}
