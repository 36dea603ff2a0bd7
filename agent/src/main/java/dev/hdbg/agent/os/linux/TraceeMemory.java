package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.AddressSpace;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.UnmappedAddressException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * Another process's memory as a tracer reaches it (PTRACE_PEEKDATA, PTRACE_POKEDATA; process_vm_readv and
 * process_vm_writev). That process is off the CPU: a read copies from its parked regions; a write puts its memory
 * on the CPU for the time of the write, so that the write does what a debugger's does there — read-only code
 * written as Linux's FOLL_FORCE writes it, a block shared after a fork copied first, the code translated from the
 * bytes dropped — and then puts the caller's back.
 */
final class TraceeMemory {
    private static final long PAGE = 4096;

    private final LinuxProcess caller;
    private final ProcessTable table;

    TraceeMemory(LinuxProcess caller) {
        this.caller = caller;
        this.table = caller.table();
    }

    /**
     * The word at {@code address} of {@code process}.
     *
     * @throws SyscallException EIO where it is not mapped, as PTRACE_PEEKDATA fails
     */
    long peek(LinuxProcess process, long address) {
        byte[] word = read(process, address, 8);
        if (word == null) {
            throw new SyscallException(Errno.EIO);
        }
        return ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Writes the word {@code value} at {@code address} of {@code process}.
     *
     * @throws SyscallException EIO where it is not mapped, as PTRACE_POKEDATA fails
     */
    void poke(LinuxProcess process, long address, long value) {
        if (!write(process, address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array())) {
            throw new SyscallException(Errno.EIO);
        }
    }

    /** {@code length} bytes at {@code address} of {@code process}; null where part of them is not mapped. */
    byte[] read(LinuxProcess process, long address, int length) {
        if (!mapped(process, address, length)) {
            return null;
        }
        AddressSpace parked = process.memoryOwner().parkedSpace();
        if (parked != null) {
            return parked.read(address, length);
        }
        return onCpu(process, () -> {
            GuestMemory memory = caller.machine().memory();
            return memory.isMapped(address, length) ? memory.read(address, length) : null;
        });
    }

    /** Writes {@code data} at {@code address} of {@code process}; false, writing nothing, where it is not mapped. */
    boolean write(LinuxProcess process, long address, byte[] data) {
        if (!mapped(process, address, data.length)) {
            return false;
        }
        return onCpu(process, () -> {
            GuestMemory memory = caller.machine().memory();
            if (!memory.isMapped(address, data.length)) {
                return false;
            }
            try {
                memory.write(address, data);
                return true;
            } catch (UnmappedAddressException e) {
                return false;
            }
        });
    }

    /**
     * Whether every page of [{@code address}, + {@code length}) is in one of {@code process}'s mappings, as its
     * {@code /proc/PID/maps} lists them: the emulator may keep host memory behind a range the program unmapped.
     */
    private static boolean mapped(LinuxProcess process, long address, int length) {
        if (length == 0) {
            return true;
        }
        long last = address + length - 1;
        if (Long.compareUnsigned(last, address) < 0) {
            return false;
        }
        for (long page = address & -PAGE; Long.compareUnsigned(page, last) <= 0; page += PAGE) {
            if (process.mappings().at(Math.max(page, address)).isEmpty()) {
                return false;
            }
            if (page + PAGE == 0) {
                break;
            }
        }
        return true;
    }

    /** {@code access} with {@code process}'s memory on the CPU, the caller's put back after it. */
    private <T> T onCpu(LinuxProcess process, Supplier<T> access) {
        if (process.memoryOwner() == caller.memoryOwner()) {
            return access.get();
        }
        table.attach(process);
        try {
            return access.get();
        } finally {
            table.attach(caller);
        }
    }
}
