package dev.hdbg.agent.script;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A machine's global variables ({@code .name}): shared by every script and every event of the machine, and by every
 * core. They start at 0, as HyperDbg's do, and keep their value until the machine goes away.
 *
 * <p>Each name gets a slot in one {@code long[]} when a script naming it is compiled; compiled code reads and writes
 * the array directly, and the interlocked and spinlock functions update a slot with {@link VarHandle} atomics, which
 * are atomic with respect to every thread of the agent (each vCPU's, in a later issue). Plain reads and writes are
 * plain, as HyperDbg's are: a script that shares a global between cores uses the interlocked functions or a spinlock.
 */
public final class ScriptGlobals {
    /** The number of globals a machine may have, HyperDbg's {@code MAX_VAR_COUNT}. */
    public static final int CAPACITY = 512;

    static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[CAPACITY];
    private final Map<String, Integer> slots = new LinkedHashMap<>();

    /**
     * The slot of a global, given one if it has none.
     *
     * @param name without its dot
     * @return the slot, or -1 when the machine already has {@link #CAPACITY} globals
     */
    synchronized int slot(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (slots.size() >= CAPACITY) {
            return -1;
        }
        slots.put(name, slots.size());
        return slots.size() - 1;
    }

    /** The array compiled code reads and writes; its identity never changes. */
    long[] values() {
        return values;
    }

    /** The value of a global, if a compiled script names it (for {@code ?} and tests). */
    public OptionalLong value(String name) {
        Integer slot;
        synchronized (this) {
            slot = slots.get(name);
        }
        return slot == null ? OptionalLong.empty() : OptionalLong.of((long) SLOTS.getVolatile(values, (int) slot));
    }

    /**
     * Sets a global, giving it a slot if it has none.
     *
     * @throws IllegalStateException when the machine already has {@link #CAPACITY} other globals
     */
    public void set(String name, long value) {
        int slot = slot(name);
        if (slot < 0) {
            throw new IllegalStateException("the machine already has " + CAPACITY + " global variables");
        }
        SLOTS.setVolatile(values, slot, value);
    }
}
