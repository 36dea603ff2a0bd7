package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.PseudoRegister;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ScriptHost} over an array of registers and one range of bytes, recording what a script asks for. Memory is
 * the range [{@link #BASE}, {@link #BASE} + size); anything else faults.
 */
class FakeScriptHost implements ScriptHost {
    static final long BASE = 0x10000;

    final long[] registers = new long[GuestRegister.values().length];
    final byte[] memory;
    final Map<PseudoRegister, Long> pseudo = new EnumMap<>(PseudoRegister.class);
    final Map<Long, Integer> instructionLengths = new HashMap<>();
    final List<String> output = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    long tsc = 1000;
    long sleptMicroseconds;
    int pauses;
    Boolean shortCircuit;

    FakeScriptHost() {
        this(0x10000);
    }

    FakeScriptHost(int size) {
        memory = new byte[size];
    }

    long reg(GuestRegister r) {
        return registers[r.ordinal()];
    }

    FakeScriptHost set(GuestRegister r, long value) {
        registers[r.ordinal()] = value;
        return this;
    }

    /** Writes a NUL-terminated string at {@code address}. */
    void putString(long address, String s) {
        byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, memory, index(address, bytes.length), bytes.length);
    }

    /** Writes a NUL-terminated UTF-16LE string at {@code address}. */
    void putWideString(long address, String s) {
        byte[] bytes = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(bytes, 0, memory, index(address, bytes.length), bytes.length);
    }

    void putLong(long address, int size, long value) {
        int i = index(address, size);
        for (int b = 0; b < size; b++) {
            memory[i + b] = (byte) (value >>> (8 * b));
        }
    }

    long getLong(long address, int size) {
        int i = index(address, size);
        long value = 0;
        for (int b = 0; b < size; b++) {
            value |= (memory[i + b] & 0xffL) << (8 * b);
        }
        return value;
    }

    private boolean valid(long address, int length) {
        return Long.compareUnsigned(address, BASE) >= 0 && length >= 0
                && Long.compareUnsigned(address - BASE + length, memory.length) <= 0
                && Long.compareUnsigned(address - BASE, memory.length) <= 0;
    }

    private int index(long address, int length) {
        if (!valid(address, length)) {
            throw new GuestMemoryFault(address, length);
        }
        return (int) (address - BASE);
    }

    @Override
    public long readRegister(GuestRegister register) {
        return registers[register.ordinal()];
    }

    @Override
    public void writeRegister(GuestRegister register, long value) {
        registers[register.ordinal()] = value;
    }

    @Override
    public long pseudoRegister(PseudoRegister register) {
        return pseudo.getOrDefault(register, 0L);
    }

    @Override
    public long readMemory(long address, int size) {
        return getLong(address, size);
    }

    @Override
    public boolean writeMemory(long address, int size, long value) {
        if (!valid(address, size)) {
            return false;
        }
        putLong(address, size, value);
        return true;
    }

    @Override
    public boolean readBytes(long address, byte[] into, int offset, int length) {
        if (!valid(address, length)) {
            return false;
        }
        System.arraycopy(memory, (int) (address - BASE), into, offset, length);
        return true;
    }

    @Override
    public boolean writeBytes(long address, byte[] from, int offset, int length) {
        if (!valid(address, length)) {
            return false;
        }
        System.arraycopy(from, offset, memory, (int) (address - BASE), length);
        return true;
    }

    @Override
    public boolean isAddressValid(long address, int length) {
        return valid(address, length);
    }

    @Override
    public synchronized long compareAndExchange(long address, int size, long expected, long replacement) {
        long old = getLong(address, size);
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (old == (expected & mask)) {
            putLong(address, size, replacement);
        }
        return old;
    }

    @Override
    public synchronized long getAndAdd(long address, int size, long delta) {
        long old = getLong(address, size);
        putLong(address, size, old + delta);
        return old;
    }

    @Override
    public synchronized long getAndSet(long address, int size, long value) {
        long old = getLong(address, size);
        putLong(address, size, value);
        return old;
    }

    @Override
    public int instructionLength(long address, int bits) {
        if (!valid(address, 1)) {
            return 0;
        }
        return instructionLengths.getOrDefault(address, 0) + (bits == 32 ? 100 : 0);
    }

    @Override
    public void print(byte[] utf8) {
        output.add(new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void eventEnable(long eventId) {
        calls.add("event_enable " + eventId);
    }

    @Override
    public void eventDisable(long eventId) {
        calls.add("event_disable " + eventId);
    }

    @Override
    public void eventClear(long eventId) {
        calls.add("event_clear " + eventId);
    }

    @Override
    public void shortCircuit(boolean skip) {
        shortCircuit = skip;
    }

    @Override
    public void pause() {
        pauses++;
    }

    @Override
    public void flush() {
        calls.add("flush");
    }

    @Override
    public long rdtsc() {
        return tsc++;
    }

    @Override
    public long rdtscp() {
        return tsc++ | 1L << 40;
    }

    @Override
    public void microsleep(long microseconds) {
        sleptMicroseconds += microseconds;
    }

    /** Everything printed, joined. */
    String printed() {
        return String.join("", output);
    }
}
