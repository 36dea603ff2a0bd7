package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.LibraryCode.hex;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A run's budget of translated blocks: a UC_HOOK_BLOCK whose callback is twenty bytes of native code, not an upcall,
 * that counts down a word and stops the engine ({@code uc_emu_stop}) when it goes below zero. The guest's time slices
 * use it once a program has a second thread or process ({@link Unicorn#limitBlocks}).
 *
 * <p>Why not Unicorn's own {@code count}: it puts a C hook before every instruction, which makes the translator write
 * the guest's registers and flags back before each one. A register-only loop ran 17 times slower counted (stop 19,
 * "Time slices"), and a program run from a shell script ({@code sh -c 'md5sum F; true'}: the shell waits while its
 * child runs) ran md5sum 5.5 times slower than alone (stop 48). A block hook is called once per block, where the
 * registers are written back already, and one without an upcall costs a call and a decrement.
 *
 * <p>Exact, as the instruction count was: Unicorn 2.0.1 emits the block hook before the block's exit check
 * ({@code translator_loop}), so a stop there ends the run before any instruction of the block. The engine puts RIP at
 * the block's start then, except while a code hook covers an instruction inside the block ({@link StopsBetweenBlocks}):
 * so the stub also records the block's address, and {@link Unicorn#emuStart} puts RIP there after a spent budget. And
 * deterministic: a program's blocks, not the host's time, decide where a slice ends.
 */
@SuppressWarnings("restricted") // the stub is code this class writes and maps executable
final class BlockBudget {
    /**
     * The callback, {@code void (uc_engine *uc, uint64_t address, uint32_t size, void *budget)}: {@code mov [rcx + 8],
     * rsi; dec qword [rcx]; jl stop; ret; stop: jmp [rip]; .quad uc_emu_stop} (a tail call: {@code rdi} is the engine
     * already; the jump through memory reaches the library from any page, where a page within 2 GiB of it was
     * sometimes not to be had). A budget of n lets n blocks begin: the one after them takes the word below zero. The
     * second word is the block about to begin: where the run stopped when the budget was spent.
     */
    static byte[] stub(long emuStop) {
        byte[] code = hex("48 89 71 08 48 ff 09 7c 01 c3 ff 25 00 00 00 00"
                + " 00 00 00 00 00 00 00 00");
        LibraryCode.putQuad(code, 16, emuStop);
        return code;
    }

    /** The stub, mapped once for every engine (each gives it a budget of its own); null until first needed. */
    private static MemorySegment callback;

    /** The stub's address, in a page of its own mapped read-exec. */
    static synchronized MemorySegment callback() {
        if (callback == null) {
            long emuStop = UnicornNative.symbol("uc_emu_stop").orElseThrow().address();
            LibraryCode libc = new LibraryCode();
            long page = libc.map(LibraryCode.PAGE);
            if (page == -1) {
                throw new IllegalStateException("the host refused a page for the block budget's code");
            }
            byte[] code = stub(emuStop);
            MemorySegment.copy(code, 0, MemorySegment.ofAddress(page).reinterpret(code.length), JAVA_BYTE, 0,
                    code.length);
            if (libc.mprotect(page, LibraryCode.PAGE, LibraryCode.PROT_READ | LibraryCode.PROT_EXEC) != 0) {
                throw new IllegalStateException("mprotect of the block budget's code failed");
            }
            callback = MemorySegment.ofAddress(page);
        }
        return callback;
    }

    /** The word the stub counts down (blocks the run may still begin), then the block it was called for last. */
    private final MemorySegment remaining;

    BlockBudget(Arena arena) {
        remaining = arena.allocate(2 * JAVA_LONG.byteSize(), JAVA_LONG.byteAlignment());
        remaining.set(JAVA_LONG, 0, Long.MAX_VALUE);
    }

    /** The {@code user_data} to give the hook. */
    MemorySegment word() {
        return remaining;
    }

    /** The next run may begin {@code blocks} blocks (more than zero), or any number ({@code Long.MAX_VALUE}). */
    void set(long blocks) {
        remaining.set(JAVA_LONG, 0, blocks);
    }

    /** Whether the last run stopped because its budget was spent. */
    boolean spent() {
        return remaining.get(JAVA_LONG, 0) < 0;
    }

    /** The first instruction of the block the spent budget stopped before: where RIP belongs. */
    long stoppedAt() {
        return remaining.get(JAVA_LONG, 8);
    }
}
