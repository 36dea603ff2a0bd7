package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.UnicornException.hex;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The hooks of one engine and their upcall stubs. Each hook's stub lives in its own shared arena: removing the
 * hook frees the stub, at once when no emulation runs, otherwise when the outermost {@code emuStart} returns
 * (the hook may be removing itself, and its stub is then still on the native stack). A live hook's record keeps
 * the callback strongly reachable.
 *
 * <p>Adding or removing a code or block hook drops the translated blocks of its range, and adding a MEM_READ
 * hook drops all of them: see {@link TranslationCache} for why. With {@link StopsBetweenBlocks} on, so do adding a
 * MEM_WRITE hook and removing the last memory hook: the blocks' checks for a stop after each access follow them.
 */
final class HookTable {
    private final Unicorn owner;
    private final MemorySegment uc;
    private final TranslationCache cache;
    private final MemorySegment handleOut;
    private final Set<NativeHook> live = new LinkedHashSet<>();
    private final List<Arena> retired = new ArrayList<>();

    HookTable(Unicorn owner, MemorySegment uc, TranslationCache cache, Arena arena) {
        this.owner = owner;
        this.uc = uc;
        this.cache = cache;
        this.handleOut = arena.allocate(JAVA_LONG);
    }

    /** Adds a hook of {@code type} (not UC_HOOK_INSN) on [begin, end]. */
    Hook add(int type, long begin, long end, Object callback, Function<Arena, MemorySegment> stubFactory,
            String description) {
        Objects.requireNonNull(callback, "callback");
        Arena stubArena = Arena.ofShared();
        try {
            // No user_data: each stub is bound to its own callback.
            hookAdd(type, stubFactory.apply(stubArena), MemorySegment.NULL, begin, end, description);
        } catch (RuntimeException | Error e) {
            stubArena.close();
            throw e;
        }
        NativeHook hook = register(type, begin, end, callback, stubArena);
        dropTranslationsFor(type, begin, end);
        return hook;
    }

    /**
     * Adds a hook of {@code type} on every address whose callback is native code, not an upcall, with
     * {@code userData}; it lives as long as the engine (nothing to retire: no stub of this table's).
     */
    void addNative(int type, MemorySegment callback, MemorySegment userData, String description) {
        hookAdd(type, callback, userData, 1L, 0L, description);
        dropTranslationsFor(type, 1L, 0L);
    }

    private void hookAdd(int type, MemorySegment callback, MemorySegment userData, long begin, long end,
            String description) {
        int err = UnicornNative.call(UnicornNative.HOOK_ADD, uc, handleOut, type, callback, userData, begin, end);
        if (err != 0) {
            throw UnicornException.of(err, "uc_hook_add(" + description + ", " + hex(begin) + ", " + hex(end) + ")");
        }
    }

    /**
     * Drops the translated code a new hook of {@code type} on [begin, end] must reach: blocks translated before a code
     * or block hook would run without calling it, and before a read hook without the slow path that reports reads.
     */
    private void dropTranslationsFor(int type, long begin, long end) {
        if ((type & (HookType.CODE | HookType.BLOCK)) != 0) {
            cache.dropRange(begin, end);
        }
        if ((type & (HookType.MEM_READ | HookType.MEM_READ_AFTER)) != 0
                || (type & HookType.MEM_WRITE) != 0 && StopsBetweenBlocks.on() && liveOf(CHECKED_ACCESSES) == 1) {
            cache.dropAll(); // for a write hook, only the first of the memory hooks: the checks are there after it
        }
    }

    /**
     * The memory hooks whose presence makes the translator check for a stop after every access
     * ({@link StopsBetweenBlocks}): the first of them and the last must change the code already translated.
     */
    private static final int CHECKED_ACCESSES = HookType.MEM_READ | HookType.MEM_WRITE | HookType.MEM_READ_AFTER;

