package dev.hdbg.agent.machine;

import dev.hdbg.common.event.Access;
import java.lang.foreign.MemorySegment;
import java.util.Set;

/**
 * One emulated x86-64 CPU with its view of memory: what the exits ({@code vmx}), vmx-root and the debugger ask of
 * the emulator, in Java's words. The guest's CPU is {@link Machine#cpu()}; vmx-root runs on a CPU of its own
 * ({@link Machine#openPrivateCpu()}) that maps the same host pages. The back end (Unicorn, {@link UnicornCpu}) stays
 * behind this interface, so another one, or several CPUs over one address space, can be added beside it.
 *
 * <h2>Threads</h2>
 * One thread uses a CPU: the one calling {@link #run}, on which every hook runs too. Only {@link #stop()} may be
 * called from any thread at any time.
 *
 * <h2>What a hook may do (measured on Unicorn 2.0.1)</h2>
 * Hooks run inside {@link #run} and may read and write registers and memory, add and remove hooks, and call
 * {@link #stop()}:
 * <ul>
 * <li>an {@link InstructionHook} runs before its instruction; {@code stop()} there keeps the instruction from
 *     running ({@code run} returns with RIP at it, and running from there fires the hook again);</li>
 * <li>writing RIP in a hook abandons the current instruction and goes on at the new RIP at once; it also cancels a
 *     {@code stop()} made in the same hook;</li>
 * <li>a stop asked while no {@code run} is under way is lost.</li>
 * </ul>
 * A throwable a hook throws stops the run, and {@code run} throws a {@link CpuException} with it as the cause.
 */
public interface Cpu extends AutoCloseable {

    // ---- registers -----------------------------------------------------------------------------------------

    /**
     * {@code register}'s value, zero-extended.
     *
     * @throws CpuException when the emulator refuses
     */
    long read(CpuRegister register);

    /**
     * Writes {@code register}; in a hook, writing RIP redirects at once.
     *
     * @throws CpuException when the CPU refuses the value (a selector its GDT does not describe)
     */
    void write(CpuRegister register, long value);

    /**
     * Reads {@code registers} into {@code out[0 .. size)} in one call.
     *
     * @throws IllegalArgumentException when {@code out} is shorter than the list
     */
    void read(RegisterList registers, long[] out);

    /**
     * Writes {@code values[i]} to the list's register {@code i}, in one call.
     *
     * @throws IllegalArgumentException when {@code values} is shorter than the list
     */
    void write(RegisterList registers, long[] values);

    /**
     * XMM{@code index} as 16 little-endian bytes.
     *
     * @throws IllegalArgumentException unless {@code index} is 0 .. 15
     */
    byte[] readXmm(int index);

    /**
     * Writes XMM{@code index} from 16 little-endian bytes.
     *
     * @throws IllegalArgumentException unless {@code index} is 0 .. 15 and the array 16 bytes long
     */
    void writeXmm(int index, byte[] sixteenBytes);

    /** Model-specific register {@code msr}; one the CPU model lacks reads as 0. */
    long readMsr(int msr);

    /** Writes model-specific register {@code msr}. */
    void writeMsr(int msr, long value);

    /** Points GDTR at a descriptor table of {@code limit + 1} bytes at {@code base}. */
    void loadGdt(long base, int limit);

    // ---- memory as this CPU sees it: addresses and sizes of mappings are 4 KiB multiples ---------------------

    /**
     * Maps memory the caller owns and keeps alive while mapped; each side sees the other's writes, and several
     * CPUs may map the same memory.
     *
     * @throws CpuException when the range is not page-aligned or overlaps a mapping
     */
    void map(long address, MemorySegment hostMemory, Set<Access> permissions);

    /**
     * Maps {@code size} bytes of zeroed memory the CPU allocates and frees.
     *
     * @throws CpuException when the range is not page-aligned or overlaps a mapping
     */
    void map(long address, long size, Set<Access> permissions);

    /**
     * Unmaps [address, address + size).
     *
     * @throws CpuException when part of the range is not mapped
     */
    void unmap(long address, long size);

    /**
     * Reads {@code length} bytes as this CPU sees them; permissions do not apply.
     *
     * @throws CpuException when a byte of the range is not mapped
     */
    byte[] readMemory(long address, int length);

