package dev.hdbg.agent.machine;

import dev.hdbg.common.event.Access;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;

/**
 * Puts the guest in 64-bit user mode (CPL 3) at its entry, the way an OS would, with an
 * {@code iretq} from a one-instruction kernel stub. At CPL 3 the privileged instructions —
 * RDMSR, WRMSR, MOV CR/DR, XSETBV, RDPMC, HLT, SYSRET, and RDTSC/RDTSCP because CR4.TSD is set —
 * fault with #GP, and the agent emulates them as VM exits. This is hdbg's answer to Unicorn 2.0.1
 * having no instruction hooks for them: an exit no event watches costs nothing on code that does
 * not execute the instruction.
 *
 * <p>RFLAGS.IOPL is 3, so IN and OUT reach Unicorn's instruction hooks instead of faulting.
 */
public final class UserMode {
    /** A page of the guest's "kernel": its GDT, the iretq stub and the frame it returns through. */
    public static final long KERNEL_PAGE = 0xffff_e000_0000_0000L;
    public static final int USER_CS = 0x23;
    public static final int USER_SS = 0x1b;
    static final int KERNEL_CS = 0x08;
    static final int KERNEL_SS = 0x10;
    /** IOPL 3 (bits 12-13), IF, and the always-one bit 1. */
    public static final long USER_RFLAGS = 0x3202;
    /** CR4.TSD: set by the agent so RDTSC faults at CPL 3; the guest neither sees nor clears it. */
    public static final long CR4_TSD = 1L << 2;
    private static final long GDT = KERNEL_PAGE;
    private static final long STUB = KERNEL_PAGE + 0x100;
    private static final long FRAME = KERNEL_PAGE + 0x800;
    private static final long[] DESCRIPTORS = {
        0,
        0x00209A0000000000L, // 0x08 kernel code, 64-bit
        0x0000920000000000L, // 0x10 kernel data
        0x0000F20000000000L, // 0x18 user data, DPL 3
        0x0020FA0000000000L, // 0x20 user code, 64-bit, DPL 3
    };

    private UserMode() {
    }

    /** Why the host may not write {@code value} to a selector or RFLAGS of the guest, or empty ({@link SegmentCheck}). */
    static java.util.Optional<String> segmentRefusal(dev.hdbg.common.event.GuestRegister register, long value) {
        return SegmentCheck.refusal(register, value, DESCRIPTORS);
    }

    /**
     * CR4.OSFXSR and CR4.OSXMMEXCPT, which Linux sets before any program runs: FXSAVE and FXRSTOR then keep XMM0-15
     * (with OSFXSR clear Unicorn's leave them out) and SIMD floating-point exceptions are #XM. A raw image's CR4 is
     * its own to set.
     */
    public static final long CR4_LINUX_SSE = (1L << 9) | (1L << 10);

    /** CR4 as the guest and the host see it: without the agent's TSD bit. */
    public static long guestCr4(long actual) {
        return actual & ~CR4_TSD;
    }

    /** What CR4 holds when the guest or the host writes {@code seen}: the agent's TSD bit stays set. */
    public static long actualCr4(long seen) {
        return seen | CR4_TSD;
    }

    /** Maps the kernel page and enters user mode with RIP = {@code entry}, RSP = {@code stack}. */
    public static void enter(Machine machine, long entry, long stack) {
        machine.memory().map("kernel (gdt)", KERNEL_PAGE, GuestMemory.PAGE, EnumSet.of(Access.READ, Access.EXECUTE));
        ByteBuffer page = ByteBuffer.allocate((int) GuestMemory.PAGE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < DESCRIPTORS.length; i++) {
            page.putLong((int) (GDT - KERNEL_PAGE) + 8 * i, DESCRIPTORS[i]);
        }
        page.put((int) (STUB - KERNEL_PAGE), (byte) 0x48).put((int) (STUB - KERNEL_PAGE) + 1, (byte) 0xcf); // iretq
        int frame = (int) (FRAME - KERNEL_PAGE);
        page.putLong(frame, entry).putLong(frame + 8, USER_CS).putLong(frame + 16, USER_RFLAGS)
                .putLong(frame + 24, stack).putLong(frame + 32, USER_SS);
        machine.memory().write(KERNEL_PAGE, page.array());

        Cpu cpu = machine.cpu();
        cpu.loadGdt(GDT, DESCRIPTORS.length * 8 - 1);
        cpu.write(CpuRegister.CS, KERNEL_CS);
        cpu.write(CpuRegister.SS, KERNEL_SS);
        cpu.write(CpuRegister.CR4, cpu.read(CpuRegister.CR4) | CR4_TSD);
        cpu.write(CpuRegister.RSP, FRAME);
        cpu.step(STUB);
        cpu.endSteps();
        if (cpu.read(CpuRegister.RIP) != entry || (cpu.read(CpuRegister.CS) & 3) != 3) {
            throw new IllegalStateException("entering user mode failed: rip 0x" + Long.toHexString(cpu.read(CpuRegister.RIP))
                    + ", cs 0x" + Long.toHexString(cpu.read(CpuRegister.CS)));
        }
    }
}
