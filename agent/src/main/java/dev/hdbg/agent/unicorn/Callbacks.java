package dev.hdbg.agent.unicorn;

/**
 * The hook callbacks, one functional interface per Unicorn callback type. They run on the thread
 * that called {@link Unicorn#emuStart}, inside the emulation: they may read and write registers
 * and memory, and call {@link Unicorn#emuStop}.
 */
public final class Callbacks {
    private Callbacks() {
    }

    @FunctionalInterface
    public interface CodeHook {
        void onCode(long address, int size);
    }

    @FunctionalInterface
    public interface MemoryHook {
        void onAccess(int type, long address, int size, long value);
    }

    @FunctionalInterface
    public interface MemoryEventHook {
        /** @return true when the handler mapped the memory and emulation may go on */
        boolean onInvalid(int type, long address, int size, long value);
    }

    @FunctionalInterface
    public interface InterruptHook {
        void onInterrupt(int intno);
    }

    @FunctionalInterface
    public interface InvalidInstructionHook {
        /** @return true when the handler dealt with the instruction and emulation may go on */
        boolean onInvalid();
    }

    @FunctionalInterface
    public interface CpuidHook {
        /** @return true to skip the CPUID instruction (the handler set EAX..EDX itself) */
        boolean onCpuid();
    }

    @FunctionalInterface
    public interface InHook {
        /** @return the value the IN instruction reads */
        int onIn(int port, int size);
    }

    @FunctionalInterface
    public interface OutHook {
        void onOut(int port, int size, int value);
    }

    @FunctionalInterface
    public interface SyscallHook {
        void onSyscall();
    }
}
