package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.ControlRegisterCheck;
import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.RegisterList;
import dev.hdbg.agent.machine.UserMode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The register bookkeeping of a {@link VmxRoot} call: the guest's registers into GUEST_REGS, the shared registers into
 * the root and (after custom code) back to the guest, the call registers, and what is read back after the call. It
 * remembers what the root holds, so that a call writes the root only where it differs from what the call needs and
 * reads back only what the code can have changed, which {@link CodeReach} decides (a hot event calls its condition
 * every hit; docs/benchmarks.md, "The hot hit path, wave 10" and "Machine-code conditions, wave 13").
 */
final class RootRegisters {
    /**
     * spec: non-general-purpose registers custom code changes apply to the guest directly, XMM
     * excepted. These are copied into the root before a call and the changes copied back after.
     * RIP, RFLAGS and the segment selectors are the caller's own (VMCS-switched in HyperDbg).
     */
    static final RegisterList SHARED = RegisterList.of(CpuRegister.CR0, CpuRegister.CR2, CpuRegister.CR3,
            CpuRegister.CR4, CpuRegister.CR8, CpuRegister.DR0, CpuRegister.DR1, CpuRegister.DR2, CpuRegister.DR3,
            CpuRegister.DR6, CpuRegister.DR7, CpuRegister.FS_BASE, CpuRegister.GS_BASE);
    /** Where the control registers are in {@link #SHARED}. */
    private static final int CR0_INDEX = 0;
    private static final int CR3_INDEX = 2;
    private static final int CR4_INDEX = 3;
    private static final int CR8_INDEX = 4;
    private static final RegisterList CALL_REGS = RegisterList.of(CpuRegister.RCX, CpuRegister.RDX, CpuRegister.R8,
            CpuRegister.RSP, CpuRegister.RAX);
    private static final int RAX_IN_CALL = 4;
    /** Read from the root after a call, at once: CALL_REGS as the code left them (RAX: its result), RIP, SHARED. */
    private static final RegisterList AFTER_CALL = concat(CALL_REGS, RegisterList.of(CpuRegister.RIP), SHARED);
    private static final int RIP_AFTER_CALL = CALL_REGS.size();
    private static final int SHARED_AFTER_CALL = RIP_AFTER_CALL + 1;
    /** Read after a call of {@link CodeReach#REGISTERS} code: AFTER_CALL without SHARED, which it cannot change. */
    private static final RegisterList AFTER_REGISTER_CODE = concat(CALL_REGS, RegisterList.of(CpuRegister.RIP));
    /** Read after a call of {@link CodeReach#REGISTERS_BUT_ARGUMENTS} code: its result and where it stopped. */
    private static final RegisterList RESULT_AND_RIP = RegisterList.of(CpuRegister.RAX, CpuRegister.RIP);
    /** The guest's state a call copies in, read at once when the exit's frame is not loaded yet. */
    private static final RegisterList GUEST_IN = concat(RegisterList.GPRS, SHARED);

    private final Cpu guest;
    private final Cpu root;
    private final MemorySegment guestRegsStructure;
    /** RIP once a call has returned through the root's trap, which leaves RSP where the call began. */
    private final long returned;

    private final long[] callValues = new long[CALL_REGS.size()];
    private final long[] afterCall = new long[AFTER_CALL.size()];
    private final long[] resultAndRip = new long[RESULT_AND_RIP.size()];
    /**
     * Whether {@link #afterCall} holds the root's call registers and RIP after the last call (not when it raised a CPU
     * fault), and its SHARED part the root's shared registers when that call was of {@link CodeReach#ANYTHING} code.
     */
    private boolean afterCallRead;
    private final long[] guestIn = new long[GUEST_IN.size()];
    private final long[] sharedInRoot = new long[SHARED.size()];
    private final long[] sharedScratch = new long[SHARED.size()];
    private boolean sharedInRootKnown;

