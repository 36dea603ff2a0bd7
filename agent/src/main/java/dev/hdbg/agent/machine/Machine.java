package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.GuestRegister;

/**
 * The emulated x86-64 machine: one Unicorn instance, its memory, and what was loaded into it.
 * Owned by the execution thread; not thread-safe.
 */
public final class Machine implements AutoCloseable {
    private final Unicorn unicorn;
    private final GuestMemory memory;
    private String targetDescription = "nothing loaded";
    private long entry;

    public Machine() {
        this.unicorn = Unicorn.openX86_64();
        this.memory = new GuestMemory(unicorn);
    }

    /** The raw emulator, for the exit machinery; debugger code goes through this class. */
    public Unicorn unicorn() {
        return unicorn;
    }

    public GuestMemory memory() {
        return memory;
    }

    public long read(GuestRegister register) {
        return unicorn.regRead(RegisterMap.toUnicorn(register));
    }

    public void write(GuestRegister register, long value) {
        unicorn.regWrite(RegisterMap.toUnicorn(register), value);
    }

    public long rip() {
        return unicorn.regRead(X86Reg.RIP);
    }

    public long entry() {
        return entry;
    }

    public String targetDescription() {
        return targetDescription;
    }

    public void loaded(String description, long entryPoint) {
        this.targetDescription = description;
        this.entry = entryPoint;
    }

    @Override
    public void close() {
        unicorn.close();
        memory.close();
    }
}