    /** Adds a UC_HOOK_INSN hook for {@code instruction} (a {@code uc_x86_insn}) on every address. */
    Hook addInstruction(int instruction, Object callback, Function<Arena, MemorySegment> stubFactory,
            String description) {
        Objects.requireNonNull(callback, "callback");
        Arena stubArena = Arena.ofShared();
        try {
            MemorySegment stub = stubFactory.apply(stubArena);
            // UC_HOOK_INSN on every address (begin above end) for one uc_x86_insn, the variadic argument.
            int err = UnicornNative.call(UnicornNative.HOOK_ADD_INSN, uc, handleOut, HookType.INSN, stub,
                    MemorySegment.NULL, 1L, 0L, instruction);
            if (err != 0) {
                throw UnicornException.of(err, "uc_hook_add(UC_HOOK_INSN, " + description + ")");
            }
        } catch (RuntimeException | Error e) {
            stubArena.close();
            throw e;
        }
        return register(HookType.INSN, 1, 0, callback, stubArena);
    }

    void remove(Hook hook) {
        Objects.requireNonNull(hook, "hook");
        if (!(hook instanceof NativeHook nativeHook) || nativeHook.table != this) {
            throw new IllegalArgumentException("the hook belongs to another Unicorn instance");
        }
        if (!live.contains(nativeHook)) {
            return;
        }
        int err = UnicornNative.call(UnicornNative.HOOK_DEL, uc, nativeHook.handle);
        if (err != 0) {
            throw UnicornException.of(err, "uc_hook_del(" + nativeHook.handle + ")");
        }
        live.remove(nativeHook);
        if ((nativeHook.type & (HookType.CODE | HookType.BLOCK)) != 0) {
            cache.dropRange(nativeHook.begin, nativeHook.end);
        }
        if ((nativeHook.type & CHECKED_ACCESSES) != 0 && !anyLive(CHECKED_ACCESSES) && StopsBetweenBlocks.on()) {
            cache.dropAll(); // its blocks check for a stop after each access, where a stop from elsewhere is inexact
        }
        if (owner.emulating()) {
            retired.add(nativeHook.stubArena);
        } else {
            nativeHook.stubArena.close();
        }
    }

    /**
     * Frees the stubs of hooks removed during the emulation that just ended. Called after every outermost run, so
     * each machine-code condition's call into vmx-root: usually nothing is retired, and then nothing is allocated (an
     * iterator over the empty list was the one allocation of a hot condition hit; docs/benchmarks.md, "Hot hits,
     * wave 11").
     */
    void releaseRetired() {
        if (retired.isEmpty()) {
            return;
        }
        for (Arena arena : retired) {
            arena.close();
        }
        retired.clear();
    }

    /** After {@code uc_close}: frees every stub. */
    void releaseAll() {
        releaseRetired();
        for (NativeHook hook : live) {
            hook.stubArena.close();
        }
        live.clear();
    }

    int liveCount() {
        return live.size();
    }

    /** Whether a hook of one of {@code types} is on the engine (this table's; not Unicorn's own count hook). */
    boolean anyLive(int types) {
        return liveOf(types) > 0;
    }

    /** How many hooks of {@code types} are on the engine (this table's). */
    private int liveOf(int types) {
        int count = 0;
        for (NativeHook hook : live) {
            if ((hook.type & types) != 0) {
                count++;
            }
        }
        return count;
    }

    private NativeHook register(int type, long begin, long end, Object callback, Arena stubArena) {
        NativeHook hook = new NativeHook(this, handleOut.get(JAVA_LONG, 0), type, begin, end, callback, stubArena);
        live.add(hook);
        return hook;
    }

    private static final class NativeHook implements Hook {
        final HookTable table;
        final long handle;
        final int type;
        final long begin;
        final long end;
        final Arena stubArena;
        /** Held so the callback stays reachable while Unicorn may call it. */
        final Object callback;

        NativeHook(HookTable table, long handle, int type, long begin, long end, Object callback, Arena stubArena) {
            this.table = table;
            this.handle = handle;
            this.type = type;
            this.begin = begin;
            this.end = end;
            this.callback = callback;
            this.stubArena = stubArena;
        }

        @Override
        public void close() {
            table.owner.hookDel(this);
        }
    }
}
