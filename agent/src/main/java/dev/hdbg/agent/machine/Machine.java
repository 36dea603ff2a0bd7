package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.GuestRegister;
import java.util.Optional;

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

    /** {@code register}'s value as the machine holds it: CR4 shows the agent's TSD bit. */
    public long read(GuestRegister register) {
        return unicorn.regRead(RegisterMap.toUnicorn(register));
    }

    /**
     * Writes {@code register}; CR4 keeps the agent's TSD bit ({@link UserMode#actualCr4}), without
     * which RDTSC would no longer reach the agent. Unchecked: see {@link #refusal}.
     */
    public void write(GuestRegister register, long value) {
        unicorn.regWrite(RegisterMap.toUnicorn(register), register == GuestRegister.CR4 ? UserMode.actualCr4(value) : value);
    }

    /**
     * Why the host may not write {@code value} to {@code register}, or empty: a control register
     * must be left in a state a CPU can run ({@link ControlRegisterCheck#hostRefusal}); other
     * registers take any value.
     */
    public Optional<String> refusal(GuestRegister register, long value) {
        int cr = switch (register) {
            case CR0 -> 0;
            case CR3 -> 3;
            case CR4 -> 4;
            default -> -1;
        };
        return cr < 0 ? Optional.empty() : ControlRegisterCheck.of(unicorn).hostRefusal(cr, value);
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
