package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.ControlRegisterCheck;
import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RegisterList;
import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.machine.UserMode;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction;
import dev.hdbg.agent.vmx.decode.PrivilegedInstructionDecoder;
import java.util.Optional;

/**
 * The exits the guest's faults raise. The guest runs at CPL 3 ({@code UserMode}), so privileged
 * instructions fault; this class decodes the instruction at RIP, raises its exit (PRE), emulates
 * it unless short-circuited, advances RIP, and raises the POST exit — as a hypervisor's MSR,
 * CR-access, RDTSC ... exits do. Faults that are not an emulated instruction become
 * {@code !exception} exits, INT n {@code !interrupt} exits; a fault nothing handles halts the
 * machine, HLT ends a raw target. The hooks here are always armed: they cost nothing until the
 * guest faults.
 */
public final class InstructionExits {
    private static final int GP = 13;
    private static final int UD = 6;
    private static final int BP = 3;
    private static final int DB = 1;
    private static final int ICEBP = 0xf1;
    private static final int PF = PageFaults.PF;
    private static final int IA32_TSC_AUX = 0xC0000103;

    private final Machine machine;
    private final Cpu guest;
    private final VmxRoot root;
    private ExitHandler handler;
    private final PageFaults pageFaults;
    private SystemCalls systemCalls;
    private Completion completion;
    private final SignalStops signalStops = new SignalStops();
    private final long tscOrigin = System.nanoTime();
    private long xcr0 = 1;

    public InstructionExits(Machine machine, VmxRoot root) {
        this.machine = machine;
        this.guest = machine.cpu();
        this.root = root;
        this.pageFaults = new PageFaults(guest, this);
    }

    /** Wires the handler and installs the always-armed fault hooks. */
    public void start(ExitHandler exitHandler) {
        this.handler = exitHandler;
        guest.onInterrupt(this::onInterrupt);
        guest.onInvalidInstruction(this::onInvalidInstruction);
        pageFaults.start(exitHandler);
    }

    /** The guest's operating system, which takes the faults no event swallows (an ELF program's signals). */
    void setSystemCalls(SystemCalls calls) {
        this.systemCalls = calls;
        pageFaults.setSystemCalls(calls);
        signalStops.setSystemCalls(calls);
    }

    /** The signals the guest stops at before its operating system delivers them ({@link SignalStops}). */
    public SignalStops signalStops() {
        return signalStops;
    }

    /** Leaves work for the execution loop and is read back with {@link #takeCompletion}. */
    void complete(Completion work) {
        completion = work;
    }

    /** What the last run left to finish, or null; clears it. */
    public Completion takeCompletion() {
        Completion c = completion;
        completion = null;
        return c;
    }

    private void onInterrupt(int intno) {
        // The hook absorbs the exception; QEMU would otherwise count the next #GP as a double fault.
        guest.clearExceptionInFlight();
        long rip = guest.read(CpuRegister.RIP);
        if (isStop(rip)) {
            // stopWith's fetch faulted through the guest's own page tables (#PF) instead of reaching the
            // unmapped hook. Writing RIP again would cancel the stop and loop here for ever; the stop
            // request alone ends this run, and the loop restores RIP from the completion already left.
            guest.stop();
            return;
        }
        if (intno == GP && emulate(rip)) {
            stopIfWanted(guest.read(CpuRegister.RIP));
            return;
        }
        if (intno >= 32) {
            interrupt(intno); // INT n: RIP is already past it
            return;
        }
        exception(intno, rip);
    }

    private boolean onInvalidInstruction() {
        long rip = guest.read(CpuRegister.RIP);
        if (emulate(rip)) {
            return true; // Unicorn then ends uc_emu_start; the loop resumes at the new RIP
        }
        if (isIcebp(rip)) {
            guest.write(CpuRegister.RIP, rip + 1);
            exception(DB, rip + 1); // a trap: the debug exception's RIP is past the instruction
            return true;
        }
        exception(UD, rip);
        return true;
    }

    /**
     * Whether the instruction at {@code rip} is ICEBP (INT1, 0xf1), which raises a debug exception (#DB) on a CPU but
     * reaches Unicorn 2.0.1's invalid-instruction hook (QEMU's gen_debug is its gdb stub's exit).
     */
    private boolean isIcebp(long rip) {
        byte[] code = machine.memory().readUpTo(rip, 1);
        return code.length == 1 && (code[0] & 0xff) == ICEBP;
    }

