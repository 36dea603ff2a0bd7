package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.UnicornException.hex;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Register access for one engine, through native scratch buffers allocated once: a single register, an XMM
 * register or a {@code uc_x86_msr}, and one set of batch buffers per batch size. In steady state no call
 * allocates, on the Java heap or natively.
 *
 * <p>Buffers are zeroed before each read: Unicorn writes only a register's own width (2 bytes for a selector)
 * and nothing at all for CR8.
 */
final class Registers {
    private static final int XMM_BYTES = 16;

    private final MemorySegment uc;
    private final Arena arena;
    /** 16 bytes: one register, one XMM register, or a uc_x86_msr {uint32 rid; uint64 value at offset 8}. */
    private final MemorySegment scratch;
    private Batch[] batches = new Batch[0];

    Registers(MemorySegment uc, Arena arena) {
        this.uc = uc;
        this.arena = arena;
        this.scratch = arena.allocate(XMM_BYTES, 16);
    }

    long read(X86Reg reg) {
        scratch.set(JAVA_LONG, 0, 0L);
        int err = UnicornNative.call(UnicornNative.REG_READ, uc, reg.ucId(), scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read(" + reg + ")");
        }
        return scratch.get(JAVA_LONG, 0);
    }

    void write(X86Reg reg, long value) {
        scratch.set(JAVA_LONG, 0, value);
        int err = UnicornNative.call(UnicornNative.REG_WRITE, uc, reg.ucId(), scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_write(" + reg + ", " + hex(value) + ")");
        }
    }

    void readBatch(X86Reg[] regs, long[] out) {
        int count = regs.length;
        if (out.length < count) {
            throw new IllegalArgumentException("out holds " + out.length + " values for " + count + " registers");
        }
        if (count == 0) {
            return;
        }
        Batch batch = batch(count);
        batch.setIds(regs);
        batch.values.fill((byte) 0);
        int err = UnicornNative.call(UnicornNative.REG_READ_BATCH, uc, batch.ids, batch.pointers, count);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read_batch(" + Arrays.toString(regs) + ")");
        }
        MemorySegment.copy(batch.values, JAVA_LONG, 0, out, 0, count);
    }

    void writeBatch(X86Reg[] regs, long[] values) {
        int count = regs.length;
        if (values.length < count) {
            throw new IllegalArgumentException("values holds " + values.length + " values for " + count + " registers");
        }
        if (count == 0) {
            return;
        }
        Batch batch = batch(count);
        batch.setIds(regs);
        MemorySegment.copy(values, 0, batch.values, JAVA_LONG, 0, count);
        int err = UnicornNative.call(UnicornNative.REG_WRITE_BATCH, uc, batch.ids, batch.pointers, count);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_write_batch(" + Arrays.toString(regs) + ")");
        }
    }

    byte[] readXmm(int index) {
        checkXmm(index);
        scratch.fill((byte) 0);
        int err = UnicornNative.call(UnicornNative.REG_READ, uc, UnicornNative.UC_X86_REG_XMM0 + index, scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read(XMM" + index + ")");
        }
        return scratch.toArray(JAVA_BYTE);
    }

    void writeXmm(int index, byte[] sixteenBytes) {
        checkXmm(index);
        if (sixteenBytes.length != XMM_BYTES) {
            throw new IllegalArgumentException("an XMM register holds 16 bytes, not " + sixteenBytes.length);
        }
        MemorySegment.copy(sixteenBytes, 0, scratch, JAVA_BYTE, 0, XMM_BYTES);
        int err = UnicornNative.call(UnicornNative.REG_WRITE, uc, UnicornNative.UC_X86_REG_XMM0 + index, scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_write(XMM" + index + ")");
        }
    }

    long readMsr(int msr) {
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, 0L);
        int err = UnicornNative.call(UnicornNative.REG_READ, uc, UnicornNative.UC_X86_REG_MSR, scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read(MSR " + hex(msr & 0xffff_ffffL) + ")");
        }
        return scratch.get(JAVA_LONG, 8);
    }

    void writeMsr(int msr, long value) {
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, value);
        int err = UnicornNative.call(UnicornNative.REG_WRITE, uc, UnicornNative.UC_X86_REG_MSR, scratch);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_write(MSR " + hex(msr & 0xffff_ffffL) + ", " + hex(value) + ")");
        }
    }

    /** uc_x86_mmr {uint16 selector; uint64 base; uint32 limit; uint32 flags}: 24 bytes with padding. */
    void writeGdtr(long base, int limit) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment mmr = temp.allocate(24, 8);
            mmr.set(JAVA_LONG, 8, base);
            mmr.set(JAVA_INT, 16, limit);
            int err = UnicornNative.call(UnicornNative.REG_WRITE, uc, UnicornNative.UC_X86_REG_GDTR, mmr);
            if (err != 0) {
                throw UnicornException.of(err, "uc_reg_write(GDTR " + hex(base) + ")");
            }
        }
    }

    private static void checkXmm(int index) {
        if (index < 0 || index > 15) {
            throw new IllegalArgumentException("XMM" + index + " is not one of XMM0 .. XMM15");
        }
    }

    private Batch batch(int count) {
        if (count >= batches.length) {
            batches = Arrays.copyOf(batches, count + 1);
        }
        Batch batch = batches[count];
        if (batch == null) {
            batch = new Batch(arena, count);
            batches[count] = batch;
        }
        return batch;
    }

    /** uc_reg_*_batch arguments for {@code count} registers: ids, eight-byte values, and pointers to them. */
    private static final class Batch {
        final MemorySegment ids;
        final MemorySegment values;
        final MemorySegment pointers;

        Batch(Arena arena, int count) {
            ids = arena.allocate(JAVA_INT, count);
            values = arena.allocate(JAVA_LONG, count);
            pointers = arena.allocate(ADDRESS, count);
            for (int i = 0; i < count; i++) {
                pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
            }
        }

        // The ids are written every call: the caller may reuse one array with different contents.
        void setIds(X86Reg[] regs) {
            for (int i = 0; i < regs.length; i++) {
                ids.setAtIndex(JAVA_INT, i, regs[i].ucId());
            }
        }
    }
}
