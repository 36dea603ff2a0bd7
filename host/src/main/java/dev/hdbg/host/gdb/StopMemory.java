package dev.hdbg.host.gdb;

import dev.hdbg.host.client.DebuggerClient;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Guest memory for gdb's {@code m} while the target stays stopped, with the stack read ahead: after every stop gdb
 * reads the stack to find the caller's frame ({@code m RBP,40} after each {@code stepi} of a gcc -O0 program, seen
 * with {@code set debug remote 1}; from rsp where there is no frame pointer). The read, from rsp up to past rbp, is
 * asked for as the stop is reported, so it crosses the network while gdb takes in the stop reply, not after gdb asks;
 * a read the range does not hold goes to the agent as before. Anything that may change memory (a resume, a write, a
 * {@code monitor} command) forgets it.
 */
final class StopMemory {
    /** Read beyond rsp: gdb reads 0x40 bytes at the frame, rounded up. */
    static final int STACK_AHEAD = 128;
    /**
     * Read beyond rbp: gdb also reads 0x40 bytes at rbp+0x80 (26 of 454 reads over 400 stepi of bench/latency.sh's
     * program, {@code set debug remote 1}).
     */
    static final int FRAME_AHEAD = 0xc0;
    /**
     * Read below rsp: in a function's prologue and epilogue gdb reads 0x40 bytes from 16 or 24 bytes below rsp (211 of
     * the 454 reads, each a round trip of its own while the read started at rsp); the red zone's 128 bytes cover them.
     */
    static final int BELOW_RSP = 128;
    /** An rbp further above rsp than this is no frame pointer of the current frame: only rsp's part is read. */
    static final long FRAME_SPAN = 4096;

    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    private long prefetchedAt;
    private int prefetchedLength;
    private CompletableFuture<byte[]> prefetched;
    private int served;

    StopMemory(DebuggerClient client, RegisterFile.Replies replies) {
        this.client = client;
        this.replies = replies;
    }

    /** The target stopped with {@code rsp} and {@code rbp}: starts reading the stack from below rsp to past rbp. */
    void stopped(long rsp, long rbp) {
        long end = rsp + STACK_AHEAD;
        if (Long.compareUnsigned(rbp, rsp) >= 0 && rbp - rsp <= FRAME_SPAN) {
            end = Math.max(end, rbp + FRAME_AHEAD);
        }
        // Below the stack's lowest page the read fails as a whole, and every read is then asked for exactly: as before.
        long start = Long.compareUnsigned(rsp, BELOW_RSP) >= 0 ? rsp - BELOW_RSP : rsp;
        prefetchedAt = start;
        prefetchedLength = (int) (end - start);
        prefetched = client.readMemory(start, prefetchedLength);
    }

    /** Memory may have changed: what was read ahead is not used. */
    void forget() {
        prefetched = null;
    }

    /**
     * {@code length} bytes at {@code address}: from the stack read ahead when it holds them all and succeeded, else
     * from the agent.
     *
     * @throws dev.hdbg.host.client.AgentError as the agent's read fails
     */
    byte[] read(long address, int length) {
        CompletableFuture<byte[]> ahead = prefetched;
        long offset = address - prefetchedAt;
        if (ahead != null && offset >= 0 && offset + length <= prefetchedLength) {
            byte[] stack = replies.await(ahead.exceptionally(failure -> null)); // unmapped: read exactly, below
            if (stack != null) {
                served++;
                return Arrays.copyOfRange(stack, (int) offset, (int) offset + length);
            }
        }
        return replies.await(client.readMemory(address, length));
    }

    /** How many reads were answered from the stack read ahead (for tests). */
    int servedAhead() {
        return served;
    }
}