    /**
     * Writes {@code data}; permissions do not apply. Code already translated from these bytes keeps running as it
     * was until {@link #forgetTranslations}.
     *
     * @throws CpuException when a byte of the range is not mapped
     */
    void writeMemory(long address, byte[] data);

    /** Drops the code translated from [begin, end), so the next execution sees the current bytes. */
    void forgetTranslations(long begin, long end);

    // ---- running -------------------------------------------------------------------------------------------

    /**
     * Runs from {@code from} until {@link #stop()} is called, a {@code hlt} executes (RIP is then just past it), or
     * the guest faults in a way no hook takes.
     *
     * @throws CpuException with the emulator's reason when the guest faulted (an unmapped access, an invalid
     *                      instruction ...), or, with the hook's throwable as cause, when a hook threw
     */
    void run(long from);

    /**
     * {@link #run(long)}, stopping after {@code maxInstructions} instructions too, exactly (RIP at the first
     * instruction not executed): Unicorn's count, a hook before every instruction. For a private CPU's short calls;
     * the guest's time slices use {@link #runBlocks}, and {@link #step} runs one instruction.
     *
     * @throws CpuException as {@link #run(long)}
     */
    void run(long from, long maxInstructions);

    /**
     * {@link #run(long)}, stopping before the block that would be the {@code blocks}-th plus one to begin, exactly (RIP
     * at its first instruction, none of it run): the guest's time slices once a program has a second thread or
     * process. Counting blocks costs a native call per block where counting instructions cost one per instruction;
     * where the block count cannot be had, the run counts about as many instructions instead.
     *
     * @throws CpuException as {@link #run(long)}
     */
    void runBlocks(long from, long blocks);

    /**
     * {@link #run(long, long)}, ending also where RIP reaches {@code until}, before its instruction (RIP is then
     * {@code until}): Unicorn's {@code until}, which the other runs set to -1. After every run Unicorn 2.0.1 drops the
     * translation at {@code until} (a TLB refill of that page each time) unless {@code until} is 0.
     *
     * @throws CpuException as {@link #run(long)}
     */
    void run(long from, long maxInstructions, long until);

    /**
     * Executes exactly the one instruction at {@code from}, with the hooks it triggers; RIP is then at the next one
     * (or wherever a hook sent it).
     *
     * @throws CpuException as {@link #run(long)}
     */
    void step(long from);

    /**
     * Drops what {@link #step} keeps from one step to the next (its code hook), as the next run that is not a step
     * would: for code that steps once before others use the engine (setting up a machine).
     */
    void endSteps();

    /**
     * Asks the running {@link #run} to return at the next instruction boundary, also from a tight loop. Any thread,
     * any time; after {@link #close()} it does nothing. From another thread than the run's, Unicorn 2.0.1 is not
     * exact: the run returns with RIP at an instruction it had already executed about once in each such stop
     * (measured with {@code bench/unicorn_vcpus.c}'s companion loop: 7,400 stops of a {@code lock inc} loop, 6,700
     * increments too many), so the guest then executes it again; a stop from inside a hook is exact.
     */
    void stop();

    /**
     * Whether {@link #stop} was asked since the current run began. A hook that writes RIP after it makes Unicorn 2.0.1
     * drop that stop (its loop clears {@code stop_request} when a register write asked it to go on at the new RIP), so
     * such hooks end the run themselves when this says so.
     */
    boolean stopRequested();

    /**
     * Forgets the exception the CPU believes is still being delivered. An exception an interrupt hook absorbs is
     * never delivered, and the next contributory fault would otherwise turn into a double fault. Safe inside an
     * interrupt hook.
     */
    void clearExceptionInFlight();

    // ---- hooks: a range [from, to] is inclusive; each returns its handle, closed to remove it ---------------

    /** Calls {@code hook} before each instruction in [from, to]; instructions elsewhere cost nothing. */
    Hook beforeInstructions(long from, long to, InstructionHook hook);

    /** Calls {@code hook} before every instruction, anywhere. */
    Hook beforeEveryInstruction(InstructionHook hook);

    /**
     * Calls {@code hook} before each data access of the kinds in {@code accesses} touching [from, to].
     *
     * @throws IllegalArgumentException when {@code accesses} is empty or holds {@link Access#EXECUTE}: fetches are
     *                                  not reported as accesses; use {@link #beforeInstructions}
     */
    Hook beforeAccess(Set<Access> accesses, long from, long to, AccessHook hook);

