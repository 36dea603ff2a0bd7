package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.HookType;
import dev.hdbg.agent.unicorn.MemType;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.UnicornException;
import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.Access;
import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * {@link Cpu} on one Unicorn engine. Unicorn's failures become {@link CpuException}s here, its int masks and
 * register ids stay here; everything else is Unicorn's own behaviour, passed on unchanged. Just over 400 lines: the
 * register table (one case per register) and the hook a step keeps belong with the engine's other calls.
 */
final class UnicornCpu implements Cpu {
    private static final X86Reg[] UNICORN = new X86Reg[CpuRegister.values().length];

    static {
        for (CpuRegister r : CpuRegister.values()) {
            UNICORN[r.ordinal()] = unicornRegister(r);
        }
    }

    private final Unicorn uc;

    UnicornCpu(Unicorn uc) {
        this.uc = uc;
    }

    /** A fresh x86-64 engine: 64-bit mode, CPL 0, paging off. */
    static UnicornCpu open() {
        return new UnicornCpu(Unicorn.openX86_64());
    }

    /** The engine, for the machine layer's own use. */
    Unicorn unicorn() {
        return uc;
    }

    /** Unicorn's register for {@code register}; the switch fails to compile when a constant lacks its case. */
    static X86Reg unicornRegister(CpuRegister register) {
        return switch (register) {
            case RAX -> X86Reg.RAX;
            case RCX -> X86Reg.RCX;
            case RDX -> X86Reg.RDX;
            case RBX -> X86Reg.RBX;
            case RSP -> X86Reg.RSP;
            case RBP -> X86Reg.RBP;
            case RSI -> X86Reg.RSI;
            case RDI -> X86Reg.RDI;
            case R8 -> X86Reg.R8;
            case R9 -> X86Reg.R9;
            case R10 -> X86Reg.R10;
            case R11 -> X86Reg.R11;
            case R12 -> X86Reg.R12;
            case R13 -> X86Reg.R13;
            case R14 -> X86Reg.R14;
            case R15 -> X86Reg.R15;
            case RIP -> X86Reg.RIP;
            case RFLAGS -> X86Reg.RFLAGS;
            case CS -> X86Reg.CS;
            case DS -> X86Reg.DS;
            case ES -> X86Reg.ES;
            case FS -> X86Reg.FS;
            case GS -> X86Reg.GS;
            case SS -> X86Reg.SS;
            case FS_BASE -> X86Reg.FS_BASE;
            case GS_BASE -> X86Reg.GS_BASE;
            case CR0 -> X86Reg.CR0;
            case CR2 -> X86Reg.CR2;
            case CR3 -> X86Reg.CR3;
            case CR4 -> X86Reg.CR4;
            case CR8 -> X86Reg.CR8;
            case DR0 -> X86Reg.DR0;
            case DR1 -> X86Reg.DR1;
            case DR2 -> X86Reg.DR2;
            case DR3 -> X86Reg.DR3;
            case DR6 -> X86Reg.DR6;
            case DR7 -> X86Reg.DR7;
            case GDTR -> X86Reg.GDTR;
            case IDTR -> X86Reg.IDTR;
            case LDTR -> X86Reg.LDTR;
            case TR -> X86Reg.TR;
        };
    }

    /** Unicorn's {@code UC_PROT_*} bits for a set of permissions. */
    static int prot(Set<Access> permissions) {
        return (permissions.contains(Access.READ) ? Prot.READ : 0) | (permissions.contains(Access.WRITE) ? Prot.WRITE : 0)
                | (permissions.contains(Access.EXECUTE) ? Prot.EXEC : 0);
    }

    private static CpuException failed(UnicornException e) {
        return CpuException.of(e);
    }

    // ---- registers -----------------------------------------------------------------------------------------

