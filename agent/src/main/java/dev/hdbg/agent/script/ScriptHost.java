package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.PseudoRegister;

/**
 * The debugger's side of a running script: what a compiled script reads, writes and asks for. The debugger implements
 * it over the machine of the core that triggered the event (phase 2 of issue 10); tests implement it over a map of
 * registers and an array of bytes.
 *
 * <p>A script runs on one thread at a time per core; the methods are called on that thread. Values are 64-bit and
 * read as unsigned; multi-byte memory values are little-endian. Memory is the guest's virtual memory, which hdbg's
 * machine maps one-to-one to physical memory, so the scripts' {@code _pa} functions use the same methods.
 */
public interface ScriptHost {
    /** The whole register, as custom code's GUEST_REGS and the {@code r} command see it. */
    long readRegister(GuestRegister register);

    /**
     * Sets a whole register; the guest goes on with the new value, as after custom code's GUEST_REGS writes. A
     * sub-register or a flag ({@code @ah}, {@code @zf}) arrives here as a read of the base, the bits changed, and this
     * write of the base.
     */
    void writeRegister(GuestRegister register, long value);

    /** A pseudo-register's value for this trigger; 0 for one the machine does not have (HyperDbg's rule). */
    long pseudoRegister(PseudoRegister register);

    /**
     * Reads 1, 2, 4 or 8 bytes, zero-extended.
     *
     * @throws GuestMemoryFault when any of the bytes cannot be read
     */
    long readMemory(long address, int size);

    /**
     * Writes the low 1, 2, 4 or 8 bytes of {@code value}.
     *
     * @return false, and nothing written, when any of the bytes cannot be written
     */
    boolean writeMemory(long address, int size, long value);

    /** Copies {@code length} bytes of guest memory into {@code into}; false on a fault ({@code into} undefined). */
    boolean readBytes(long address, byte[] into, int offset, int length);

    /** Copies {@code length} bytes into guest memory; false, and nothing written, on a fault. */
    boolean writeBytes(long address, byte[] from, int offset, int length);

    /** Whether all {@code length} bytes at {@code address} can be read and written ({@code check_address}). */
    boolean isAddressValid(long address, int length);

    /**
     * Atomically replaces the 4 or 8 bytes at {@code address} with {@code replacement} if they hold {@code expected}.
     * Atomic with respect to every core of the machine: every vCPU thread's atomics and memory writes through this
     * host synchronise on the same lock (or use the hardware's compare-and-exchange on the same memory).
     *
     * @return the value the bytes held before, zero-extended
     * @throws GuestMemoryFault when the bytes cannot be read and written
     */
    long compareAndExchange(long address, int size, long expected, long replacement);

    /** Atomically adds {@code delta} to the 4 or 8 bytes at {@code address}; the value before. Atomic as above. */
    long getAndAdd(long address, int size, long delta);

    /** Atomically sets the 4 or 8 bytes at {@code address}; the value before. Atomic as above. */
    long getAndSet(long address, int size, long value);

    /**
     * The length of the instruction at {@code address} decoded as 32- or 64-bit code ({@code disassemble_len}); 0 when
     * the bytes cannot be read or are no valid instruction.
     */
    int instructionLength(long address, int bits);

    /**
     * Output of {@code printf} and {@code print}: one call per call in the script, the text complete, as UTF-8 bytes
     * (possibly malformed: a guest string's bytes go in as they are; whoever makes text of them replaces what is
     * malformed, as {@code new String(bytes, UTF_8)} does). The array is the callee's. The debugger makes of it a
     * record (its text, event, action, core and sequence number), delivered as the action's {@code imm} option says.
     */
    void print(byte[] utf8);

    /** {@code event_enable(id)}. */
    void eventEnable(long eventId);

    /** {@code event_disable(id)}. */
    void eventDisable(long eventId);

    /** {@code event_clear(id)}: disabled now, removed once the guest goes on. */
    void eventClear(long eventId);

    /** {@code event_sc(x)}: whether this trigger of the event is short-circuited (its instruction skipped). */
    void shortCircuit(boolean skip);

    /** {@code pause()}: break to the debugger once this action is done. */
    void pause();

    /** {@code flush()}: drop the script output still waiting to be delivered. */
    void flush();

    /** {@code rdtsc()}: the core's time-stamp counter. */
    long rdtsc();

    /** {@code rdtscp()}: the core's time-stamp counter, as RDTSCP reads it. */
    long rdtscp();

    /**
     * {@code microsleep(us)}: holds this core for the given time. The run has already been charged one operation per
     * microsecond, so a run sleeps no longer in all than its operation budget in microseconds.
     */
    void microsleep(long microseconds);
}
