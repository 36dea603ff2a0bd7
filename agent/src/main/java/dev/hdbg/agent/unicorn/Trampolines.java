package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Upcall stubs for the hook callbacks, one target class per C callback type.
 *
 * <p>Hot path: the {@code uc_engine*} and {@code user_data} pointers are declared JAVA_LONG, not ADDRESS (the
 * same integer register in the SysV ABI), so no {@link MemorySegment} is made per call; a target only checks the
 * failure latch and calls the Java callback. An exception escaping into native code would kill the JVM, so each
 * target catches every throwable, hands it to {@link CallbackFailure} (which stops the emulation) and returns a
 * neutral value.
 */
final class Trampolines {
    private static final FunctionDescriptor CODE = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
    private static final FunctionDescriptor MEMORY =
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor MEMORY_EVENT =
            FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor INTERRUPT = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_LONG);
    private static final FunctionDescriptor INVALID_INSN = FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor CPUID = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor IN =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final FunctionDescriptor OUT =
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final FunctionDescriptor SYSCALL = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG);

    private static final MethodHandle CODE_TARGET = target(Code.class, CODE);
    private static final MethodHandle MEMORY_TARGET = target(Memory.class, MEMORY);
    private static final MethodHandle MEMORY_EVENT_TARGET = target(MemoryEvent.class, MEMORY_EVENT);
    private static final MethodHandle INTERRUPT_TARGET = target(Interrupt.class, INTERRUPT);
    private static final MethodHandle INVALID_INSN_TARGET = target(InvalidInstruction.class, INVALID_INSN);
    private static final MethodHandle CPUID_TARGET = target(Cpuid.class, CPUID);
    private static final MethodHandle IN_TARGET = target(In.class, IN);
    private static final MethodHandle OUT_TARGET = target(Out.class, OUT);
    private static final MethodHandle SYSCALL_TARGET = target(Syscall.class, SYSCALL);

    private Trampolines() {
    }

    static MemorySegment code(CallbackFailure failure, CodeHook cb, Arena arena) {
        return UnicornNative.upcallStub(CODE_TARGET.bindTo(new Code(failure, cb)), CODE, arena);
    }

    static MemorySegment memory(CallbackFailure failure, MemoryHook cb, Arena arena) {
        return UnicornNative.upcallStub(MEMORY_TARGET.bindTo(new Memory(failure, cb)), MEMORY, arena);
    }

    static MemorySegment memoryEvent(CallbackFailure failure, MemoryEventHook cb, Arena arena) {
        return UnicornNative.upcallStub(MEMORY_EVENT_TARGET.bindTo(new MemoryEvent(failure, cb)), MEMORY_EVENT, arena);
    }

    static MemorySegment interrupt(CallbackFailure failure, InterruptHook cb, Arena arena) {
        return UnicornNative.upcallStub(INTERRUPT_TARGET.bindTo(new Interrupt(failure, cb)), INTERRUPT, arena);
    }

    static MemorySegment invalidInstruction(CallbackFailure failure, InvalidInstructionHook cb, Arena arena) {
        return UnicornNative.upcallStub(INVALID_INSN_TARGET.bindTo(new InvalidInstruction(failure, cb)), INVALID_INSN,
                arena);
    }

    static MemorySegment cpuid(CallbackFailure failure, CpuidHook cb, Arena arena) {
        return UnicornNative.upcallStub(CPUID_TARGET.bindTo(new Cpuid(failure, cb)), CPUID, arena);
    }

    static MemorySegment in(CallbackFailure failure, InHook cb, Arena arena) {
        return UnicornNative.upcallStub(IN_TARGET.bindTo(new In(failure, cb)), IN, arena);
    }

    static MemorySegment out(CallbackFailure failure, OutHook cb, Arena arena) {
        return UnicornNative.upcallStub(OUT_TARGET.bindTo(new Out(failure, cb)), OUT, arena);
    }

    static MemorySegment syscall(CallbackFailure failure, SyscallHook cb, Arena arena) {
        return UnicornNative.upcallStub(SYSCALL_TARGET.bindTo(new Syscall(failure, cb)), SYSCALL, arena);
    }

    private static MethodHandle target(Class<?> type, FunctionDescriptor descriptor) {
        try {
            return MethodHandles.lookup().findVirtual(type, "invoke", descriptor.toMethodType());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // uc_cb_hookcode_t: void (uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
    record Code(CallbackFailure failure, CodeHook cb) {
        void invoke(long uc, long address, int size, long userData) {
            if (failure.failed()) {
                return;
            }
            try {
                cb.onCode(address, size);
            } catch (Throwable t) {
                failure.record(t);
            }
        }
    }

    // uc_cb_hookmem_t: void (uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *)
    record Memory(CallbackFailure failure, MemoryHook cb) {
        void invoke(long uc, int type, long address, int size, long value, long userData) {
            if (failure.failed()) {
                return;
            }
            try {
                cb.onAccess(type, address, size, value);
            } catch (Throwable t) {
                failure.record(t);
            }
        }
    }

    // uc_cb_eventmem_t: bool (uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *)
    record MemoryEvent(CallbackFailure failure, MemoryEventHook cb) {
        boolean invoke(long uc, int type, long address, int size, long value, long userData) {
            if (failure.failed()) {
                return false;
            }
            try {
                return cb.onInvalid(type, address, size, value);
            } catch (Throwable t) {
                failure.record(t);
                return false;
            }
        }
    }

    // uc_cb_hookintr_t: void (uc_engine *uc, uint32_t intno, void *user_data)
    record Interrupt(CallbackFailure failure, InterruptHook cb) {
        void invoke(long uc, int intno, long userData) {
            if (failure.failed()) {
                return;
            }
            try {
                cb.onInterrupt(intno);
            } catch (Throwable t) {
                failure.record(t);
            }
        }
    }

    // uc_cb_hookinsn_invalid_t: bool (uc_engine *uc, void *user_data)
    record InvalidInstruction(CallbackFailure failure, InvalidInstructionHook cb) {
        boolean invoke(long uc, long userData) {
            if (failure.failed()) {
                return false;
            }
            try {
                return cb.onInvalid();
            } catch (Throwable t) {
                failure.record(t);
                return false;
            }
        }
    }

    // uc_cb_insn_cpuid_t: int (uc_engine *uc, void *user_data); nonzero skips the instruction
    record Cpuid(CallbackFailure failure, CpuidHook cb) {
        int invoke(long uc, long userData) {
            if (failure.failed()) {
                return 0;
            }
            try {
                return cb.onCpuid() ? 1 : 0;
            } catch (Throwable t) {
                failure.record(t);
                return 0;
            }
        }
    }

    // uc_cb_insn_in_t: uint32_t (uc_engine *uc, uint32_t port, int size, void *user_data)
    record In(CallbackFailure failure, InHook cb) {
        int invoke(long uc, int port, int size, long userData) {
            if (failure.failed()) {
                return 0;
            }
            try {
                return cb.onIn(port, size);
            } catch (Throwable t) {
                failure.record(t);
                return 0;
            }
        }
    }

    // uc_cb_insn_out_t: void (uc_engine *uc, uint32_t port, int size, uint32_t value, void *user_data)
    record Out(CallbackFailure failure, OutHook cb) {
        void invoke(long uc, int port, int size, int value, long userData) {
            if (failure.failed()) {
                return;
            }
            try {
                cb.onOut(port, size, value);
            } catch (Throwable t) {
                failure.record(t);
            }
        }
    }

    // uc_cb_insn_syscall_t: void (uc_engine *uc, void *user_data)
    record Syscall(CallbackFailure failure, SyscallHook cb) {
        void invoke(long uc, long userData) {
            if (failure.failed()) {
                return;
            }
            try {
                cb.onSyscall();
            } catch (Throwable t) {
                failure.record(t);
            }
        }
    }
}