    @Override
    public long read(CpuRegister register) {
        try {
            return uc.regRead(UNICORN[register.ordinal()]);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(CpuRegister register, long value) {
        try {
            uc.regWrite(UNICORN[register.ordinal()], value);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void read(RegisterList registers, long[] out) {
        try {
            uc.regReadBatch(registers.unicorn, out);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(RegisterList registers, long[] values) {
        try {
            uc.regWriteBatch(registers.unicorn, values);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public byte[] readXmm(int index) {
        try {
            return uc.regReadXmm(index);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void writeXmm(int index, byte[] sixteenBytes) {
        try {
            uc.regWriteXmm(index, sixteenBytes);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public long readMsr(int msr) {
        try {
            return uc.msrRead(msr);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void writeMsr(int msr, long value) {
        try {
            uc.msrWrite(msr, value);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void loadGdt(long base, int limit) {
        try {
            uc.gdtrWrite(base, limit);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    // ---- memory --------------------------------------------------------------------------------------------

    @Override
    public void map(long address, MemorySegment hostMemory, Set<Access> permissions) {
        try {
            uc.memMapPtr(address, hostMemory, prot(permissions));
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void map(long address, long size, Set<Access> permissions) {
        try {
            uc.memMap(address, size, prot(permissions));
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void unmap(long address, long size) {
        try {
            uc.memUnmap(address, size);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public byte[] readMemory(long address, int length) {
        try {
            return uc.memRead(address, length);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void writeMemory(long address, byte[] data) {
        try {
            uc.memWrite(address, data);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    @Override
    public void forgetTranslations(long begin, long end) {
        try {
            uc.removeCache(begin, end);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    // ---- running -------------------------------------------------------------------------------------------

    @Override
    public void run(long from) {
        run(from, 0);
    }

    @Override
    public void run(long from, long maxInstructions) {
        run(from, maxInstructions, -1L);
    }

    @Override
    public void run(long from, long maxInstructions, long until) {
        // A run that is not a step: the hook kept from the last steps would stop it after one instruction, and costs
        // a call per instruction. Removing it drops the translated code once, not once per step.
        dropStepHook();
        stopRequested = false;
        try {
            uc.limitBlocks(0);
            uc.emuStart(from, until, 0, maxInstructions);
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    /**
     * Instructions a block of compiled code runs, about: a slice's length when blocks cannot be counted (the host
     * refused a page for the counting hook's code: {@link dev.hdbg.agent.unicorn.Unicorn#limitBlocks}).
     */
    private static final long INSTRUCTIONS_PER_BLOCK = 5;

    @Override
    public void runBlocks(long from, long blocks) {
        if (blocks <= 0) {
            throw new IllegalArgumentException("a slice of " + blocks + " blocks");
        }
        dropStepHook();
        stopRequested = false;
        try {
            if (uc.limitBlocks(blocks)) {
                uc.emuStart(from, -1L, 0, 0);
            } else {
                uc.emuStart(from, -1L, 0, blocks * INSTRUCTIONS_PER_BLOCK);
            }
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    /**
     * The hook {@link #step} stops with, kept from one step to the next until a run that is not a step: adding and
     * removing a code hook over every address drops every translated block each time ({@code TranslationCache}) and
     * makes an upcall stub, which cost most of a step (issue 15, profiled: a {@code t} took 1.8 to 2.7 ms).
     */
    private Hook stepHook;
    /** The step's first instruction has not been reached yet: the hook lets it run and stops before the next. */
    private boolean stepFirst;
    private boolean stepping;

    /**
     * Unicorn's own {@code count} is not used: switching between counted and uncounted runs makes Unicorn 2.0.1
     * flush every translated block, which took 2.4 s here (measured). Instead a code hook over every address lets
     * the first instruction run and stops before the second (a stop from a code hook holds its instruction back).
     */
    @Override
    public void step(long from) {
        if (stepHook == null) {
            stepHook = beforeEveryInstruction((address, size) -> {
                if (stepFirst) {
                    stepFirst = false;
                } else {
                    uc.emuStop();
                }
            });
        }
        stepFirst = true;
        stepping = true;
        try {
            run(from);
        } finally {
            stepping = false;
        }
    }

    /** Set by {@link #stop}, from any thread; cleared as a run begins. */
    private volatile boolean stopRequested;

    @Override
    public boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public void stop() {
        stopRequested = true;
        uc.emuStop();
    }

    @Override
    public void clearExceptionInFlight() {
        try {
            uc.clearExceptionInFlight();
        } catch (UnicornException e) {
            throw failed(e);
        }
    }

    // ---- hooks ---------------------------------------------------------------------------------------------

    @Override
    public Hook beforeInstructions(long from, long to, InstructionHook hook) {
        // Unicorn calls the code hooks of an address in the order they were added, and a step's must come last: the
        // others at the instruction after the step (a breakpoint there) fire before it stops.
        dropStepHook();
        return uc.hookCode(from, to, hook::beforeInstruction)::close;
    }

    @Override
    public void endSteps() {
        dropStepHook();
    }

    /** Removes the hook kept from the last steps, unless a step runs now (it is on the native stack). */
    private void dropStepHook() {
        if (stepHook != null && !stepping) {
            Hook kept = stepHook;
            stepHook = null;
            kept.close();
        }
    }

    @Override
    public Hook beforeEveryInstruction(InstructionHook hook) {
        return beforeInstructions(1, 0, hook); // begin above end: every address
    }

    @Override
    public Hook beforeAccess(Set<Access> accesses, long from, long to, AccessHook hook) {
        if (accesses.isEmpty() || accesses.contains(Access.EXECUTE)) {
            throw new IllegalArgumentException("accesses " + accesses + " must be READ and/or WRITE");
        }
        int mask = (accesses.contains(Access.READ) ? HookType.MEM_READ : 0)
                | (accesses.contains(Access.WRITE) ? HookType.MEM_WRITE : 0);
        return uc.hookMemory(mask, from, to, (type, address, size, value) ->
                hook.onAccess(type == MemType.WRITE ? Access.WRITE : Access.READ, address, size, value))::close;
    }

    @Override
    public Hook afterRead(long from, long to, AccessHook hook) {
        return uc.hookMemory(HookType.MEM_READ_AFTER, from, to, (type, address, size, value) ->
                hook.onAccess(Access.READ, address, size, value))::close;
    }

    @Override
    public Hook onUnmapped(Set<Access> accesses, UnmappedHook hook) {
        if (accesses.isEmpty()) {
            throw new IllegalArgumentException("no access to hook");
        }
        int mask = (accesses.contains(Access.READ) ? HookType.MEM_READ_UNMAPPED : 0)
                | (accesses.contains(Access.WRITE) ? HookType.MEM_WRITE_UNMAPPED : 0)
                | (accesses.contains(Access.EXECUTE) ? HookType.MEM_FETCH_UNMAPPED : 0);
        return uc.hookInvalidMemory(mask, (type, address, size, value) ->
                hook.onUnmapped(access(type), address, size, value))::close;
    }

    @Override
    public Hook onProtectionFault(Set<Access> accesses, long from, long to, UnmappedHook hook) {
        if (accesses.isEmpty()) {
            throw new IllegalArgumentException("no access to hook");
        }
        int mask = (accesses.contains(Access.READ) ? HookType.MEM_READ_PROT : 0)
                | (accesses.contains(Access.WRITE) ? HookType.MEM_WRITE_PROT : 0)
                | (accesses.contains(Access.EXECUTE) ? HookType.MEM_FETCH_PROT : 0);
        return uc.hookInvalidMemory(mask, from, to, (type, address, size, value) ->
                hook.onUnmapped(access(type), address, size, value))::close;
    }

    private static Access access(int memType) {
        return switch (memType) {
            case MemType.WRITE, MemType.WRITE_UNMAPPED, MemType.WRITE_PROT -> Access.WRITE;
            case MemType.FETCH, MemType.FETCH_UNMAPPED, MemType.FETCH_PROT -> Access.EXECUTE;
            default -> Access.READ;
        };
    }

    @Override
    public Hook onInterrupt(InterruptHook hook) {
        return uc.hookInterrupt(hook::onInterrupt)::close;
    }

    @Override
    public Hook onInvalidInstruction(InvalidInstructionHook hook) {
        return uc.hookInvalidInstruction(hook::onInvalidInstruction)::close;
    }

    @Override
    public Hook onCpuid(CpuidHook hook) {
        return uc.hookCpuid(hook::onCpuid)::close;
    }

    @Override
    public Hook onIn(InHook hook) {
        return uc.hookIn(hook::onIn)::close;
    }

    @Override
    public Hook onOut(OutHook hook) {
        return uc.hookOut(hook::onOut)::close;
    }

    @Override
    public Hook onSyscall(SyscallHook hook) {
        return uc.hookSyscall(hook::onSyscall)::close;
    }

    @Override
    public void close() {
        uc.close();
    }
}
