package dev.hdbg.agent.script;

import dev.hdbg.common.script.PrintfFormat;
import java.nio.charset.StandardCharsets;

/**
 * The helpers compiled scripts call: each is small and static, so the JIT inlines it into the script. Each that can
 * stop a run takes {@code at}, the source offset of the operation, for the error.
 *
 * <p>{@code locals} is the core's array of a compiled script: slot 0 holds the operations the run may still spend, slot
 * 1 how deep script functions are nested, and the script's own locals follow ({@link CompiledScript}).
 */
final class ScriptRuntime {
    static final int BUDGET = 0;
    static final int DEPTH = 1;
    /** Where a script's own locals start in its locals array. */
    static final int FIRST_LOCAL = 2;
    /** A spinlock waits at most this many pauses between two tries, HyperDbg's default. */
    static final long SPINLOCK_MAX_WAIT = 65536;
    /** A spinlock's waiter gives up its core between tries once it has waited this many pauses in one go. */
    private static final long YIELD_AFTER = 1024;

    private ScriptRuntime() {
    }

    // ---- budgets

    /** Spends {@code cost} operations of the run's budget. */
    static void charge(long[] locals, long cost, int at) {
        long left = locals[BUDGET] - cost;
        locals[BUDGET] = left;
        if (left < 0) {
            throw new ScriptFault(ScriptRunException.Kind.OPERATION_BUDGET, at,
                    "the run exceeded its operation budget (1,000,000 by default, as HyperDbg's; each loop iteration"
                            + " counts)");
        }
    }

    /** Before a call of a script function: one level deeper, and the function body's operations spent. */
    static void enter(long[] locals, int maxDepth, long cost, int at) {
        long depth = locals[DEPTH] + 1;
        locals[DEPTH] = depth;
        if (depth > maxDepth) {
            throw callDepth(maxDepth, at);
        }
        charge(locals, cost, at);
    }

    static void leave(long[] locals) {
        locals[DEPTH]--;
    }

    static ScriptFault callDepth(int maxDepth, int at) {
        return new ScriptFault(ScriptRunException.Kind.CALL_DEPTH, at, "script functions nested deeper than "
                + maxDepth + " calls");
    }

    static ScriptFault divisionByZero(int at) {
        return new ScriptFault(ScriptRunException.Kind.DIVISION_BY_ZERO, at, "division by zero");
    }

    static ScriptFault moduloByZero(int at) {
        return new ScriptFault(ScriptRunException.Kind.DIVISION_BY_ZERO, at, "modulo by zero");
    }

    // ---- memory

    static long read(ScriptHost host, long address, int size, int at) {
        try {
            return host.readMemory(address, size);
        } catch (GuestMemoryFault f) {
            throw memoryFault("read", size, address, at);
        }
    }

    /** {@code *address = value}: 8 bytes. */
    static void store(ScriptHost host, long address, long value, int at) {
        if (!host.writeMemory(address, 8, value)) {
            throw memoryFault("write", 8, address, at);
        }
    }

    /** {@code eb ed eq}: 1 when written, 0 when not. */
    static long edit(ScriptHost host, long address, long value, int size) {
        return host.writeMemory(address, size, value) ? 1 : 0;
    }

    static long checkAddress(ScriptHost host, long address) {
        return host.isAddressValid(address, 1) ? 1 : 0;
    }

    /** virtual_to_physical and physical_to_virtual: hdbg's memory is identity-mapped; 0 for an invalid address. */
    static long translate(ScriptHost host, long address) {
        return host.isAddressValid(address, 1) ? address : 0;
    }

    static long instructionLength(ScriptHost host, long address, int bits) {
        return host.instructionLength(address, bits) & 0xffffffffL;
    }

