package dev.hdbg.host.gdb;

import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StackWindow;
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
    /**
     * The read ahead, asked with the step as well (since 1.15, "step.stop-memory"): from 128 bytes below rsp (in a
     * function's prologue and epilogue gdb reads 0x40 bytes from 16 or 24 bytes below rsp: 211 of 454 reads over 400
     * stepi of bench/latency.sh's program, {@code set debug remote 1}, each a round trip of its own while the read
     * started at rsp), to 128 past rsp (gdb reads 0x40 bytes at the frame, rounded up) or 0x100 past an rbp at most
     * 4 KiB above rsp: gdb also reads 0x40 bytes at rbp+0x80 (26 of the 454), and, after a step that returns into
     * main, 0x40 bytes at rbp+0x90, the frame of main's caller in glibc's start-up code (20 of 320 reads over 300
     * stepi of bench/step_target.c, wave 8: each a round trip of its own while the window ended 0xc0 past rbp, as
     * {@link StackWindow#GDB} does). 0x40 bytes more a step's reply.
     */
    static final StackWindow WINDOW = new StackWindow(128, 128, 0x100, 4096);

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
        // Below the stack's lowest page the read fails as a whole, and every read is then asked for exactly: as before.
        prefetchedAt = WINDOW.start(rsp);
        prefetchedLength = WINDOW.length(rsp, rbp);
        prefetched = client.readMemory(prefetchedAt, prefetchedLength);
    }

    /**
     * The target stopped, and the step's reply brought the stack read there ({@link #WINDOW}): no read of the agent's.
     * An unreadable stack (no bytes) leaves every read to the agent, to meet the fault there.
     */
    void stoppedWith(StackBytes stack) {
        if (stack.data().length == 0) {
            prefetched = null;
            return;
        }
        prefetchedAt = stack.address();
        prefetchedLength = stack.data().length;
        prefetched = CompletableFuture.completedFuture(stack.data());
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
