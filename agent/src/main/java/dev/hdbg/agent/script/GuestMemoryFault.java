package dev.hdbg.agent.script;

/**
 * Thrown by a {@link ScriptHost} when guest memory cannot be read (or atomically updated): the address is not mapped
 * or not accessible. The script's run stops with a {@link ScriptRunException} of kind
 * {@link ScriptRunException.Kind#MEMORY_FAULT} naming the script's line.
 *
 * <p>It carries no stack trace: a script may read unmapped memory on every trigger, and the fault costs one small
 * allocation, not a stack walk.
 */
public final class GuestMemoryFault extends RuntimeException {
    private final long address;
    private final int size;

    public GuestMemoryFault(long address, int size) {
        super(size + " bytes at 0x" + Long.toHexString(address) + " cannot be accessed", null, false, false);
        this.address = address;
        this.size = size;
    }

    public long address() {
        return address;
    }

    public int size() {
        return size;
    }
}