    /**
     * Stops the guest from inside a fault hook. {@code uc_emu_stop} alone is not enough there:
     * Unicorn goes on running the next block first (measured), so RIP is pointed at
     * {@link #STOP_ADDRESS}, which the guest never maps; the fetch fault ends the run at once, and
     * the loop restores RIP from the completion.
     */
    void stopWith(Completion work) {
        completion = work;
        guest.write(CpuRegister.RIP, STOP_ADDRESS);
        guest.stop();
    }

    /**
     * Ends the run exactly here, the guest to go on at {@code resumeAt}, when the debugger wants it stopped
     * ({@link ExitHandler#stopWanted}) or a stop was asked during the run ({@link Cpu#stopRequested}: a step from a
     * break in this hook's exits, a kick) and nothing else ended it: from a hook that moves RIP itself (an emulated
     * instruction, a system call), where Unicorn 2.0.1 drops a kick, and a kick from outside would land only after
     * the guest ran on, perhaps over the breakpoint the debugger has still to arm.
     */
    void stopIfWanted(long resumeAt) {
        if (completion == null && (handler.stopWanted() || guest.stopRequested())) {
            stopWith(new Completion.Resume(resumeAt));
        }
    }

    /** In the vmx-root area: never mapped in the guest. */
    public static final long STOP_ADDRESS = VmxRoot.BASE;

    /**
     * Whether a fetch at {@code address} is {@link #stopWith}'s: from a SYSCALL hook the CPU adds the instruction's
     * length to the RIP written (measured: 2), so the fetch lands a few bytes past {@link #STOP_ADDRESS}.
     */
    static boolean isStop(long address) {
        return address - STOP_ADDRESS >= 0 && address - STOP_ADDRESS < 16;
    }

    private void interrupt(int vector) {
        VmExit exit = VmExit.pre(ExitReason.INTERRUPT, vector);
        handler.onExit(exit); // a raw target has no IDT: delivering is a no-op, short-circuited or not
        if (handler.wantsPost(ExitReason.INTERRUPT, vector)) {
            handler.onExit(exit.post());
        }
    }

    /**
     * An exception no instruction emulation absorbs. Short-circuited, the guest resumes where it
     * stands (after INT3, at a faulting instruction — where it faults again unless an action
     * changed something); otherwise it is delivered, and a raw target has nowhere to deliver it:
     * the machine halts.
     */
    private void exception(int vector, long rip) {
        exception(vector, rip, null);
    }

    /** {@link #exception(int, long)}, saying why the instruction faulted when the agent decided it did. */
    private void exception(int vector, long rip, String why) {
        VmExit exit = VmExit.pre(ExitReason.EXCEPTION, vector);
        boolean shortCircuit = handler.onExit(exit);
        if (handler.wantsPost(ExitReason.EXCEPTION, vector)) {
            handler.onExit(exit.post());
        }
        if (shortCircuit) {
            return;
        }
        SystemCalls.Fault fault = new SystemCalls.Fault(vector, rip, 0, 0);
        Completion.HeldFault held = signalStops.held(fault);
        if (held != null) {
            stopWith(held);
            return;
        }
        if (systemCalls != null) {
            switch (systemCalls.fault(fault).orElse(null)) {
                case null -> {
                }
                case SystemCalls.Outcome.Returned r -> {
                    return; // the operating system moved the guest (to a signal handler)
                }
                case SystemCalls.Outcome.Yielded y -> {
                    stopWith(new Completion.Resume(rip)); // its process died: the next thread's turn
                    return;
                }
                case SystemCalls.Outcome.Exited e -> {
                    stopWith(new Completion.Exited(e.status(), rip));
                    return;
                }
                case SystemCalls.Outcome.Killed k -> {
                    stopWith(new Completion.Killed(k.signal(), rip));
                    return;
                }
                case SystemCalls.Outcome.Stopped st -> throw new IllegalStateException("a fault's signal is held "
                        + "back before the operating system sees it (SignalStops), never by it");
                case SystemCalls.Outcome.Idle i -> throw new IllegalStateException("only a safe point idles");
            }
        }
        stopWith(new Completion.Faulted("unhandled exception " + vector + " (" + ExceptionVectors.name(vector)
                + ") at rip 0x" + Long.toHexString(rip) + (why == null ? "" : ": " + why), rip));
    }

