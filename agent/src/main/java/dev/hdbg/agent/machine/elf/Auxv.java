package dev.hdbg.agent.machine.elf;

/**
 * The auxiliary-vector keys the loader writes ({@code AT_*} of Linux's {@code include/uapi/linux/auxvec.h}), in
 * one place for the loader, the system-call layer ({@code /proc/self/auxv}, {@code getauxval}) and tests.
 */
public final class Auxv {
    public static final int AT_NULL = 0;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    public static final int AT_SECURE = 23;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_EXECFN = 31;
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_MINSIGSTKSZ = 51;

    /**
     * AT_MINSIGSTKSZ: the stack a signal frame needs here, FXSAVE state (512 bytes) and the rt_sigframe (440) with
     * their alignment, rounded up to the kernel's MINSIGSTKSZ.
     */
    public static final long MIN_SIGNAL_STACK = 2048;

    /** The kernel's {@code USER_HZ}: {@code times()} counts in hundredths of a second. */
    public static final long CLOCK_TICKS = 100;

    private Auxv() {
    }
}
