package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.RegisterList;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * spec: GUEST_REGS, the guest's sixteen general-purpose registers in the order rax, rcx, rdx,
 * rbx, rsp, rbp, rsi, rdi, r8 .. r15, eight bytes each (rax at 0x00 .. r15 at 0x78).
 *
 * <p>A frame loads the guest's registers once per exit, writes them into the vmx-root copy code
 * sees through RCX/RDX, and applies the code's changes back to the guest.
 */
public final class GuestRegs {
    public static final int COUNT = 16;
    public static final long SIZE = COUNT * 8L;
    public static final int RAX_OFFSET = 0x00;
    public static final int RCX_OFFSET = 0x08;
    public static final int RDX_OFFSET = 0x10;
    public static final int RBX_OFFSET = 0x18;
    public static final int RSP_OFFSET = 0x20;
    public static final int R15_OFFSET = 0x78;

    private final long[] values = new long[COUNT];
    private final long[] scratch = new long[COUNT];
    private boolean loaded;

    /** Forgets the loaded values (the guest changed, by a break or an earlier action). */
    public void invalidate() {
        loaded = false;
    }

    /** Whether the frame holds the guest's registers (read since the last {@link #invalidate}). */
    public boolean isLoaded() {
        return loaded;
    }

    /** Loads the frame from {@code registers}, read by the caller with more: GUEST_REGS' sixteen first, in order. */
    void loadFrom(long[] registers) {
        System.arraycopy(registers, 0, values, 0, COUNT);
        loaded = true;
    }

    /** The guest's registers, read once per frame. */
    public long[] load(Cpu guest) {
        if (!loaded) {
            guest.read(RegisterList.GPRS, values);
            loaded = true;
        }
        return values;
    }

    /**
     * One general-purpose register ({@code index} in GUEST_REGS order): from the frame when it is loaded, else read
     * alone, so that a script testing {@code @rdi} on a hot event reads one register, not sixteen.
     */
    public long get(Cpu guest, int index) {
        return loaded ? values[index] : guest.read(RegisterList.GPRS.get(index));
    }

    /** Copies the frame into the root's GUEST_REGS structure. */
    public void store(Cpu guest, MemorySegment structure) {
        // One bulk copy: sixteen checked stores were not all inlined into a hot condition's hit (a profile showed the
        // segment's alignment check called on its own; docs/benchmarks.md, "Hot hits, wave 11").
        MemorySegment.copy(load(guest), 0, structure, ValueLayout.JAVA_LONG, 0, COUNT);
    }

    /**
     * spec: "you can modify them directly and these registers will apply to the guest". Writes to
     * the guest the registers the code changed in {@code structure}; returns whether any did.
     */
    public boolean applyChanges(Cpu guest, MemorySegment structure) {
        long[] v = load(guest);
        boolean changed = false;
        for (int i = 0; i < COUNT; i++) {
            scratch[i] = structure.getAtIndex(ValueLayout.JAVA_LONG, i);
            changed |= scratch[i] != v[i];
        }
        if (changed) {
            guest.write(RegisterList.GPRS, scratch);
            System.arraycopy(scratch, 0, values, 0, COUNT);
        }
        return changed;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