    /**
     * @param guestRegsStructure the root's GUEST_REGS, as the root's code reads it
     * @param returned RIP once a call has returned
     */
    RootRegisters(Cpu guest, Cpu root, MemorySegment guestRegsStructure, long returned) {
        this.guest = guest;
        this.root = root;
        this.guestRegsStructure = guestRegsStructure;
        this.returned = returned;
    }

    /** Before a call of {@link CodeReach#ANYTHING} code: GUEST_REGS whole, the guest's shared registers where they differ. */
    void copyGuestIn(GuestRegs frame) {
        if (frame.isLoaded()) {
            guest.read(SHARED, sharedScratch);
        } else {
            guest.read(GUEST_IN, guestIn);
            frame.loadFrom(guestIn);
            System.arraycopy(guestIn, GuestRegs.COUNT, sharedScratch, 0, SHARED.size());
        }
        frame.store(guest, guestRegsStructure);
        syncSharedIn();
    }

    /**
     * Before a call of code that reads and writes general-purpose registers alone and reads at most the GUEST_REGS
     * slots {@code slots} names (bit i: the i-th register): only those slots are stored, from the frame when it is
     * loaded, else each register read alone; the other slots hold whatever an earlier call left, which the code cannot
     * see. The guest's shared registers still go into the root: its paging (CR0, CR3, CR4) and debug registers apply
     * to the code's fetches as they do for any call.
     */
    void copySlotsIn(int slots, GuestRegs frame) {
        guest.read(SHARED, sharedScratch);
        syncSharedIn();
        for (int rest = slots; rest != 0; rest &= rest - 1) {
            int index = Integer.numberOfTrailingZeros(rest);
            guestRegsStructure.set(ValueLayout.JAVA_LONG, index * 8L, frame.get(guest, index));
        }
    }

    /** The call registers, written to the root unless it holds them from the last call; RAX starts at 0. */
    void writeCallRegisters(long rcx, long rdx, long r8, long rsp) {
        callValues[0] = rcx;
        callValues[1] = rdx;
        callValues[2] = r8;
        callValues[3] = rsp;
        callValues[RAX_IN_CALL] = 0;
        if (!afterCallRead || !Arrays.equals(callValues, 0, callValues.length, afterCall, 0, callValues.length)) {
            root.write(CALL_REGS, callValues);
        }
    }

    /** After a call that raised a fault: what the root's registers hold is unknown (a page fault's CR2 among them). */
    void callFaulted() {
        afterCallRead = false;
        sharedInRootKnown = false;
    }

    /**
     * Reads what the code, a call of {@code reach} code that ran to its end, can have changed of the root's registers;
     * returns RIP.
     */
    long readAfterCall(CodeReach reach) {
        if (reach == CodeReach.REGISTERS_BUT_ARGUMENTS) {
            root.read(RESULT_AND_RIP, resultAndRip);
            long rip = resultAndRip[1];
            // RCX, RDX, R8 as written; RSP as the call began once the trap ran. Stopped elsewhere, RSP is unknown.
            System.arraycopy(callValues, 0, afterCall, 0, RAX_IN_CALL);
            afterCall[RAX_IN_CALL] = resultAndRip[0];
            afterCall[RIP_AFTER_CALL] = rip;
            afterCallRead = rip == returned;
            // Code on registers cannot change a shared register; stopped anywhere but the trap, the root is re-synced.
            sharedInRootKnown = afterCallRead;
            return rip;
        }
        root.read(reach == CodeReach.REGISTERS ? AFTER_REGISTER_CODE : AFTER_CALL, afterCall);
        afterCallRead = true;
        return afterCall[RIP_AFTER_CALL];
    }

    /** RAX as the last call's code left it: its result. */
    long result() {
        return afterCall[RAX_IN_CALL];
    }

    /**
     * After a condition of {@link CodeReach#ANYTHING} code: what it left in the root's shared registers stays there
     * (not in the guest), and the next call compares. (Code on registers cannot change them: {@link #readAfterCall}.)
     */
    void conditionDone() {
        if (afterCallRead) {
            System.arraycopy(afterCall, SHARED_AFTER_CALL, sharedInRoot, 0, SHARED.size());
        }
        sharedInRootKnown = afterCallRead;
    }

