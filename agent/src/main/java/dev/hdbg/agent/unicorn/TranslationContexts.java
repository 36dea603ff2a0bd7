package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The engine's translation context: QEMU's CPU cluster index, which every translated block carries in its flags and
 * every look-up of a block compares (the jump cache in {@code helper_lookup_tb_ptr} and {@code cpu_exec}, the hash
 * table, and {@code tb_gen_code}, which stamps it). Blocks translated in one context are never found in another, so
 * two programs can leave code translated at the same addresses on the engine and each runs only its own. Unicorn 2.0.1
 * has no call for it: the index is an {@code int} of the engine's {@code CPUState}, written here after the code that
 * reads it was checked byte for byte against Debian's build; on any other library nothing is written and
 * {@link #supported} says why not.
 */
@SuppressWarnings("restricted") // reading the engine's CPUState through the pointer uc_open filled in is this class's job
final class TranslationContexts {
    /** The highest context: the index is shifted into the top byte of a block's flags. */
    static final int MAX = 255;
    /** {@code uc_struct.cpu}, read by {@code uc_emu_stop}. */
    private static final long UC_CPU = 0x180;
    /** {@code CPUState.cluster_index}. */
    private static final long CLUSTER_INDEX = 0x8194;
    /** {@code mov 0x180(%rdi),%rdi} at {@code uc_emu_stop + 0x1d}: the engine's CPU. */
    private static final byte[] EMU_STOP = HexFormat.of().parseHex("488bbf80010000");
    private static final long EMU_STOP_OFFSET = 0x1d;
    /** {@code mov -0x5bc(%rdi),%r8d} (env - 0x5bc: the cluster index) at {@code helper_lookup_tb_ptr + 0xe}. */
    private static final byte[] LOOKUP = HexFormat.of().parseHex("448b8744faffff");
    private static final long LOOKUP_OFFSET = 0xe;
    /** {@code mov 0x8194(%r15),%eax; and $0xffffff,%ebx; shl $0x18,%eax} at {@code tb_gen_code + 0x6b}. */
    private static final byte[] GEN_CODE = HexFormat.of().parseHex("418b879481000081e3ffffff00c1e018");
    private static final long GEN_CODE_OFFSET = 0x6b;

    private static final Optional<String> CHECK = check();
    /** Set by the agent's {@code --no-kept-code} before the first engine: every program then shares one context. */
    private static volatile boolean turnedOff;

    private TranslationContexts() {
    }

    /** Leaves the library's contexts alone for this process ({@code --no-kept-code}). */
    static void turnOff() {
        turnedOff = true;
    }

    /** Why contexts cannot be set with this library, or empty when they can. */
    static Optional<String> refusal() {
        return turnedOff ? Optional.of("turned off (--no-kept-code)") : CHECK;
    }

    static boolean supported() {
        return refusal().isEmpty();
    }

    /** Makes {@code context} (0 to {@link #MAX}) the one blocks are translated and found in from now on. */
    static void set(MemorySegment uc, int context) {
        if (!supported() || context < 0 || context > MAX) {
            throw new IllegalArgumentException("translation context " + context + ": " + refusal().orElse("0 to 255"));
        }
        MemorySegment cpu = uc.reinterpret(UC_CPU + ADDRESS.byteSize()).get(ADDRESS, UC_CPU);
        cpu.reinterpret(CLUSTER_INDEX + JAVA_INT.byteSize()).set(JAVA_INT, CLUSTER_INDEX, context);
    }

    private static Optional<String> check() {
        try {
            if (!"2.0.1".equals(Unicorn.version())) {
                return Optional.of("libunicorn is " + Unicorn.version() + ", not Debian's 2.0.1");
            }
            return mismatch("uc_emu_stop", EMU_STOP_OFFSET, EMU_STOP)
                    .or(() -> mismatch("helper_lookup_tb_ptr_x86_64", LOOKUP_OFFSET, LOOKUP))
                    .or(() -> mismatch("tb_gen_code_x86_64", GEN_CODE_OFFSET, GEN_CODE));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.of("libunicorn.so.2 could not be checked: " + e.getMessage());
        }
    }

    private static Optional<String> mismatch(String function, long offset, byte[] expected) {
        Optional<MemorySegment> at = UnicornNative.symbol(function);
        if (at.isEmpty()) {
            return Optional.of("libunicorn.so.2 does not export " + function);
        }
        byte[] found = LibraryCode.read(at.get().address() + offset, expected.length);
        return Arrays.equals(found, expected) ? Optional.empty()
                : Optional.of(function + " differs from Debian's 2.0.1 build (found " + HexFormat.of().formatHex(found)
                        + ")");
    }
}
