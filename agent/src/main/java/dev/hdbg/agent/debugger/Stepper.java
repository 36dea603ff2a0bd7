package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.common.event.GuestRegister;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Works out how to carry out {@code t}, {@code p} and {@code gu} from where the guest stands; the
 * execution loop runs the guest as told. One instruction is run with a code hook over every
 * address (see {@link Cpu#step}); stepping over a call sets a one-shot breakpoint on its return
 * address; stepping out watches for a {@code ret} that leaves RSP above where it started.
 */
final class Stepper {
    private final Machine machine;
    private final Breakpoints breakpoints;

    Stepper(Machine machine, Breakpoints breakpoints) {
        this.machine = machine;
        this.breakpoints = breakpoints;
    }

    /** What the loop does next for a step. */
    sealed interface Plan {
        /** Run exactly one instruction, then stop. */
        record One() implements Plan {
        }

        /** A one-shot breakpoint is set: run until it (or anything else) stops the guest. */
        record RunToOneShot() implements Plan {
        }
    }

    /**
     * For {@code p} before anything ran: a REP-string or LOOP instruction is stepped over whole by
     * a one-shot breakpoint right after it; anything else is run one instruction at a time and
     * {@link #afterOverStep} decides.
     */
    Plan planOver() {
        long rip = machine.rip();
        byte[] code = machine.memory().readUpTo(rip, 15);
        int i = 0;
        boolean rep = false;
        while (i < code.length && isPrefix(code[i])) {
            rep |= code[i] == (byte) 0xf3 || code[i] == (byte) 0xf2;
            i++;
        }
        if (i < code.length) {
            int op = code[i] & 0xff;
            boolean string = op >= 0xa4 && op <= 0xa7 || op >= 0xaa && op <= 0xaf || op == 0x6c || op == 0x6d
                    || op == 0x6e || op == 0x6f;
            if (rep && string) {
                breakpoints.addOneShot(rip + i + 1, 0);
                return new Plan.RunToOneShot();
            }
            if (op >= 0xe0 && op <= 0xe2 && i + 1 < code.length) {
                breakpoints.addOneShot(rip + i + 2, 0);
                return new Plan.RunToOneShot();
            }
        }
        return new Plan.One();
    }

    /**
     * After {@code p} ran one instruction from {@code ripBefore} with {@code rspBefore}: it was a
     * call if RSP went down by 8 and the pushed value is a return address just past it; then run
     * to that return address, once RSP is back above the pushed slot.
     *
     * @return true when a one-shot breakpoint was set and the guest must run on
     */
    boolean afterOverStep(long ripBefore, long rspBefore) {
        long rsp = machine.read(GuestRegister.RSP);
        if (rsp != rspBefore - 8) {
            return false;
        }
        byte[] slot = machine.memory().readUpTo(rsp, 8);
        if (slot.length < 8) {
            return false;
        }
        long pushed = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (Long.compareUnsigned(pushed, ripBefore) <= 0 || Long.compareUnsigned(pushed, ripBefore + 15) > 0) {
            return false;
        }
        breakpoints.addOneShot(pushed, rsp);
        return true;
    }

    /**
     * For {@code gu}: a hook over every address that stops right after a {@code ret} leaves RSP
     * above {@code rspAtStart} — the current function's own return, not a callee's.
     */
    Cpu.Hook watchReturn(long rspAtStart, Runnable onReturned) {
        boolean[] previousWasRet = {false};
        return machine.cpu().beforeEveryInstruction((address, size) -> {
            if (previousWasRet[0] && Long.compareUnsigned(machine.read(GuestRegister.RSP), rspAtStart) > 0) {
                previousWasRet[0] = false;
                onReturned.run();
                return;
            }
            previousWasRet[0] = Tracking.kind(machine.memory().readUpTo(address, Math.min(size, 4)))
                    == Tracking.Previous.RETURN;
        });
    }

    /**
     * Where the opcode of the instruction in {@code code} is: after its legacy and REX prefixes (the length if none);
     * for {@link Tracking#kind} and {@link DirectSteps#entersTheSystem}.
     */
    static int opcodeIndex(byte[] code) {
        int i = 0;
        while (i < code.length && isPrefix(code[i])) {
            i++;
        }
        return i;
    }

    private static boolean isPrefix(byte b) {
        int v = b & 0xff;
        return v == 0xf2 || v == 0xf3 || v == 0x66 || v == 0x67 || v == 0x2e || v == 0x36 || v == 0x3e || v == 0x26
                || v == 0x64 || v == 0x65 || (v >= 0x40 && v <= 0x4f);
    }
}