    static void memcpy(ScriptHost host, long[] locals, long destination, long source, long count, int at) {
        // spec: ScriptEngineEval.c FUNC_MEMCPY refuses 0 and anything over 32 bits.
        if (count == 0 || Long.compareUnsigned(count, 0xffffffffL) > 0) {
            throw new ScriptFault(ScriptRunException.Kind.BAD_ARGUMENT, at,
                    "memcpy copies 1 to 0xffffffff bytes, not 0x" + Long.toHexString(count));
        }
        byte[] buffer = new byte[(int) Math.min(count, 4096)];
        long done = 0;
        while (done < count) {
            int length = (int) Math.min(buffer.length, count - done);
            charge(locals, 1 + length / 64, at);
            if (!host.readBytes(source + done, buffer, 0, length)) {
                throw memoryFault("read", length, source + done, at);
            }
            if (!host.writeBytes(destination + done, buffer, 0, length)) {
                throw memoryFault("write", length, destination + done, at);
            }
            done += length;
        }
    }

    static ScriptFault memoryFault(String access, long size, long address, int at) {
        return new ScriptFault(ScriptRunException.Kind.MEMORY_FAULT, at, "cannot " + access + " " + size
                + " byte" + (size == 1 ? "" : "s") + " at 0x" + Long.toHexString(address));
    }

    // ---- strings: a literal's bytes, or null and an address

