package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.Access;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's private "vmx-root" context: a second CPU ({@link Machine#openPrivateCpu()}) that runs conditions
 * and custom code. It maps the guest's memory (the same host pages, so code sees and may change
 * guest memory) plus an area of its own at {@link #BASE} — GUEST_REGS, a stack, the code and
 * the requested buffers — that the guest never maps, so the guest can neither see nor change it.
 *
 * <p>Calling conventions (spec): custom code gets RCX = requested buffer or NULL, RDX =
 * GUEST_REGS, R8 = context, and returns a buffer address in RAX; a condition gets RCX =
 * GUEST_REGS, RDX = context and holds when RAX != 0. Every call returns to {@link #RETURN_TRAP}
 * ({@code lea rsp, [rsp - 8] ; hlt}) through the {@code ret} appended to the code, and is stopped after
 * {@code budget} instructions, so code that never returns cannot hang the agent.
 * What a call copies between the guest, GUEST_REGS and the root's registers is {@link RootRegisters}' job.
 */
public final class VmxRoot implements AutoCloseable {
    /** The root area; guest regions may not be mapped at or above it. */
    public static final long BASE = 0xffff_f000_0000_0000L;
    public static final long GUEST_REGS_ADDRESS = BASE;
    public static final long RETURN_TRAP = BASE + 0x1000;
    private static final long STACK_BOTTOM = BASE + 0x10000;
    private static final long STACK_SIZE = 0x10000;
    private static final long STACK_TOP = STACK_BOTTOM + STACK_SIZE;
    private static final long FIXED_SIZE = STACK_TOP - BASE;
    private static final long HEAP_START = BASE + 0x100000;
    /**
     * Unicorn's {@code until} for a call while the root maps no page at 0: Unicorn 2.0.1 drops the translation at
     * {@code until} after every run and refills the TLB for it, except for 0 ({@code uc_exit_invalidate_iter}); about
     * 100 ns of a call's 435 in C (docs/benchmarks.md, "Machine-code conditions, wave 13"). Code that reaches 0 then
     * ends the run there instead of faulting on the fetch, and {@link #call} reports the fault it would have raised.
     */
    private static final long UNTIL_ZERO = 0;
    /** {@code until} while the guest maps page 0, which root code may then run: an address no code can run at. */
    private static final long NO_UNTIL = -1L;
    /** What a fetch at 0 faults with when nothing is mapped there: Unicorn's {@code uc_strerror}, as a run reports it. */
    static final String FETCH_AT_ZERO = "Invalid memory fetch (UC_ERR_FETCH_UNMAPPED) at rip 0x0";
    private static final byte RET = (byte) 0xc3;
    private static final byte HLT = (byte) 0xf4;
    /** lea rsp, [rsp - 8] ; hlt: RSP back where a call starts, so a call that returned leaves no RSP to write. */
    private static final byte[] TRAP = HexFormat.of().parseHex("488d6424f8f4");
    /** RIP once a call has returned: just past the trap's hlt. */
    private static final long RETURNED = RETURN_TRAP + TRAP.length;
    /**
     * Conditions, custom codes and buffers mapped at once, as hosts may ask for them; each is a
     * region of its own. Unicorn 2 (QEMU's {@code phys_section_add}) aborts the whole process once
     * one instance holds 4096 memory sections, and the root instance also mirrors every guest
     * region; mapping also slows as regions add up (measured: 2.4 s for the first 1000, 25 s for
     * 3000). Callers check {@link #allocationsLeft()} before installing.
     */
    public static final int MAX_ALLOCATIONS = 1024;
    /** Beyond {@link #MAX_ALLOCATIONS}, room for the agent's own code (the CPUID stub); never reached by hosts. */
    private static final int HARD_CAP = MAX_ALLOCATIONS + 64;

    private static final Set<Access> ALL = EnumSet.allOf(Access.class);
    private static final Set<Access> CODE = EnumSet.of(Access.READ, Access.EXECUTE);
    private static final Set<Access> DATA = EnumSet.of(Access.READ, Access.WRITE);

    private final Cpu root;
    /** The guest's memory in the root CPU, brought up to date before root code runs or root reads memory. */
    private final GuestMirror mirror;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment fixed;
    private final long budget;
    private final RootRegisters registers;
    private long nextFree = HEAP_START;
    private int allocations;

    private long bytesInUse;

    /**
     * Opens the root CPU beside {@code machine}'s and mirrors the guest's memory into it, now and as it is mapped.
     *
     * @param budget instructions a condition or custom code may execute per call
     */
    public VmxRoot(Machine machine, long budget) {
        this(machine, machine.cpu(), machine.openPrivateCpu(), budget);
    }

    /** With {@code machine}'s CPU and a root CPU of the caller's (a test's, counting the calls into them). */
    VmxRoot(Machine machine, Cpu guest, Cpu root, long budget) {
        if (budget <= 0) {
            root.close();
            throw new IllegalArgumentException("the code budget must be positive: " + budget);
        }
        this.budget = budget;
        this.root = root;
        this.mirror = new GuestMirror(root);
        this.fixed = arena.allocate(FIXED_SIZE, GuestMemory.PAGE);
        this.registers = new RootRegisters(guest, root, fixed.asSlice(0, GuestRegs.SIZE), RETURNED);
        MemorySegment.copy(TRAP, 0, fixed, ValueLayout.JAVA_BYTE, RETURN_TRAP - BASE, TRAP.length);
        root.map(BASE, fixed, ALL);
        GuestMemory guestMemory = machine.memory();
        guestMemory.reserveFrom(BASE, "vmx-root");
        guestMemory.addMappingListener(mirror);
    }

    /**
     * mov eax, ecx ; mov ecx, edx ; cpuid ; mov [r8], rax ; mov [r8+8], rbx ; mov [r8+16], rcx ;
     * mov [r8+24], rdx (the appended ret returns): CPUID as this CPU model answers it, for exits
     * that must emulate CPUID themselves.
     */
    private static final byte[] CPUID_STUB = HexFormat.of().parseHex("89c889d10fa2498900498958084989481049895018");
    private static final long CPUID_RESULT = 0x100;
    private RootAllocation cpuidStub;

    /** EAX, EBX, ECX, EDX of CPUID leaf {@code leaf}, sub-leaf {@code subleaf}, computed in vmx-root. */
    public long[] cpuid(long leaf, long subleaf) {
        if (cpuidStub == null) {
            cpuidStub = installCode(CPUID_STUB);
        }
        RootCallResult result = call(cpuidStub.address(), leaf, subleaf, GUEST_REGS_ADDRESS + CPUID_RESULT,
                CodeReach.ANYTHING);
        if (!(result instanceof RootCallResult.Returned)) {
            throw new IllegalStateException("CPUID in vmx-root failed: " + result);
        }
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) {
            out[i] = fixed.get(ValueLayout.JAVA_LONG, CPUID_RESULT + 8L * i) & 0xffff_ffffL;
        }
        return out;
    }

    /** CPUID as the guest sees it: this CPU model's answer with what {@link CpuidModel} adds (HyperDbg's {@code cpu}). */
    public long[] guestCpuid(long leaf, long subleaf) {
        return CpuidModel.complete(leaf, cpuid(leaf, subleaf));
    }

    /** Copies code into root pages and appends the {@code ret} HyperDbg appends. */
    public RootAllocation installCode(byte[] code) {
        byte[] withRet = Arrays.copyOf(code, code.length + 1);
        withRet[code.length] = RET;
        RootAllocation allocation = allocate(withRet.length, CODE);
        root.writeMemory(allocation.address(), withRet);
        root.forgetTranslations(allocation.address(), allocation.address() + allocation.byteSize());
        return allocation.holding(CodeReach.analyze(code));
    }

    /** spec: the requested buffer, zero-filled, kept until its action is removed. */
    public RootAllocation allocateBuffer(int size) {
        return allocate(size, DATA);
    }

    /** The root memory an allocation of {@code size} bytes takes: whole pages, at least one. */
    public static long footprint(long size) {
        return Math.max(1, (size + GuestMemory.PAGE - 1) / GuestMemory.PAGE) * GuestMemory.PAGE;
    }

    /** Root memory held by code and buffers now (not the fixed stack and GUEST_REGS area). */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** How many more conditions, custom codes and buffers may be installed now. */
    public int allocationsLeft() {
        return Math.max(0, MAX_ALLOCATIONS - allocations);
    }

    private RootAllocation allocate(int size, Set<Access> permissions) {
        if (allocations >= HARD_CAP) {
            // A refusal the caller did not check for is a bug, but one that must not abort the agent.
            throw new IllegalStateException("vmx-root already holds " + allocations + " allocations");
        }
        long pages = footprint(size) / GuestMemory.PAGE;
        long address = nextFree;
        root.map(address, pages * GuestMemory.PAGE, permissions);
        bytesInUse += pages * GuestMemory.PAGE;
        // Addresses are never reused, so no translated code of a freed allocation can be stale;
        // one page of gap catches code running off the end of its allocation.
        nextFree += (pages + 1) * GuestMemory.PAGE;
        allocations++;
        return new RootAllocation(address, pages, size, CodeReach.ANYTHING, 0);
    }

    public void free(RootAllocation allocation) {
        root.forgetTranslations(allocation.address(), allocation.address() + allocation.byteSize());
        root.unmap(allocation.address(), allocation.byteSize());
        bytesInUse -= allocation.byteSize();
        allocations--;
    }

    /**
     * spec: {@code Func(RequestedBuffer or NULL, Regs, Context)}. GUEST_REGS changes and shared
     * register changes apply to the guest only when the code returns; a fault or an exhausted
     * budget leaves the guest as it was.
     */
    public RootCallResult callCustomCode(RootAllocation code, long bufferAddress, GuestRegs frame, long context) {
        registers.copyGuestIn(frame);
        RootCallResult result = call(code.address(), bufferAddress, GUEST_REGS_ADDRESS, context, CodeReach.ANYTHING);
        if (!(result instanceof RootCallResult.Returned)) {
            registers.customCodeFailed();
            return result;
        }
        // A refused control register would have raised #GP on a CPU: as for any fault, the guest stays as it was.
        Optional<String> refused = registers.applyCustomCodeChanges(frame);
        return refused.isPresent() ? new RootCallResult.Faulted(refused.get()) : result;
    }

    /**
     * HyperDbg's condition convention: RCX = GUEST_REGS, RDX = context, RAX != 0 holds. Nothing
     * a condition changes reaches the guest.
     */
    public RootCallResult callCondition(RootAllocation code, GuestRegs frame, long context) {
        CodeReach reach = code.reach();
        if (reach != CodeReach.ANYTHING) {
            // Code that reaches registers alone gets the GUEST_REGS slots it reads (CodeReach), and nothing it
            // runs can change a shared register, so they are not read back.
            registers.copySlotsIn(code.guestRegsSlots(), frame);
            return call(code.address(), GUEST_REGS_ADDRESS, context, 0, reach);
        }
        registers.copyGuestIn(frame);
        RootCallResult result = call(code.address(), GUEST_REGS_ADDRESS, context, 0, reach);
        registers.conditionDone();
        return result;
    }

    private RootCallResult call(long entry, long rcx, long rdx, long r8, CodeReach reach) {
        mirror.sync();
        fixed.set(ValueLayout.JAVA_LONG_UNALIGNED, STACK_TOP - 8 - BASE, RETURN_TRAP);
        registers.writeCallRegisters(rcx, rdx, r8, STACK_TOP - 8);
        try {
            // The return lands on a hlt, which ends uc_emu_start. Passing RETURN_TRAP as "until"
            // instead would make Unicorn 2.0.1 drop and retranslate the code on every call
            // (measured: 2 us a call against 0.12 us; docs/benchmarks.md).
            // The trap's lea and hlt are not the code's: code of exactly budget instructions, its ret among them, returns.
            root.run(entry, budget + 2, mirror.pageZeroMapped() ? NO_UNTIL : UNTIL_ZERO);
        } catch (CpuException e) {
            registers.callFaulted();
            return new RootCallResult.Faulted(e.reason() + " at rip 0x" + Long.toHexString(root.read(CpuRegister.RIP)));
        }
        long rip = registers.readAfterCall(reach);
        if (rip == UNTIL_ZERO && !mirror.pageZeroMapped()) {
            registers.callFaulted();
            return new RootCallResult.Faulted(FETCH_AT_ZERO);
        }
        if (rip == RETURNED) {
            return new RootCallResult.Returned(registers.result());
        }
        byte[] previous = readIfMapped(rip - 1, 1);
        if (previous != null && previous[0] == HLT) {
            return new RootCallResult.Faulted("executed hlt at rip 0x" + Long.toHexString(rip - 1));
        }
        return new RootCallResult.BudgetExhausted(budget, rip);
    }

    /** Writes into a buffer of {@link #allocateBuffer} at {@code offset}; the bytes must fit in it. */
    public void writeBuffer(RootAllocation buffer, int offset, byte[] data) {
        if (offset < 0 || (long) offset + data.length > buffer.byteSize()) {
            throw new IllegalArgumentException(data.length + " bytes at " + offset + " do not fit a buffer of "
                    + buffer.byteSize());
        }
        root.writeMemory(buffer.address() + offset, data);
    }

    /**
     * spec: "if it's a valid address then it send it". Reads {@code length} bytes as root code
     * sees memory, or returns null when any of them is not mapped.
     */
    public byte[] readIfMapped(long address, int length) {
        mirror.sync();
        try {
            return root.readMemory(address, length);
        } catch (CpuException e) {
            return null;
        }
    }

    @Override
    public void close() {
        root.close();
        arena.close();
    }
}