    /** Calls {@code hook} after each read in [from, to], with the value read. */
    Hook afterRead(long from, long to, AccessHook hook);

    /**
     * Calls {@code hook} for each access of the kinds in {@code accesses} to memory that is not mapped, anywhere.
     *
     * @throws IllegalArgumentException when {@code accesses} is empty
     */
    Hook onUnmapped(Set<Access> accesses, UnmappedHook hook);

    /**
     * Calls {@code hook} for each access of the kinds in {@code accesses} inside [from, to] that the page's
     * permissions forbid (a write to a read-only page, a fetch from one not executable). Bounded because a protection
     * fault the emulator raises inside one of its own calls (a selector load setting its descriptor's accessed bit in
     * a read-only GDT) must not reach a hook: such a call cannot call back. The hook's result: true when it changed
     * the permissions and the access is to be retried; false faults.
     *
     * @throws IllegalArgumentException when {@code accesses} is empty
     */
    Hook onProtectionFault(Set<Access> accesses, long from, long to, UnmappedHook hook);

    /** Calls {@code hook} with the vector of each interrupt or exception; RIP is past the instruction. */
    Hook onInterrupt(InterruptHook hook);

    /** Calls {@code hook} at an instruction the CPU cannot execute ({@code vmcall}, for one); RIP is at it. */
    Hook onInvalidInstruction(InvalidInstructionHook hook);

    /** Calls {@code hook} at each {@code cpuid}; RAX and RCX hold the leaf and sub-leaf. */
    Hook onCpuid(CpuidHook hook);

    /** Calls {@code hook} at each {@code in}; its result is the value read. */
    Hook onIn(InHook hook);

    /** Calls {@code hook} at each {@code out}. */
    Hook onOut(OutHook hook);

    /**
     * Calls {@code hook} at each {@code syscall}, with RIP at the instruction; the CPU performs none of its own
     * effects, and the run goes on after it when the hook returns: the hook is the system call.
     */
    Hook onSyscall(SyscallHook hook);

    /** Frees the CPU and what it allocated; idempotent. Not from inside one of its hooks. */
    @Override
    void close();

    /** A hook added to a CPU. */
    interface Hook extends AutoCloseable {
        /** Removes the hook; allowed inside any hook, its own included. Removing it again does nothing. */
        @Override
        void close();
    }

    /** Before an instruction of {@code size} bytes at {@code address}. */
    @FunctionalInterface
    interface InstructionHook {
        void beforeInstruction(long address, int size);
    }

    /** A data access of {@code size} bytes at {@code address}; {@code value} is the value written or read, or 0. */
    @FunctionalInterface
    interface AccessHook {
        void onAccess(Access access, long address, int size, long value);
    }

    /** An access to memory that is not mapped. */
    @FunctionalInterface
    interface UnmappedHook {
        /** @return true when the hook mapped the memory and the access is to be retried; false faults */
        boolean onUnmapped(Access access, long address, int size, long value);
    }

    /** An interrupt or exception, {@code vector} 3 for {@code int3}. */
    @FunctionalInterface
    interface InterruptHook {
        void onInterrupt(int vector);
    }

    /** An instruction the CPU cannot execute. */
    @FunctionalInterface
    interface InvalidInstructionHook {
        /**
         * @return true when the hook handled it: the run then ends normally with RIP wherever the hook left it, and
         *         the caller runs again to go on; false faults
         */
        boolean onInvalidInstruction();
    }

    /** A {@code cpuid} about to execute. */
    @FunctionalInterface
    interface CpuidHook {
        /** @return true to skip the instruction's own effect (the hook set RAX, RBX, RCX and RDX) */
        boolean onCpuid();
    }

    /** An {@code in} from {@code port}, {@code size} bytes wide. */
    @FunctionalInterface
    interface InHook {
        /** @return the value read; its low {@code size} bytes land in AL, AX or EAX */
        int onIn(int port, int size);
    }

    /** An {@code out} of {@code value} to {@code port}, {@code size} bytes wide. */
    @FunctionalInterface
    interface OutHook {
        void onOut(int port, int size, int value);
    }

    /** A {@code syscall}. */
    @FunctionalInterface
    interface SyscallHook {
        void onSyscall();
    }
}