    /**
     * After custom code returned: its GUEST_REGS and shared register changes to the guest, unless a control register it
     * set would have raised #GP on a CPU; then, as for any fault, the guest stays as it was and the refusal is returned.
     */
    Optional<String> applyCustomCodeChanges(GuestRegs frame) {
        System.arraycopy(afterCall, SHARED_AFTER_CALL, sharedScratch, 0, SHARED.size());
        Optional<String> refused = refusedControlRegister();
        if (refused.isPresent()) {
            sharedInRootKnown = false;
            return refused;
        }
        frame.applyChanges(guest, guestRegsStructure);
        syncSharedOut();
        return refused;
    }

    /** After custom code that did not return: the guest stays as it was, and the root's shared registers are unknown. */
    void customCodeFailed() {
        sharedInRootKnown = false;
    }

    /** Writes the guest's shared registers, read into {@link #sharedScratch}, to the root unless it holds them. */
    private void syncSharedIn() {
        if (!sharedInRootKnown || !Arrays.equals(sharedScratch, sharedInRoot)) {
            root.write(SHARED, sharedScratch);
            System.arraycopy(sharedScratch, 0, sharedInRoot, 0, SHARED.size());
            sharedInRootKnown = true;
        }
    }

    /** Copies the shared registers the code changed ({@link #sharedScratch}, read after the call) to the guest. */
    private void syncSharedOut() {
        for (int i = 0; i < SHARED.size(); i++) {
            if (sharedScratch[i] != sharedInRoot[i]) {
                // CR4.TSD stays set in the guest: it is how RDTSC reaches the agent.
                CpuRegister register = SHARED.get(i);
                guest.write(register, register == CpuRegister.CR4 ? UserMode.actualCr4(sharedScratch[i]) : sharedScratch[i]);
                sharedInRoot[i] = sharedScratch[i];
            }
        }
    }

    /**
     * Why the control registers the code left in {@link #sharedScratch} would not be accepted from the host
     * ({@link ControlRegisterCheck#hostRefusal}), judged together: a CR4.PAE set and a CR0.PG set in one call
     * are fine in either order.
     */
    private Optional<String> refusedControlRegister() {
        long efer = guest.readMsr(ControlRegisterCheck.IA32_EFER);
        long cr0 = sharedScratch[CR0_INDEX];
        long cr4 = UserMode.guestCr4(sharedScratch[CR4_INDEX]);
        Optional<String> why = Optional.empty();
        if (changed(CR0_INDEX)) {
            why = new ControlRegisterCheck(sharedInRoot[CR0_INDEX], cr4, efer).hostRefusal(0, cr0).map(w -> refusal(0, cr0, w));
        }
        if (why.isEmpty() && changed(CR4_INDEX)) {
            why = new ControlRegisterCheck(cr0, UserMode.guestCr4(sharedInRoot[CR4_INDEX]), efer).hostRefusal(4, cr4)
                    .map(w -> refusal(4, cr4, w));
        }
        for (int[] other : new int[][] {{CR3_INDEX, 3}, {CR8_INDEX, 8}}) {
            long value = sharedScratch[other[0]];
            if (why.isEmpty() && changed(other[0])) {
                why = new ControlRegisterCheck(cr0, cr4, efer).hostRefusal(other[1], value).map(w -> refusal(other[1], value, w));
            }
        }
        return why;
    }

    private boolean changed(int index) {
        return sharedScratch[index] != sharedInRoot[index];
    }

    private static String refusal(int cr, long value, String why) {
        return "the code set cr" + cr + " = 0x" + Long.toHexString(value) + ", which the CPU refuses with #GP: " + why;
    }

    private static RegisterList concat(RegisterList... lists) {
        return RegisterList.of(Stream.of(lists).flatMap(l -> l.asList().stream()).toArray(CpuRegister[]::new));
    }
}
