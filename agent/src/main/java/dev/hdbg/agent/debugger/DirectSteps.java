package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StackWindow;

/**
 * Whether a {@code t} of a stopped target may run on the thread that read the request (the server's event loop)
 * instead of being handed to the execution thread: two thread wake-ups of a step's round trip, and the reply's third
 * (docs/benchmarks.md, "Step latency, wave 5"). Only a step that cannot wait for anything may: a thread that reads
 * requests must never block on one. So no event may be armed (an event's break holds the guest and serves requests;
 * its actions publish records), the record store must have room for the break record (a full store waits for the
 * host's acknowledgement, which the same thread would have to read), and the instruction must not enter the guest's
 * operating system (a system call may wait, for a child or another thread); and the program must have one thread (a
 * step of one of several may end on another). A breakpoint on the next instruction is
 * the one break such a step can meet: {@link ExecutionLoop} turns it into a plain stop there.
 *
 * <p>Its stop may go to the host with the step's reply (since 1.15), and hosts take such a stop as one no system call
 * led to (the modules and the memory map are as they were: docs/protocol.md, "A step's stop in its reply"): a step
 * allowed here must never enter the guest's operating system.
 */
final class DirectSteps {
    private final Machine machine;
    private final EventRegistry registry;
    private final RecordQueue queue;

    DirectSteps(Machine machine, EventRegistry registry, RecordQueue queue) {
        this.machine = machine;
        this.registry = registry;
        this.queue = queue;
    }

    /** With the machine held and the target stopped: whether a step of the current core may run here and now. */
    boolean allowed() {
        // One core: with more threads a step can end on another one (its own killed by a fault, a signal due), which
        // is the guest's scheduling, left to the execution thread.
        return machine.vcpus().count() == 1 && registry.isEmpty() && queue.hasRoomFor(2)
                && !entersTheSystem(machine.memory().readUpTo(machine.rip(), 15));
    }

    /** {@code syscall}, {@code sysenter}, {@code int N}, {@code int3}, {@code int1}, {@code into}, after any prefixes. */
    static boolean entersTheSystem(byte[] code) {
        int i = Stepper.opcodeIndex(code);
        if (i >= code.length) {
            return true; // unreadable: let the execution thread meet the fault
        }
        int op = code[i] & 0xff;
        if (op == 0xcd || op == 0xcc || op == 0xf1 || op == 0xce) {
            return true;
        }
        if (op == 0x0f) {
            if (i + 1 >= code.length) {
                return true;
            }
            int second = code[i + 1] & 0xff;
            return second == 0x05 || second == 0x34 || second == 0x07 || second == 0x35;
        }
        return false;
    }

    /**
     * With the machine held at a direct step's stop: the stack {@code window} covers around {@code core}'s rsp and
     * rbp (at most {@link StackWindow#MAX_BYTES}). Its part below rsp is left out when unmapped (the stack's lowest
     * page); nothing when the rest is unmapped too: the host then reads exactly, and meets the fault there.
     */
    StackBytes readStack(StackWindow window, int core) {
        long rsp = machine.read(core, GuestRegister.RSP);
        long rbp = machine.read(core, GuestRegister.RBP);
        long start = window.start(rsp);
        int length = window.length(rsp, rbp);
        GuestMemory memory = machine.memory();
        if (length > 0 && memory.isMapped(start, length)) {
            return new StackBytes(start, memory.read(start, length));
        }
        int fromRsp = (int) (length - (rsp - start));
        if (start != rsp && fromRsp > 0 && memory.isMapped(rsp, fromRsp)) {
            return new StackBytes(rsp, memory.read(rsp, fromRsp));
        }
        return new StackBytes(start, new byte[0]);
    }
}