    private boolean emulate(long rip) {
        Optional<PrivilegedInstruction> decoded;
        try {
            decoded = PrivilegedInstructionDecoder.decode(readAvailable(rip));
        } catch (UnmappedAddressException e) {
            return false;
        }
        if (decoded.isEmpty()) {
            return false;
        }
        PrivilegedInstruction instruction = decoded.get();
        long next = rip + instruction.length();
        switch (instruction) {
            case PrivilegedInstruction.Hlt h -> stopWith(new Completion.Halted(rip));
            case PrivilegedInstruction.Rdmsr r -> run(ExitReason.MSR_READ, ecx(), next,
                    () -> setEdxEax(guest.readMsr((int) ecx())));
            case PrivilegedInstruction.Wrmsr w -> run(ExitReason.MSR_WRITE, ecx(), next,
                    () -> guest.writeMsr((int) ecx(), edxEax()));
            case PrivilegedInstruction.Rdtsc r -> run(ExitReason.TSC, 0, next, () -> setEdxEax(tsc()));
            case PrivilegedInstruction.Rdtscp r -> run(ExitReason.TSC, 1, next, () -> {
                setEdxEax(tsc());
                guest.write(CpuRegister.RCX, guest.readMsr(IA32_TSC_AUX) & 0xffff_ffffL);
            });
            case PrivilegedInstruction.Rdpmc r -> run(ExitReason.PMC, 0, next, () -> setEdxEax(0));
            case PrivilegedInstruction.Xsetbv x -> run(ExitReason.XSETBV, ecx(), next, this::xsetbv);
            case PrivilegedInstruction.Xgetbv x -> {
                setEdxEax(xcr0);
                guest.write(CpuRegister.RIP, next);
            }
            case PrivilegedInstruction.Vmcall v -> run(ExitReason.VMCALL, 0, next, () -> { });
            case PrivilegedInstruction.MovToCr m -> movToCr(m, rip, next);
            case PrivilegedInstruction.MovFromCr m -> {
                long value = guest.read(CpuRegister.controlRegister(m.cr()));
                gpr(m.gpr(), m.cr() == 4 ? UserMode.guestCr4(value) : value); // the trap bit is the agent's, not the guest's
                guest.write(CpuRegister.RIP, next);
            }
            case PrivilegedInstruction.MovToDr m -> run(ExitReason.DR, 0, next,
                    () -> guest.write(CpuRegister.debugRegister(m.dr()), gpr(m.gpr())));
            case PrivilegedInstruction.MovFromDr m -> run(ExitReason.DR, 0, next,
                    () -> gpr(m.gpr(), guest.read(CpuRegister.debugRegister(m.dr()))));
            case PrivilegedInstruction.Sysret s -> sysret(rip, next);
        }
        return true;
    }

    /** PRE exit, the emulation unless short-circuited, RIP past the instruction, POST exit. */
    private void run(ExitReason reason, long context, long next, Runnable emulation) {
        VmExit exit = VmExit.pre(reason, context);
        boolean shortCircuit = handler.watches(reason) && handler.onExit(exit);
        if (!shortCircuit) {
            try {
                emulation.run();
            } catch (GuestFault e) {
                exception(GP, guest.read(CpuRegister.RIP), e.getMessage());
                return;
            }
        }
        guest.write(CpuRegister.RIP, next);
        if (handler.wantsPost(reason, context)) {
            handler.onExit(exit.post());
        }
    }

