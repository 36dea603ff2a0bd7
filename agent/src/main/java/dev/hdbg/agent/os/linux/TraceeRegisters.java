package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;
import dev.hdbg.agent.unicorn.Unicorn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A stopped tracee's registers as ptrace shows them: x86-64's {@code struct user_regs_struct} (PTRACE_GETREGS,
 * PTRACE_SETREGS, the NT_PRSTATUS register set) and the words of {@code struct user} PTRACE_PEEKUSER and
 * PTRACE_POKEUSER reach (the registers, then the debug registers at {@code u_debugreg}). The thread is off the CPU:
 * its registers are its core's ({@link Vcpus}). {@code orig_rax} is the number of the call it stopped in or last
 * made, -1 after a fault; the segment selectors are a 64-bit Linux process's (CS 0x33, SS 0x2b, the others 0). The FPU
 * and SSE state (PTRACE_GETFPREGS, NT_PRFPREG) is a signal frame's FXSAVE image of it.
 */
final class TraceeRegisters {
    /** sizeof(struct user_regs_struct): 27 words. */
    static final int SIZE = 27 * 8;
    /** offsetof(struct user, u_debugreg). */
    private static final int DEBUG_REGISTERS = 848;
    /** sizeof(struct user). */
    private static final int USER_SIZE = 928;
    private static final int ORIG_RAX = 15;
    private static final int CS = 17;
    private static final int EFLAGS = 18;
    private static final int SS = 20;
    private static final int FS_BASE = 21;
    private static final int GS_BASE = 22;
    /** __USER_CS and __USER_DS of x86-64 Linux. */
    private static final long USER_CS = 0x33;
    private static final long USER_DS = 0x2b;
    /** user_regs_struct's words in order; ORIG_RAX's slot is null. */
    private static final CpuRegister[] LAYOUT = {CpuRegister.R15, CpuRegister.R14, CpuRegister.R13, CpuRegister.R12,
        CpuRegister.RBP, CpuRegister.RBX, CpuRegister.R11, CpuRegister.R10, CpuRegister.R9, CpuRegister.R8,
        CpuRegister.RAX, CpuRegister.RCX, CpuRegister.RDX, CpuRegister.RSI, CpuRegister.RDI, null, CpuRegister.RIP,
        CpuRegister.CS, CpuRegister.RFLAGS, CpuRegister.RSP, CpuRegister.SS, CpuRegister.FS_BASE, CpuRegister.GS_BASE,
        CpuRegister.DS, CpuRegister.ES, CpuRegister.FS, CpuRegister.GS};
    private static final CpuRegister[] DEBUG = {CpuRegister.DR0, CpuRegister.DR1, CpuRegister.DR2, CpuRegister.DR3,
        null, null, CpuRegister.DR6, CpuRegister.DR7};
    /** The RFLAGS bits a tracer may change (FLAG_MASK: the arithmetic flags, TF, DF, OF, AC, ID). */
    private static final long USER_FLAGS = 0x254dd5;

    private final Vcpus vcpus;
    private final Unicorn unicorn;

    TraceeRegisters(Vcpus vcpus, Unicorn unicorn) {
        this.vcpus = vcpus;
        this.unicorn = unicorn;
    }

    /** The tracee's user_regs_struct. */
    byte[] get(GuestThread thread) {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < LAYOUT.length; i++) {
            out.putLong(word(thread, i));
        }
        return out.array();
    }

    /** PTRACE_SETREGS: every word of {@code regs} (a user_regs_struct) but the segment selectors, which stay. */
    void set(GuestThread thread, byte[] regs) {
        ByteBuffer in = ByteBuffer.wrap(regs).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < LAYOUT.length; i++) {
            setWord(thread, i, in.getLong(i * 8));
        }
    }

    /**
     * PTRACE_PEEKUSER: the word at {@code offset} of {@code struct user}: a register, a debug register, or 0 elsewhere.
     *
     * @throws SyscallException EIO for an offset not word-aligned or past {@code struct user}
     */
    long peekUser(GuestThread thread, long offset) {
        if (offset < 0 || (offset & 7) != 0 || offset >= USER_SIZE) {
            throw new SyscallException(Errno.EIO);
        }
        if (offset < SIZE) {
            return word(thread, (int) offset / 8);
        }
        if (isDebugRegister(offset)) {
            CpuRegister r = DEBUG[(int) (offset - DEBUG_REGISTERS) / 8];
            return r == null ? 0 : vcpus.read(thread.core, r);
        }
        return 0;
    }

    /**
     * PTRACE_POKEUSER: a register's word. A debug register is refused (EIO, with the caller's notice): hardware
     * breakpoints and watchpoints set by a guest debugger are not emulated, and one set here would never fire.
     */
    void pokeUser(GuestThread thread, long offset, long value) {
        if (offset < 0 || offset >= SIZE || (offset & 7) != 0) {
            throw new SyscallException(Errno.EIO);
        }
        setWord(thread, (int) offset / 8, value);
    }

    /** Whether {@code offset} of {@code struct user} is a debug register's. */
    static boolean isDebugRegister(long offset) {
        return offset >= DEBUG_REGISTERS && offset < DEBUG_REGISTERS + 64;
    }

    /** PTRACE_GETFPREGS, NT_PRFPREG: the tracee's FPU and SSE state in FXSAVE layout, as a signal frame holds it. */
    byte[] fpu(GuestThread thread) {
        return vcpus.withRegistersOf(thread.core, () -> SignalFrame.fxsave(unicorn));
    }

    /** PTRACE_SETFPREGS: the parts of {@link #fpu}'s layout a signal frame restores. */
    void setFpu(GuestThread thread, byte[] fxsave) {
        vcpus.withRegistersOf(thread.core, () -> {
            SignalFrame.restoreFpu(unicorn, fxsave);
            return null;
        });
    }

    private long word(GuestThread thread, int index) {
        if (index == CS) {
            return USER_CS; // a 64-bit process's selectors as Linux shows them: gdb tells 64-bit code by CS
        } else if (index == SS) {
            return USER_DS;
        } else if (index > SS && index != FS_BASE && index != GS_BASE) {
            return 0; // ds, es, fs, gs
        }
        if (index == ORIG_RAX) {
            return thread.trace != null ? thread.trace.callNumber : -1;
        }
        return vcpus.read(thread.core, LAYOUT[index]);
    }

    private void setWord(GuestThread thread, int index, long value) {
        CpuRegister r = LAYOUT[index];
        if (index == ORIG_RAX) {
            if (thread.trace != null) {
                thread.trace.callNumber = value; // at a syscall-entry-stop: the call made, -1 none
            }
        } else if (index == EFLAGS) {
            long flags = vcpus.read(thread.core, r);
            vcpus.write(thread.core, r, flags & ~USER_FLAGS | value & USER_FLAGS);
        } else if (r != CpuRegister.CS && r != CpuRegister.SS && r != CpuRegister.DS && r != CpuRegister.ES
                && r != CpuRegister.FS && r != CpuRegister.GS) {
            vcpus.write(thread.core, r, value);
        }
    }
}
