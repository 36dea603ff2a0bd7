package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.CpuException;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.script.GuestMemoryFault;
import dev.hdbg.agent.script.ScriptHost;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.script.PseudoRegister;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A script's view of the guest while one trigger (or one {@code ?}) runs: registers through the exit's GUEST_REGS
 * frame, so a script's writes reach the guest as custom code's GUEST_REGS writes do; guest memory, with the pseudo
 * strings of {@link PseudoStrings} readable beside it and the action's {@link ScriptBuffer} ({@code $buffer}) before
 * it; the triggering event's pseudo-registers. One per debugger,
 * reused for every run on the execution thread: {@link #begin} sets up a run and nothing is allocated per trigger.
 *
 * <p>Memory is emulated physical memory mapped one-to-one, so the {@code _pa} functions read the same bytes. The
 * machine's cores take turns on this thread, the only one touching guest memory, so the interlocked functions are
 * atomic with respect to every vCPU by construction.
 */
final class GuestScriptHost implements ScriptHost {
    private final Machine machine;
    private final EventRegistry registry;
    private final PseudoStrings strings;
    private final LogTaker target;
    private final InstructionLengths lengths;
    private final ScriptBuffer buffer;

    private GuestRegs frame;
    private VmExit exit;
    private long eventId;
    private Consumer<byte[]> output;
    private Consumer<String> refusals;
    private boolean pauseRequested;
    private Boolean shortCircuit;

    GuestScriptHost(Machine machine, EventRegistry registry, PseudoStrings strings, ScriptBuffer buffer, LogTaker target) {
        this.machine = machine;
        this.registry = registry;
        this.strings = strings;
        this.target = target;
        this.lengths = new InstructionLengths(machine);
        this.buffer = buffer;
    }

    /**
     * Sets up one run.
     *
     * @param exit     the exit that triggered the event, or null for {@code ?} ($context and $event_stage are then 0)
     * @param output   where printf's text goes, as UTF-8 bytes (see {@link ScriptHost#print})
     * @param refusals where a register write the CPU would refuse is reported (the write is skipped)
     * @param buffer   the action's requested buffer ({@code $buffer}), or null
     * @param bufferSize the bytes requested for it
     */
    void begin(GuestRegs frame, VmExit exit, long eventId, Consumer<byte[]> output, Consumer<String> refusals,
               RootAllocation buffer, int bufferSize) {
        this.buffer.use(buffer, bufferSize);
        this.frame = frame;
        this.exit = exit;
        this.eventId = eventId;
        this.output = output;
        this.refusals = refusals;
        this.pauseRequested = false;
        this.shortCircuit = null;
    }

    /** Whether the run called {@code pause()}. */
    boolean pauseRequested() {
        return pauseRequested;
    }

    /** {@code event_sc(x)}'s last word for this trigger, or null when the script did not call it. */
    Boolean shortCircuit() {
        return shortCircuit;
    }

    @Override
    public long readRegister(GuestRegister register) {
        if (register.isGeneralPurpose()) {
            return frame.get(machine.cpu(), register.ordinal());
        }
        return machine.read(register);
    }

    @Override
    public void writeRegister(GuestRegister register, long value) {
        var refusal = machine.refusal(register, value);
        if (refusal.isPresent()) {
            refusals.accept("@" + register.wireName() + " = 0x" + Long.toHexString(value) + " was not written: "
                    + Machine.refusalText(register, refusal.get()));
            return;
        }
        try {
            machine.write(register, value);
        } catch (CpuException e) {
            refusals.accept("@" + register.wireName() + " = 0x" + Long.toHexString(value) + " was not written: "
                    + "the CPU raises an exception loading it (" + e.reason() + ")");
            return;
        }
        if (register.isGeneralPurpose() || register == GuestRegister.RIP) {
            frame.invalidate(); // later reads and later actions see the new value
        }
    }

    @Override
    public long pseudoRegister(PseudoRegister register) {
        return switch (register) {
            case PID -> target.pid();
            case TID -> target.tid();
            case CORE -> target.core();
            case IP -> machine.rip();
            case CONTEXT -> exit == null ? 0 : exit.context();
            case EVENT_ID, EVENT_TAG -> eventId;
            case EVENT_STAGE -> exit == null ? 0 : exit.stage().pseudoRegisterValue();
            case PNAME -> strings.processName(target.processName());
            case DATE -> strings.date();
            case TIME -> strings.time();
            case BUFFER -> buffer.address();
            // No process or thread object, no PEB or TEB: HyperDbg's 0 for what is absent.
            case PROC, THREAD, PEB, TEB -> 0;
        };
    }

    @Override
    public long readMemory(long address, int size) {
        byte[] bytes = read(address, size);
        if (bytes == null) {
            throw new GuestMemoryFault(address, size);
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | (bytes[i] & 0xff);
        }
        return value;
    }

    @Override
    public boolean writeMemory(long address, int size, long value) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return write(address, bytes);
    }

    @Override
    public boolean readBytes(long address, byte[] into, int offset, int length) {
        byte[] bytes = read(address, length);
        if (bytes == null) {
            return false;
        }
        System.arraycopy(bytes, 0, into, offset, length);
        return true;
    }

    @Override
    public boolean writeBytes(long address, byte[] from, int offset, int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(from, offset, bytes, 0, length);
        return write(address, bytes);
    }

    @Override
    public boolean isAddressValid(long address, int length) {
        return length >= 0 && (buffer.holds(address, length) || machine.memory().isMapped(address, length));
    }

    @Override
    public long compareAndExchange(long address, int size, long expected, long replacement) {
        long before = readMemory(address, size);
        if (before == (size == 4 ? expected & 0xffff_ffffL : expected) && !writeMemory(address, size, replacement)) {
            throw new GuestMemoryFault(address, size);
        }
        return before;
    }

    @Override
    public long getAndAdd(long address, int size, long delta) {
        long before = readMemory(address, size);
        if (!writeMemory(address, size, before + delta)) {
            throw new GuestMemoryFault(address, size);
        }
        return before;
    }

    @Override
    public long getAndSet(long address, int size, long value) {
        long before = readMemory(address, size);
        if (!writeMemory(address, size, value)) {
            throw new GuestMemoryFault(address, size);
        }
        return before;
    }

    @Override
    public int instructionLength(long address, int bits) {
        return lengths.at(address, bits);
    }

    @Override
    public void print(byte[] utf8) {
        output.accept(utf8);
    }

    @Override
    public void eventEnable(long id) {
        modify(id, EventModification.ENABLE);
    }

    @Override
    public void eventDisable(long id) {
        modify(id, EventModification.DISABLE);
    }

    @Override
    public void eventClear(long id) {
        modify(id, EventModification.CLEAR);
    }

    /** An id that names no event changes nothing, as in HyperDbg. */
    private void modify(long id, EventModification modification) {
        try {
            registry.modify(id, modification);
        } catch (DebuggerException e) {
            // no such event
        }
    }

    @Override
    public void shortCircuit(boolean skip) {
        shortCircuit = skip;
    }

    @Override
    public void pause() {
        pauseRequested = true;
    }

    /** Records already made are the host's: hdbg keeps every record until it is acknowledged (docs/scripts.md). */
    @Override
    public void flush() {
    }

    @Override
    public long rdtsc() {
        return System.nanoTime();
    }

    @Override
    public long rdtscp() {
        return System.nanoTime();
    }

    @Override
    public void microsleep(long microseconds) {
        LockSupport.parkNanos(microseconds * 1000);
    }

    private byte[] read(long address, int length) {
        if (buffer.holds(address, length)) {
            return buffer.read(address, length);
        }
        try {
            return machine.memory().read(address, length);
        } catch (UnmappedAddressException e) {
            return strings.read(address, length);
        }
    }

    private boolean write(long address, byte[] bytes) {
        if (buffer.holds(address, bytes.length)) {
            buffer.write(address, bytes);
            return true;
        }
        try {
            machine.memory().write(address, bytes);
            return true;
        } catch (UnmappedAddressException e) {
            return false;
        }
    }
}