    private void movToCr(PrivilegedInstruction.MovToCr m, long rip, long next) {
        long old = guest.read(CpuRegister.controlRegister(m.cr()));
        long value = gpr(m.gpr());
        // CR4.TSD stays set: it is how RDTSC reaches the agent.
        long stored = m.cr() == 4 ? UserMode.actualCr4(value) : value;
        boolean watched = m.cr() == 0 || m.cr() == 4;
        VmExit exit = VmExit.controlRegisterWrite(m.cr(), old ^ stored);
        boolean shortCircuit = watched && handler.watches(ExitReason.CR_WRITE) && handler.onExit(exit);
        if (!shortCircuit) {
            Optional<String> refusal = ControlRegisterCheck.of(guest).guestRefusal(m.cr(), value);
            if (refusal.isPresent()) {
                exception(GP, rip, "mov to cr" + m.cr() + " of 0x" + Long.toHexString(value) + ": " + refusal.get());
                return;
            }
            guest.write(CpuRegister.controlRegister(m.cr()), stored);
        }
        guest.write(CpuRegister.RIP, next);
        if (watched && handler.wantsPost(ExitReason.CR_WRITE, m.cr())) {
            handler.onExit(exit.post());
        }
    }

    private void sysret(long rip, long next) {
        // spec: HyperDbg's !sysret context is the RIP of the SYSRET instruction itself (sysret.md, "Context").
        VmExit exit = VmExit.pre(ExitReason.SYSRET, rip);
        boolean shortCircuit = handler.watches(ExitReason.SYSRET) && handler.onExit(exit);
        if (shortCircuit) {
            guest.write(CpuRegister.RIP, next);
        } else {
            // SYSRET loads RFLAGS from R11; IOPL stays 3 so IN/OUT keep reaching their hooks.
            guest.write(CpuRegister.RFLAGS, (guest.read(CpuRegister.R11) & ~0x3000L) | 0x3002L);
            guest.write(CpuRegister.RIP, guest.read(CpuRegister.RCX));
        }
        if (handler.wantsPost(ExitReason.SYSRET, rip)) {
            handler.onExit(exit.post());
        }
    }

    /** The return of a system call the agent performed (a raw target's is a no-op): {@code !sysret}. */
    void sysretExit(long returnTo) {
        VmExit exit = VmExit.pre(ExitReason.SYSRET, returnTo);
        handler.onExit(exit);
        if (handler.wantsPost(ExitReason.SYSRET, returnTo)) {
            handler.onExit(exit.post());
        }
    }

    /**
     * Emulates CPUID in vmx-root (same CPU model), completed by {@link CpuidModel}, and writes the result: every CPUID
     * the guest executes is answered so.
     */
    void cpuidInRoot() {
        long leaf = guest.read(CpuRegister.RAX) & 0xffff_ffffL;
        long[] result = root.cpuid(leaf, guest.read(CpuRegister.RCX) & 0xffff_ffffL);
        guest.write(CPUID_OUT, CpuidModel.complete(leaf, result));
    }

    private static final RegisterList CPUID_OUT = RegisterList.of(CpuRegister.RAX, CpuRegister.RBX, CpuRegister.RCX, CpuRegister.RDX);

    private void xsetbv() {
        if (ecx() != 0 || (edxEax() & 1) == 0) {
            throw new GuestFault("xsetbv of XCR" + ecx() + " = 0x" + Long.toHexString(edxEax()));
        }
        xcr0 = edxEax();
    }

    private long tsc() {
        return System.nanoTime() - tscOrigin;
    }

    private byte[] readAvailable(long rip) {
        byte[] code = machine.memory().readUpTo(rip, 15);
        if (code.length == 0) {
            throw new UnmappedAddressException(rip, "rip 0x" + Long.toHexString(rip) + " is not mapped");
        }
        return code;
    }

    private long ecx() {
        return guest.read(CpuRegister.RCX) & 0xffff_ffffL;
    }

    private long edxEax() {
        return (guest.read(CpuRegister.RDX) << 32) | (guest.read(CpuRegister.RAX) & 0xffff_ffffL);
    }

    private void setEdxEax(long value) {
        guest.write(CpuRegister.RAX, value & 0xffff_ffffL);
        guest.write(CpuRegister.RDX, value >>> 32);
    }

    private long gpr(int encoding) {
        return guest.read(CpuRegister.gpr(encoding));
    }

    private void gpr(int encoding, long value) {
        guest.write(CpuRegister.gpr(encoding), value);
    }

    /** An emulated instruction that faults the way the real one would; the machine halts. */
    static final class GuestFault extends RuntimeException {
        GuestFault(String message) {
            super(message);
        }
    }
}
