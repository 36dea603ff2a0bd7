package dev.hdbg.agent.vmx;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.vmx.decode.ComparisonFlags;
import dev.hdbg.common.event.Access;
import java.util.EnumSet;

/**
 * The page faults: an access to memory that is not mapped, or not with that permission. Each raises
 * {@code !exception} (vector 14) first. Unless an event swallowed it ({@code sc on}: the guest retries the access
 * where it stands, or wherever the event moved RIP), the guest's operating system takes it (a SIGSEGV handler, or the
 * program's death) at the next safe point; without one, the machine halts as the CPU reports the fault.
 */
final class PageFaults {
    static final int PF = 14;
    /** The last address of the canonical lower half, where the guest's own memory is. */
    private static final long USER_END = 0x7fff_ffff_ffffL;

    private final Cpu guest;
    private final InstructionExits exits;
    private final FaultingInstruction faulting;
    private ExitHandler handler;
    private SystemCalls systemCalls;

    PageFaults(Cpu guest, InstructionExits exits) {
        this.guest = guest;
        this.exits = exits;
        this.faulting = new FaultingInstruction(guest);
    }

    /** Installs the always-armed hooks. */
    void start(ExitHandler exitHandler) {
        this.handler = exitHandler;
        guest.onUnmapped(EnumSet.allOf(Access.class), (access, address, size, value) -> onPageFault(access, address,
                size, false));
        // Protection faults in the user half only: the agent's GDT is read-only above it, and loading a selector
        // from the host (r fs = ...) writes its accessed bit there from inside a call that cannot call back.
        guest.onProtectionFault(EnumSet.allOf(Access.class), 0, USER_END, (access, address, size, value) ->
                onPageFault(access, address, size, true));
    }

    /** The guest's operating system, which takes the faults no event swallows. */
    void setSystemCalls(SystemCalls calls) {
        this.systemCalls = calls;
    }

    /** @param present whether the page is mapped (a protection fault), as the x86 error code's bit 0 says */
    private boolean onPageFault(Access access, long address, int size, boolean present) {
        if (InstructionExits.isStop(address)) {
            return false;
        }
        long blockStart = guest.read(CpuRegister.RIP);
        FaultingInstruction.Located located = faulting.locate(blockStart, access, address, size);
        long rip = located.rip();
        if (rip != blockStart) {
            // The run ends with the fault whatever RIP is (a write of RIP in a hook only asks Unicorn to leave the
            // block); the event, the stop and the signal frame see the faulting instruction, and the flags it found.
            guest.write(CpuRegister.RIP, rip);
            located.flags().ifPresent(flags -> guest.write(CpuRegister.RFLAGS,
                    guest.read(CpuRegister.RFLAGS) & ~ComparisonFlags.MASK | flags));
        }
        boolean shortCircuit = false;
        if (handler.watches(ExitReason.EXCEPTION)) {
            VmExit exit = VmExit.pre(ExitReason.EXCEPTION, PF);
            shortCircuit = handler.onExit(exit);
            if (handler.wantsPost(ExitReason.EXCEPTION, PF)) {
                handler.onExit(exit.post());
            }
        }
        if (systemCalls == null) {
            return false; // nothing maps it: the CPU reports the fault, the machine halts
        }
        if (shortCircuit) {
            exits.complete(new Completion.Resume(guest.read(CpuRegister.RIP)));
            return false;
        }
        boolean write = access == Access.WRITE;
        boolean fetch = access == Access.EXECUTE;
        long errorCode = (present ? 1 : 0) | (write ? 2 : 0) | 4 | (fetch ? 16 : 0);
        SystemCalls.Fault fault = new SystemCalls.Fault(PF, rip, address, errorCode);
        Completion.HeldFault held = exits.signalStops().held(fault);
        if (held != null) {
            exits.complete(held); // the debugger stops before the fault's signal
            return false;
        }
        // The CPU ends the run with the access's error whatever happens here; the loop then resumes where this says.
        exits.complete(switch (systemCalls.fault(fault).orElse(null)) {
            case null -> null;
            case SystemCalls.Outcome.Returned r -> new Completion.Resume(guest.read(CpuRegister.RIP));
            case SystemCalls.Outcome.Yielded y -> new Completion.Resume(rip); // its process died: another's turn
            case SystemCalls.Outcome.Exited e -> new Completion.Exited(e.status(), rip);
            case SystemCalls.Outcome.Killed k -> new Completion.Killed(k.signal(), rip);
            case SystemCalls.Outcome.Stopped st -> throw new IllegalStateException("a fault's signal is held back "
                    + "before the operating system sees it (SignalStops), never by it");
            case SystemCalls.Outcome.Idle i -> throw new IllegalStateException("only a safe point idles");
        });
        return false;
    }
}
