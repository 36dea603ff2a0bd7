package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.Symbol;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.AgentError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;

/**
 * {@code k}: the call stack from frame pointers. Frame 0 executes at rip; each frame whose rbp is a
 * frame pointer (8-aligned, in the stack, at or above its stack pointer) returns to [rbp+8], and
 * the caller's rbp is [rbp]. At a function's first instructions (the symbols say where it starts) and at a
 * {@code ret}, frame 0's return address is on top of the stack instead and rbp is still the caller's
 * ({@link FrameZero}). Without unwind data nothing better is known, so where the chain breaks the output
 * says so instead of guessing.
 */
@Command(name = "k", description = {"Shows the call stack, walking the rbp frame-pointer chain (at most 64 frames).",
        "Code built without frame pointers shows frame 0 and a note saying so."})
final class StackCommand extends SessionCommand {
    static final int MAX_FRAMES = 64;

    StackCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        Map<String, Long> regs = session.await(session.client().readRegisters(List.of("rip", "rsp", "rbp")));
        GuestMemoryMap map = GuestMemoryMap.of(session);
        long rsp = regs.get("rsp");
        long site = regs.get("rip");
        long sp = rsp;
        long fp = regs.get("rbp");
        List<Output.StackFrame> frames = new ArrayList<>();
        String note = null;
        int first = 0;
        OptionalLong slot = frameZeroSlot(site, rsp);
        if (slot.isPresent()) {
            byte[] returnAddress = read(slot.getAsLong(), 8);
            if (returnAddress != null) {
                long caller = LittleEndian.read(returnAddress, 0, 8);
                frames.add(new Output.StackFrame(0, rsp, OptionalLong.of(caller), site));
                site = caller;
                sp = slot.getAsLong() + 8;
                first = 1; // rbp is still the caller's frame pointer: the chain goes on from it
            }
        }
        for (int i = first; ; i++) {
            if (i == MAX_FRAMES) {
                note = "stopped after " + MAX_FRAMES + " frames; the chain goes on at rbp 0x" + Long.toHexString(fp);
                break;
            }
            if (fp == 0 && i > 0) {
                // The outermost frame: its caller's rbp was 0, the usual end of the chain.
                frames.add(new Output.StackFrame(i, sp, OptionalLong.empty(), site));
                break;
            }
            byte[] frame = isFramePointer(map, fp, sp) ? read(fp, 16) : null;
            if (frame == null) {
                frames.add(new Output.StackFrame(i, sp, OptionalLong.empty(), site));
                note = "frames beyond #" + i + " cannot be trusted: rbp 0x" + Long.toHexString(fp) + " is not a frame pointer"
                        + (i == 0 ? leafHint(rsp) : "");
                break;
            }
            long returnAddress = LittleEndian.read(frame, 8, 8);
            frames.add(new Output.StackFrame(i, sp, OptionalLong.of(returnAddress), site));
            site = returnAddress;
            sp = fp + 16;
            fp = LittleEndian.read(frame, 0, 8);
        }
        out().stack(frames, Optional.ofNullable(note));
    }

    private static boolean isFramePointer(GuestMemoryMap map, long fp, long sp) {
        return fp % 8 == 0 && Long.compareUnsigned(fp, sp) >= 0 && map.inStack(fp, 16);
    }

    /**
     * Frame 0's return-address slot when rip is at its function's first instructions or at a {@code ret}
     * ({@link FrameZero}); the function from the target's symbols.
     */
    private OptionalLong frameZeroSlot(long rip, long rsp) {
        Optional<Symbol> function = session.symbols().containing(rip)
                .filter(s -> s.kind().equals("function") || s.kind().equals("ifunc"));
        byte[] atRip = read(rip, 1);
        byte[] atStart = function.map(f -> read(f.address(), FrameZero.PROLOGUE_BYTES)).orElse(null);
        return FrameZero.returnSlot(rip, rsp, function.map(f -> OptionalLong.of(f.address())).orElse(OptionalLong.empty()),
                atStart == null ? new byte[0] : atStart, atRip == null ? new byte[0] : atRip);
    }

    /** {@code length} bytes at {@code address}, or null where it is not mapped. */
    private byte[] read(long address, int length) {
        try {
            return session.await(session.client().readMemory(address, length));
        } catch (AgentError e) {
            if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                throw e;
            }
            return null;
        }
    }

    /** At a function's first instruction the return address is at [rsp]; whether rip is there cannot be known. */
    private String leafHint(long rsp) {
        try {
            byte[] top = session.await(session.client().readMemory(rsp, 8));
            long returnAddress = LittleEndian.read(top, 0, 8);
            return "; if rip is at the first instruction of a function, it returns to [rsp] = 0x"
                    + Long.toHexString(returnAddress) + session.symbols().describe(returnAddress).map(n -> " (" + n + ")").orElse("");
        } catch (AgentError e) {
            if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                throw e;
            }
            return "; rsp 0x" + Long.toHexString(rsp) + " is not mapped either";
        }
    }
}
