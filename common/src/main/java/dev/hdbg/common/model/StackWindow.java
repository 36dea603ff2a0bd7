package dev.hdbg.common.model;

/**
 * The stack around a stop that a step asks to be read with its reply (since 1.15, "step.stop-memory"): from
 * {@code belowRsp} bytes below rsp to {@code pastRsp} bytes past it, or to {@code pastRbp} bytes past rbp when rbp is
 * at most {@code frameSpan} above rsp (a frame pointer of the current frame). gdb reads there after every
 * {@code stepi} to find the caller's frame (docs/benchmarks.md, "The stack with the step's reply, wave 6").
 * Never more than {@link #MAX_BYTES}: the agent bounds what an untrusted request may make it read and send.
 */
public record StackWindow(int belowRsp, int pastRsp, int pastRbp, int frameSpan) {
    /** The most a window reads, whatever it asks for. */
    public static final int MAX_BYTES = 4096;

    /**
     * The red zone below rsp, 128 bytes past it, 0xc0 past a frame within 4 KiB: what gdb reads after most steps. The
     * gdb bridge asks for 0x40 bytes more past rbp (its {@code StopMemory.WINDOW}), for the read of main's caller's
     * frame after a step that returns into main.
     */
    public static final StackWindow GDB = new StackWindow(128, 128, 0xc0, 4096);

    public StackWindow {
        if (belowRsp < 0 || pastRsp < 0 || pastRbp < 0 || frameSpan < 0) {
            throw new IllegalArgumentException("a stack window's sizes are not negative: " + belowRsp + ", " + pastRsp
                    + ", " + pastRbp + ", " + frameSpan);
        }
    }

    /** The first address read at a stop with {@code rsp}: below rsp, unless that would wrap below address 0. */
    public long start(long rsp) {
        return Long.compareUnsigned(rsp, Math.min(belowRsp, MAX_BYTES)) >= 0 ? rsp - Math.min(belowRsp, MAX_BYTES) : rsp;
    }

    /** How many bytes from {@link #start} are read at a stop with {@code rsp} and {@code rbp}: at most {@link #MAX_BYTES}. */
    public int length(long rsp, long rbp) {
        long end = rsp + pastRsp;
        if (Long.compareUnsigned(rbp, rsp) >= 0 && rbp - rsp <= frameSpan) {
            end = Math.max(end, rbp + pastRbp);
        }
        long length = end - start(rsp);
        if (Long.compareUnsigned(end, rsp) < 0) {
            length = -start(rsp); // past the top of the address space: up to it
        }
        return (int) Math.max(0, Math.min(length, MAX_BYTES));
    }
}
