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
 * <p>Unicorn writes only a register's own width (2 bytes for a selector) and nothing at all for CR8, so a batch's
 * values are zeroed before a read unless they hold only what reads of the same registers left there (zero beyond each
 * width). A batch writes its register ids only when the registers differ from its last call's: a hot condition reads
 * the same 29 and 19 registers every hit, and writing their ids and zeroing their values each time was a tenth of the
 * hit (docs/benchmarks.md, "The hot hit path, wave 10").
 */
final class Registers {
    private static final int XMM_BYTES = 16;
    /** uc_x86_mmr {uint16 selector; uint64 base at 8; uint32 limit at 16; uint32 flags at 20}. */
    private static final int MMR_BYTES = 24;
    private static final long MMR_BASE = 8;
    /** Stands in a batch for a descriptor-table register, which is then read on its own (see {@link #readBatch}). */
    private static final int STAND_IN = X86Reg.RIP.ucId();

    private final MemorySegment uc;
    private final Arena arena;
    /** 24 bytes: one register, one XMM register, a uc_x86_msr {uint32 rid; uint64 value at 8} or a uc_x86_mmr. */
    private final MemorySegment scratch;
    /**
     * One register's value on the Java heap, for uc_reg_read and uc_reg_write of a plain register (the hot path of a
     * script condition: one read a hit). A heap segment belongs to the global session, so a call does not acquire and
     * release the engine's shared arena (two atomic updates a call, a tenth of a hot script hit in a profile);
     * docs/benchmarks.md, "Exit path, wave 5".
     */
    private final long[] one = new long[1];
    private final MemorySegment oneSegment = MemorySegment.ofArray(one);
    private Batch[] batches = new Batch[0];
    /** How many times a batch's ids were written, and its values zeroed: for the tests. */
    private long idWrites;
    private long zeroFills;

    Registers(MemorySegment uc, Arena arena) {
        this.uc = uc;
        this.arena = arena;
        this.scratch = arena.allocate(MMR_BYTES, 16);
    }

    long read(X86Reg reg) {
        if (reg.isDescriptorTable()) {
            return readMmr(reg).get(JAVA_LONG, MMR_BASE);
        }
        one[0] = 0;
        int err = UnicornNative.call(UnicornNative.REG_READ, uc, reg.ucId(), oneSegment);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read(" + reg + ")");
        }
        return one[0];
    }

    void write(X86Reg reg, long value) {
        if (reg.isDescriptorTable()) {
            readMmr(reg).set(JAVA_LONG, MMR_BASE, value); // the limit, selector and flags stay as they are
            check(UnicornNative.call(UnicornNative.REG_WRITE, uc, reg.ucId(), scratch), "uc_reg_write(" + reg + ", " + hex(value) + ")");
            return;
        }
        one[0] = value;
        int err = UnicornNative.call(UnicornNative.REG_WRITE, uc, reg.ucId(), oneSegment);
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
        boolean descriptorTables = batch.hold(regs);
        if (!batch.clean) {
            batch.values.fill((byte) 0);
            zeroFills++;
            batch.clean = true;
        }
        int err = UnicornNative.call(UnicornNative.REG_READ_BATCH, uc, batch.ids, batch.pointers, count);
        if (err != 0) {
            throw UnicornException.of(err, "uc_reg_read_batch(" + Arrays.toString(regs) + ")");
        }
        MemorySegment.copy(batch.values, JAVA_LONG, 0, out, 0, count);
        if (descriptorTables) {
            for (int i = 0; i < count; i++) {
                if (regs[i].isDescriptorTable()) {
                    out[i] = read(regs[i]);
                }
            }
        }
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
        batch.clean = false; // the values written stay in the buffers, wider than a narrow register's read
        if (batch.hold(regs)) {
            // Rare (a core's whole register set): one call per register rather than a stand-in that would be written.
            for (int i = 0; i < count; i++) {
                write(regs[i], values[i]);
            }
            return;
        }
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
        return scratch.asSlice(0, XMM_BYTES).toArray(JAVA_BYTE);
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

    /** Reads {@code reg}'s whole uc_x86_mmr into {@link #scratch}, which it returns. */
    private MemorySegment readMmr(X86Reg reg) {
        scratch.fill((byte) 0);
        check(UnicornNative.call(UnicornNative.REG_READ, uc, reg.ucId(), scratch), "uc_reg_read(" + reg + ")");
        return scratch;
    }

    private static void check(int err, String call) {
        if (err != 0) {
            throw UnicornException.of(err, call);
        }
    }

    private static void checkXmm(int index) {
        if (index < 0 || index > 15) {
            throw new IllegalArgumentException("XMM" + index + " is not one of XMM0 .. XMM15");
        }
    }

    long idWrites() {
        return idWrites;
    }

    long zeroFills() {
        return zeroFills;
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
    private final class Batch {
        final MemorySegment ids;
        final MemorySegment values;
        final MemorySegment pointers;
        /** The registers {@link #ids} names, a copy (the caller may reuse one array with other contents). */
        private final X86Reg[] held;
        private boolean holding;
        private boolean descriptorTables;
        /** Whether {@link #values} holds only what reads of {@link #held} left there: zero beyond each one's width. */
        boolean clean;

        Batch(Arena arena, int count) {
            ids = arena.allocate(JAVA_INT, count);
            values = arena.allocate(JAVA_LONG, count);
            pointers = arena.allocate(ADDRESS, count);
            held = new X86Reg[count];
            for (int i = 0; i < count; i++) {
                pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
            }
        }

        /**
         * Makes {@link #ids} name {@code regs}, writing them only when they differ from the last call's. A
         * descriptor-table register, which Unicorn would write 24 bytes of into an eight-byte slot, is given a
         * stand-in's id. New ids leave the values unclean: a narrow register's slot may hold another's upper bytes.
         *
         * @return whether any register is a descriptor-table register
         */
        boolean hold(X86Reg[] regs) {
            if (holding && sameAsHeld(regs)) {
                return descriptorTables;
            }
            boolean tables = false;
            for (int i = 0; i < regs.length; i++) {
                boolean table = regs[i].isDescriptorTable();
                tables |= table;
                ids.setAtIndex(JAVA_INT, i, table ? STAND_IN : regs[i].ucId());
            }
            System.arraycopy(regs, 0, held, 0, regs.length);
            holding = true;
            descriptorTables = tables;
            clean = false;
            idWrites++;
            return tables;
        }

        private boolean sameAsHeld(X86Reg[] regs) {
            for (int i = 0; i < regs.length; i++) {
                if (regs[i] != held[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
