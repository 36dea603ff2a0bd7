package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;

/**
 * The x86-64 signal frame Linux pushes for a handler ({@code struct rt_sigframe}, arch/x86/kernel/signal.c) and pops
 * at {@code rt_sigreturn}:
 * <pre>
 *   frame + 0     pretcode: the return address, sa_restorer (glibc's __restore_rt: rt_sigreturn)
 *   frame + 8     struct ucontext: uc_flags, uc_link, uc_stack (24 bytes), uc_mcontext (struct sigcontext, 256
 *                 bytes: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags, cs/gs/fs/ss, err, trapno,
 *                 oldmask, cr2, fpstate, reserved), uc_sigmask
 *   frame + 312   siginfo_t (128 bytes)
 *   fpstate       512 bytes in FXSAVE layout, 64-byte aligned, above the frame
 * </pre>
 * The handler starts with RSP at the frame (8 below a 16-byte boundary, as after a call), RDI the signal, RSI the
 * siginfo, RDX the ucontext. glibc's {@code ucontext_t} agrees with this layout in every field a handler reads.
 */
final class SignalFrame {
    static final int SIZE = 8 + 304 + SignalInfo.SIZE;
    static final int UCONTEXT = 8;
    static final int STACK = UCONTEXT + 16;
    static final int MCONTEXT = UCONTEXT + 40;
    static final int SIGMASK = UCONTEXT + 296;
    static final int INFO = UCONTEXT + 304;
    static final int FPSTATE_SIZE = 512;
    /** The red zone below RSP the psABI lets leaf functions use: the frame goes below it. */
    static final int RED_ZONE = 128;
    /** UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS: the frame's SS is the interrupted one. No XSTATE: FXSAVE layout. */
    private static final long UC_FLAGS = 2 | 4;
    /** struct sigcontext's general registers, in its order. */
    static final X86Reg[] GREGS = {X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
        X86Reg.R15, X86Reg.RDI, X86Reg.RSI, X86Reg.RBP, X86Reg.RBX, X86Reg.RDX, X86Reg.RAX, X86Reg.RCX, X86Reg.RSP,
        X86Reg.RIP, X86Reg.RFLAGS};
    static final int RAX = 13;
    static final int RSP = 15;
    static final int RIP = 16;
    static final int RFLAGS = 17;

    /**
     * Why the thread stopped, as the sigcontext records a fault: {@code trapno} (the vector), {@code err} (the error
     * code), {@code cr2} (a page fault's address). All zero for a signal that is not a fault.
     */
    record Trap(long trapno, long err, long cr2) {
        static final Trap NONE = new Trap(0, 0, 0);
    }

    /** The alternate stack as {@code uc_stack} records it: where, its flags, its size. */
    record AltStack(long sp, int flags, long size) {
    }

    private SignalFrame() {
    }

    /**
     * Lays out a frame at {@code frame} with the FPU state at {@code fpstate}.
     *
     * @param gregs   the interrupted registers in {@link #GREGS} order, as the handler's return must restore them
     * @param oldMask the blocked set to restore
     */
    static void write(UserMemory user, Unicorn cpu, long frame, long fpstate, long restorer, long[] gregs, Trap trap,
            long oldMask, AltStack stack, SignalInfo info) {
        ByteBuffer b = UserMemory.struct(SIZE);
        b.putLong(0, restorer).putLong(UCONTEXT, UC_FLAGS).putLong(UCONTEXT + 8, 0);
        b.putLong(STACK, stack.sp()).putInt(STACK + 8, stack.flags()).putLong(STACK + 16, stack.size());
        for (int i = 0; i < GREGS.length; i++) {
            b.putLong(MCONTEXT + 8 * i, gregs[i]);
        }
        int segments = MCONTEXT + 8 * GREGS.length;
        b.putShort(segments, (short) cpu.regRead(X86Reg.CS)).putShort(segments + 6, (short) cpu.regRead(X86Reg.SS));
        b.putLong(segments + 8, trap.err()).putLong(segments + 16, trap.trapno()).putLong(segments + 24, oldMask)
                .putLong(segments + 32, trap.cr2()).putLong(segments + 40, fpstate);
        b.putLong(SIGMASK, oldMask);
        b.put(INFO, info.bytes());
        user.write(frame, b.array());
        user.write(fpstate, fxsave(cpu));
    }

    /** What {@code rt_sigreturn} finds in the frame at {@code frame}. */
    record Saved(long[] gregs, long mask, long fpstate) {
    }

    static Saved read(UserMemory user, long frame) {
        ByteBuffer b = UserMemory.struct(SIZE).put(user.read(frame, SIZE));
        long[] gregs = new long[GREGS.length];
        for (int i = 0; i < GREGS.length; i++) {
            gregs[i] = b.getLong(MCONTEXT + 8 * i);
        }
        return new Saved(gregs, b.getLong(SIGMASK), b.getLong(MCONTEXT + 8 * GREGS.length + 40));
    }

    /** The FPU and SSE state in FXSAVE layout: control and status words, MXCSR, XMM0-15 (the x87 stack is left out). */
    static byte[] fxsave(Unicorn cpu) {
        ByteBuffer f = UserMemory.struct(FPSTATE_SIZE);
        f.putShort(0, (short) cpu.regRead(X86Reg.FPCW)).putShort(2, (short) cpu.regRead(X86Reg.FPSW));
        f.putInt(24, (int) cpu.regRead(X86Reg.MXCSR)).putInt(28, 0xffff);
        for (int i = 0; i < 16; i++) {
            f.put(160 + 16 * i, cpu.regReadXmm(i));
        }
        return f.array();
    }

    /** Puts back what {@link #fxsave} saved, as the handler may have changed it (a printf uses XMM registers). */
    static void restoreFpu(UserMemory user, Unicorn cpu, long fpstate) {
        restoreFpu(cpu, user.read(fpstate, FPSTATE_SIZE));
    }

    /** Puts {@code fxsave}'s state (FXSAVE layout, {@link #fxsave}'s parts of it) on the CPU: a tracer's SETFPREGS. */
    static void restoreFpu(Unicorn cpu, byte[] fxsave) {
        ByteBuffer f = UserMemory.struct(FPSTATE_SIZE).put(fxsave);
        cpu.regWrite(X86Reg.FPCW, Short.toUnsignedLong(f.getShort(0)));
        cpu.regWrite(X86Reg.MXCSR, Integer.toUnsignedLong(f.getInt(24)));
        for (int i = 0; i < 16; i++) {
            byte[] xmm = new byte[16];
            f.get(160 + 16 * i, xmm);
            cpu.regWriteXmm(i, xmm);
        }
    }
}
