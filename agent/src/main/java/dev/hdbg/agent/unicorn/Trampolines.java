package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Upcall stubs for the hook callbacks. An exception escaping into native code would end the JVM,
 * so each trampoline catches everything, hands it to its {@link Unicorn} (which stops the
 * emulation and rethrows it from {@code emuStart}) and returns a neutral value. No allocation
 * happens on the way through.
 */
final class Trampolines {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private Trampolines() {
    }

    private static MemorySegment stub(Object target, String method, MethodType type, FunctionDescriptor descriptor, Arena arena) {
        try {
            MethodHandle handle = LOOKUP.findVirtual(target.getClass(), method, type).bindTo(target);
            return UnicornNative.upcall(handle, descriptor, arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("trampoline " + method + " is missing", e);
        }
    }

    static MemorySegment code(Unicorn owner, Callbacks.CodeHook cb, Arena arena) {
        return stub(new Code(owner, cb), "invoke", MethodType.methodType(void.class, MemorySegment.class, long.class, int.class,
                MemorySegment.class), FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), arena);
    }

    static MemorySegment memory(Unicorn owner, Callbacks.MemoryHook cb, Arena arena) {
        return stub(new Memory(owner, cb), "invoke", MethodType.methodType(void.class, MemorySegment.class, int.class, long.class,
                int.class, long.class, MemorySegment.class),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
    }

    static MemorySegment memoryEvent(Unicorn owner, Callbacks.MemoryEventHook cb, Arena arena) {
        return stub(new MemoryEvent(owner, cb), "invoke", MethodType.methodType(boolean.class, MemorySegment.class, int.class,
                long.class, int.class, long.class, MemorySegment.class),
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
    }

    static MemorySegment interrupt(Unicorn owner, Callbacks.InterruptHook cb, Arena arena) {
        return stub(new Interrupt(owner, cb), "invoke", MethodType.methodType(void.class, MemorySegment.class, int.class,
                MemorySegment.class), FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
    }

    static MemorySegment invalidInstruction(Unicorn owner, Callbacks.InvalidInstructionHook cb, Arena arena) {
        return stub(new InvalidInstruction(owner, cb), "invoke", MethodType.methodType(boolean.class, MemorySegment.class,
                MemorySegment.class), FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS), arena);
    }

    static MemorySegment cpuid(Unicorn owner, Callbacks.CpuidHook cb, Arena arena) {
        return stub(new Cpuid(owner, cb), "invoke", MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), arena);
    }

    static MemorySegment in(Unicorn owner, Callbacks.InHook cb, Arena arena) {
        return stub(new In(owner, cb), "invoke", MethodType.methodType(int.class, MemorySegment.class, int.class, int.class,
                MemorySegment.class), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), arena);
    }

    static MemorySegment out(Unicorn owner, Callbacks.OutHook cb, Arena arena) {
        return stub(new Out(owner, cb), "invoke", MethodType.methodType(void.class, MemorySegment.class, int.class, int.class,
                int.class, MemorySegment.class), FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), arena);
    }

    static MemorySegment syscall(Unicorn owner, Callbacks.SyscallHook cb, Arena arena) {
        return stub(new Syscall(owner, cb), "invoke", MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), arena);
    }

    record Code(Unicorn owner, Callbacks.CodeHook cb) {
        void invoke(MemorySegment uc, long address, int size, MemorySegment user) {
            try {
                cb.onCode(address, size);
            } catch (Throwable t) {
                owner.callbackFailed(t);
            }
        }
    }

    record Memory(Unicorn owner, Callbacks.MemoryHook cb) {
        void invoke(MemorySegment uc, int type, long address, int size, long value, MemorySegment user) {
            try {
                cb.onAccess(type, address, size, value);
            } catch (Throwable t) {
                owner.callbackFailed(t);
            }
        }
    }

    record MemoryEvent(Unicorn owner, Callbacks.MemoryEventHook cb) {
        boolean invoke(MemorySegment uc, int type, long address, int size, long value, MemorySegment user) {
            try {
                return cb.onInvalid(type, address, size, value);
            } catch (Throwable t) {
                owner.callbackFailed(t);
                return false;
            }
        }
    }

    record Interrupt(Unicorn owner, Callbacks.InterruptHook cb) {
        void invoke(MemorySegment uc, int intno, MemorySegment user) {
            try {
                cb.onInterrupt(intno);
            } catch (Throwable t) {
                owner.callbackFailed(t);
            }
        }
    }

    record InvalidInstruction(Unicorn owner, Callbacks.InvalidInstructionHook cb) {
        boolean invoke(MemorySegment uc, MemorySegment user) {
            try {
                return cb.onInvalid();
            } catch (Throwable t) {
                owner.callbackFailed(t);
                return false;
            }
        }
    }

    record Cpuid(Unicorn owner, Callbacks.CpuidHook cb) {
        int invoke(MemorySegment uc, MemorySegment user) {
            try {
                return cb.onCpuid() ? 1 : 0;
            } catch (Throwable t) {
                owner.callbackFailed(t);
                return 0;
            }
        }
    }

    record In(Unicorn owner, Callbacks.InHook cb) {
        int invoke(MemorySegment uc, int port, int size, MemorySegment user) {
            try {
                return cb.onIn(port, size);
            } catch (Throwable t) {
                owner.callbackFailed(t);
                return 0;
            }
        }
    }

    record Out(Unicorn owner, Callbacks.OutHook cb) {
        void invoke(MemorySegment uc, int port, int size, int value, MemorySegment user) {
            try {
                cb.onOut(port, size, value);
            } catch (Throwable t) {
                owner.callbackFailed(t);
            }
        }
    }

    record Syscall(Unicorn owner, Callbacks.SyscallHook cb) {
        void invoke(MemorySegment uc, MemorySegment user) {
            try {
                cb.onSyscall();
            } catch (Throwable t) {
                owner.callbackFailed(t);
            }
        }
    }
}
