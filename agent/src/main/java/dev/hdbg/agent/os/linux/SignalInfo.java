package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;

/**
 * A {@code siginfo_t} (128 bytes on x86-64) as the kernel fills it for each way a signal is sent: {@code si_signo},
 * {@code si_errno}, {@code si_code} and the union at offset 16, laid out per kind.
 */
record SignalInfo(int signal, int code, long word16, long word24) {
    static final int SIZE = 128;
    /** si_code values (asm-generic/siginfo.h). */
    static final int SI_USER = 0;
    static final int SI_KERNEL = 0x80;
    static final int SI_TIMER = -2;
    static final int SI_TKILL = -6;
    static final int SEGV_MAPERR = 1;
    static final int SEGV_ACCERR = 2;
    static final int FPE_INTDIV = 1;
    static final int ILL_ILLOPN = 2;
    static final int BUS_ADRALN = 1;
    static final int TRAP_BRKPT = 1;
    /** si_code of SIGTRAP after a single step (RFLAGS.TF). */
    static final int TRAP_TRACE = 2;

    /** kill (SI_USER) or tkill/tgkill (SI_TKILL): who sent it, si_pid and si_uid. */
    static SignalInfo sentBy(int signal, int code, long pid, int uid) {
        return new SignalInfo(signal, code, (pid & 0xffff_ffffL) | (long) uid << 32, 0);
    }

    /** A fault: si_addr. */
    static SignalInfo fault(int signal, int code, long address) {
        return new SignalInfo(signal, code, address, 0);
    }

    /** From the kernel itself (alarm, setitimer): nothing but the code. */
    static SignalInfo kernel(int signal) {
        return new SignalInfo(signal, SI_KERNEL, 0, 0);
    }

    /** A POSIX timer: si_tid (the timer id), si_overrun, si_value. */
    static SignalInfo timer(int signal, int timerId, int overrun, long value) {
        return new SignalInfo(signal, SI_TIMER, (timerId & 0xffff_ffffL) | (long) overrun << 32, value);
    }

    /** The overrun count a timer's siginfo carries. */
    int overrun() {
        return (int) (word16 >>> 32);
    }

    SignalInfo withOverrun(int overrun) {
        return new SignalInfo(signal, code, (word16 & 0xffff_ffffL) | (long) overrun << 32, word24);
    }

    /**
     * The {@code struct signalfd_siginfo} a signalfd reads (linux/signalfd.h), filled per kind as Linux's
     * signalfd_copyinfo: the sender (ssi_pid, ssi_uid), a child's ssi_status, a timer's ssi_tid, ssi_overrun and value,
     * a fault's ssi_addr, a queued value's ssi_ptr and ssi_int.
     */
    byte[] signalfdBytes() {
        ByteBuffer b = UserMemory.struct(SIZE);
        b.putInt(0, signal).putInt(8, code);
        if (code == SI_TIMER) {
            b.putInt(24, (int) word16).putInt(32, overrun()).putInt(44, (int) word24).putLong(48, word24);
        } else if (code > 0 && code != SI_KERNEL && isFault(signal)) {
            b.putLong(72, word16);
        } else {
            b.putInt(12, (int) word16).putInt(16, (int) (word16 >>> 32));
            if (code > 0 && signal == Signals.SIGCHLD) {
                b.putInt(40, (int) word24); // si_status
            } else if (code < 0 && code != SI_TKILL) { // sigqueue's SI_QUEUE and the like carry a value
                b.putInt(44, (int) word24).putLong(48, word24);
            }
        }
        return b.array();
    }

    private static boolean isFault(int signal) {
        return signal == Signals.SIGSEGV || signal == Signals.SIGBUS || signal == Signals.SIGILL
                || signal == Signals.SIGFPE || signal == Signals.SIGTRAP;
    }

    byte[] bytes() {
        ByteBuffer b = UserMemory.struct(SIZE);
        b.putInt(0, signal).putInt(4, 0).putInt(8, code).putLong(16, word16).putLong(24, word24);
        return b.array();
    }
}