    /** strlen and wcslen: 0 when the string cannot be read or has no NUL within {@link GuestText#MAX_SCAN}. */
    static long length(ScriptHost host, long[] locals, byte[] literal, long address, int unit, int at) {
        if (literal != null) {
            return literal.length / unit;
        }
        GuestText text = new GuestText(host, locals, at, null, address, unit);
        for (long n = 0; n < GuestText.MAX_SCAN; n++) {
            int c = text.next();
            if (c == 0) {
                return n;
            }
            if (c == GuestText.FAULT) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * strcmp, strncmp, wcscmp, wcsncmp ({@code limit} -1 for no limit) and memcmp ({@code stopAtNul} false): -1, 0 or
     * 1, as MSVC's functions give.
     */
    static long compare(ScriptHost host, long[] locals, byte[] literal1, long address1, byte[] literal2,
                        long address2, long limit, int unit, boolean stopAtNul, int at) {
        GuestText a = new GuestText(host, locals, at, literal1, address1, unit);
        GuestText b = new GuestText(host, locals, at, literal2, address2, unit);
        String function = stopAtNul ? "string comparison" : "memcmp";
        for (long n = 0; limit < 0 || Long.compareUnsigned(n, limit) < 0; n++) {
            if (n >= GuestText.MAX_SCAN && stopAtNul) {
                throw new ScriptFault(ScriptRunException.Kind.BAD_ARGUMENT, at, function + " found no NUL within "
                        + GuestText.MAX_SCAN + " characters");
            }
            int x = a.next();
            int y = b.next();
            checkCharacter(x, a, unit, function, at);
            checkCharacter(y, b, unit, function, at);
            if (x != y) {
                return x < y ? -1 : 1;
            }
            if (x == 0 && stopAtNul) {
                return 0;
            }
        }
        return 0;
    }

    private static void checkCharacter(int c, GuestText text, int unit, String function, int at) {
        if (c == GuestText.FAULT) {
            throw memoryFault("read", unit, text.address(), at);
        }
        if (c == GuestText.PAST_LITERAL) {
            throw new ScriptFault(ScriptRunException.Kind.BAD_ARGUMENT, at, function
                    + " reads past the end of a string literal");
        }
    }

    // ---- atomics on a variable: a global's slot or a main-part local's, in their array

    static long increment(long[] array, int slot) {
        return (long) ScriptGlobals.SLOTS.getAndAdd(array, slot, 1L) + 1;
    }

    static long decrement(long[] array, int slot) {
        return (long) ScriptGlobals.SLOTS.getAndAdd(array, slot, -1L) - 1;
    }

    static long exchange(long[] array, int slot, long value) {
        return (long) ScriptGlobals.SLOTS.getAndSet(array, slot, value);
    }

    static long exchangeAdd(long[] array, int slot, long value) {
        return (long) ScriptGlobals.SLOTS.getAndAdd(array, slot, value);
    }

    static long compareExchange(long[] array, int slot, long exchange, long comperand) {
        return (long) ScriptGlobals.SLOTS.compareAndExchange(array, slot, comperand, exchange);
    }

    static void spinlockLock(long[] array, int slot, long maxWait, long[] locals, int at) {
        long wait = 1;
        while (!ScriptGlobals.SLOTS.compareAndSet(array, slot, 0L, 1L)) {
            wait = backOff(wait, maxWait, locals, at);
        }
    }

    static void spinlockUnlock(long[] array, int slot) {
        ScriptGlobals.SLOTS.setVolatile(array, slot, 0L);
    }

    // ---- atomics on guest memory, through the host (8 bytes, a spinlock 4 as HyperDbg's LONG)

    static long memoryIncrement(ScriptHost host, long address, int at) {
        return memoryAdd(host, address, 1, at) + 1;
    }

    static long memoryDecrement(ScriptHost host, long address, int at) {
        return memoryAdd(host, address, -1, at) - 1;
    }

    static long memoryAdd(ScriptHost host, long address, long value, int at) {
        try {
            return host.getAndAdd(address, 8, value);
        } catch (GuestMemoryFault f) {
            throw memoryFault("update", 8, address, at);
        }
    }

    static long memoryExchange(ScriptHost host, long address, long value, int at) {
        try {
            return host.getAndSet(address, 8, value);
        } catch (GuestMemoryFault f) {
            throw memoryFault("update", 8, address, at);
        }
    }

    static long memoryCompareExchange(ScriptHost host, long address, long exchange, long comperand, int at) {
        try {
            return host.compareAndExchange(address, 8, comperand, exchange);
        } catch (GuestMemoryFault f) {
            throw memoryFault("update", 8, address, at);
        }
    }

    static void memorySpinlockLock(ScriptHost host, long address, long maxWait, long[] locals, int at) {
        long wait = 1;
        try {
            while (host.compareAndExchange(address, 4, 0, 1) != 0) {
                wait = backOff(wait, maxWait, locals, at);
            }
        } catch (GuestMemoryFault f) {
            throw memoryFault("update", 4, address, at);
        }
    }

    static void memorySpinlockUnlock(ScriptHost host, long address, int at) {
        try {
            host.getAndSet(address, 4, 0);
        } catch (GuestMemoryFault f) {
            throw memoryFault("update", 4, address, at);
        }
    }

    /**
     * One failed try of a spinlock: waits, doubling the wait up to {@code maxWait} pauses, as HyperDbg's
     * {@code SpinlockLockWithCustomWait} does; the try and its pauses are spent from the run's budget, so that a lock
     * nobody releases stops the run instead of holding the core for ever.
     */
    private static long backOff(long wait, long maxWait, long[] locals, int at) {
        charge(locals, 1 + wait, at);
        for (long i = 0; i < wait; i++) {
            Thread.onSpinWait();
        }
        if (wait >= YIELD_AFTER) {
            // The holder may be off the CPU, its core taken by waiters like this one (more script threads than
            // cores): spinning on would spend the waiter's budget on the very wait that keeps the holder out.
            Thread.yield();
        }
        return Math.min(wait * 2, Math.max(1, maxWait));
    }

    // ---- the rest

    static void microsleep(ScriptHost host, long[] locals, long microseconds, int at) {
        if (microseconds < 0) {
            throw new ScriptFault(ScriptRunException.Kind.OPERATION_BUDGET, at,
                    "microsleep of 0x" + Long.toHexString(microseconds) + " microseconds exceeds the run's budget");
        }
        charge(locals, microseconds, at);
        host.microsleep(microseconds);
    }

    static void printf(ScriptHost host, long[] locals, PrintfFormat format, long[] args, int at) {
        host.print(PrintfRenderer.render(host, locals, format, args, at));
    }

    /** {@code event_sc(value)}: any value but 0 short-circuits. */
    static void shortCircuit(ScriptHost host, long value) {
        host.shortCircuit(value != 0);
    }

    /** {@code print(value)}: HyperDbg prints {@code "%llx\n"}. */
    static void print(ScriptHost host, long value) {
        host.print((Long.toHexString(value) + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
