package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.common.event.GuestRegister;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The emulated x86-64 machine: its CPU, its memory, and what was loaded into it. Owned by the execution thread;
 * not thread-safe.
 */
public final class Machine implements AutoCloseable {
    /** {@link GuestRegister#AT_STOP} for one call into the emulator. */
    private static final RegisterList AT_STOP = RegisterList.of(
            GuestRegister.AT_STOP.stream().map(RegisterMap::toCpu).toArray(CpuRegister[]::new));
    private final UnicornCpu cpu;
    private final GuestMemory memory;
    private final Vcpus vcpus;
    private String targetDescription = "nothing loaded";
    private long entry;

    public Machine() {
        this.cpu = UnicornCpu.open();
        this.memory = new GuestMemory(cpu);
        this.vcpus = new Vcpus(cpu, cpu.unicorn());
    }

    /** The machine's cores (one per guest thread), which take turns on {@link #cpu()}. */
    public Vcpus vcpus() {
        return vcpus;
    }

    /** The guest's CPU: what the exits and the debugger run, stop, hook and read. */
    public Cpu cpu() {
        return cpu;
    }

    /**
     * A CPU of the same model with an address space of its own, for vmx-root; the caller closes it. Guest memory
     * reaches it only where the caller maps it ({@link GuestMemory#addMappingListener}).
     */
    public Cpu openPrivateCpu() {
        return UnicornCpu.open();
    }

    /**
     * The Unicorn engine behind {@link #cpu()}, for the machine layer alone (the loaders, the guest's operating
     * system in {@code os}): the layers above use {@link #cpu()}, and {@code ArchitectureTest} fails when one of
     * them reaches for this.
     */
    public Unicorn unicorn() {
        return cpu.unicorn();
    }

    public GuestMemory memory() {
        return memory;
    }

    /**
     * What a break record carries ({@link GuestRegister#AT_STOP}), as {@link #read(GuestRegister)} reads each, in one
     * call into the emulator: 26 calls of their own were a tenth of a step's work in the agent (docs/benchmarks.md,
     * "Agent step cost, wave 7").
     */
    public Map<GuestRegister, Long> readAtStop() {
        long[] values = new long[AT_STOP.size()];
        cpu.read(AT_STOP, values);
        Map<GuestRegister, Long> registers = new EnumMap<>(GuestRegister.class);
        for (int i = 0; i < values.length; i++) {
            registers.put(GuestRegister.AT_STOP.get(i), values[i]);
        }
        return registers;
    }

    /** {@code register}'s value as the machine holds it: CR4 shows the agent's TSD bit. */
    public long read(GuestRegister register) {
        return cpu.read(RegisterMap.toCpu(register));
    }

    /**
     * Writes {@code register}; CR4 keeps the agent's TSD bit ({@link UserMode#actualCr4}), without
     * which RDTSC would no longer reach the agent. Unchecked: see {@link #refusal}.
     */
    public void write(GuestRegister register, long value) {
        cpu.write(RegisterMap.toCpu(register), register == GuestRegister.CR4 ? UserMode.actualCr4(value) : value);
    }

    /** A {@link #refusal} as a sentence: what the CPU would do, where it would fault. */
    public static String refusalText(GuestRegister register, String refusal) {
        return register == GuestRegister.CR8 ? refusal : refusal + " (the CPU would raise #GP)";
    }

    /** Why cr8 takes no value but 0: said rather than the write dropped silently. */
    static final String CR8_DROPPED = "the emulated CPU has no local APIC, so cr8 (its task priority) stays 0"
            + " (Unicorn 2.0.1 drops writes to it)";

    /**
     * Why the host may not write {@code value} to {@code register}, or empty: a control register
     * must be left in a state a CPU can run ({@link ControlRegisterCheck#hostRefusal}), a selector
     * or RFLAGS must be one the CPU would load ({@link SegmentCheck}); other registers take any value.
     */
    public Optional<String> refusal(GuestRegister register, long value) {
        int cr = switch (register) {
            case CR0 -> 0;
            case CR3 -> 3;
            case CR4 -> 4;
            default -> -1;
        };
        if (register == GuestRegister.CR8 && value != 0) {
            return Optional.of(CR8_DROPPED);
        }
        return cr < 0 ? UserMode.segmentRefusal(register, value) : ControlRegisterCheck.of(cpu).hostRefusal(cr, value);
    }

    /** {@code register} of {@code core}, which may be off the CPU ({@link Vcpus#read}). */
    public long read(int core, GuestRegister register) {
        return vcpus.read(core, RegisterMap.toCpu(register));
    }

    /** Writes {@code register} of {@code core}, as {@link #write(GuestRegister, long)} does for the CPU's. */
    public void write(int core, GuestRegister register, long value) {
        vcpus.write(core, RegisterMap.toCpu(register), register == GuestRegister.CR4 ? UserMode.actualCr4(value) : value);
    }

    public long rip() {
        return cpu.read(CpuRegister.RIP);
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

    /**
     * Empties the machine for a target started again ({@code .restart}): no guest memory, one core (core 0, the old
     * program's threads gone), the general-purpose, XMM registers and the TLS bases zeroed as a new process has them,
     * nothing loaded. The loader then enters user mode
     * again ({@link UserMode#enter}).
     */
    public void reset() {
        vcpus.reset();
        memory.unmapAll();
        for (int encoding = 0; encoding < 16; encoding++) {
            cpu.write(CpuRegister.gpr(encoding), 0);
        }
        cpu.write(CpuRegister.FS_BASE, 0);
        cpu.write(CpuRegister.GS_BASE, 0);
        for (int xmm = 0; xmm < 16; xmm++) {
            cpu.writeXmm(xmm, new byte[16]);
        }
        loaded("nothing loaded", 0);
    }

    @Override
    public void close() {
        cpu.close();
        memory.close();
    }
}
