package dev.hdbg.host.gdb;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.gdb.TargetDescription.Register;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The registers of the stopped target as gdb numbers them ({@link TargetDescription}), read from the agent once per
 * stop: the general registers from the stop's record (since protocol 1.9; before, in one request at the stop), as
 * the stop reply carries rip, rsp and rbp; the xmm registers
 * on the first {@code g} or {@code p} that needs them, their sixteen requests sent together rather than one after the
 * other. Writes go to the agent at once and into the cache.
 */
final class RegisterFile {
    private static final List<String> HDBG_NAMES = TargetDescription.REGISTERS.stream()
            .filter(r -> r.source() == TargetDescription.Source.HDBG).map(Register::hdbgName).toList();

    private final DebuggerClient client;
    private final Replies replies;
    private Map<String, Long> general;
    private byte[][] xmm;
    /** The agent refused the selected thread's xmm registers: saved while another core runs. */
    private boolean xmmSaved;
    private int generalReads;

    /** How the session waits for a reply (its timeout and error mapping). */
    interface Replies {
        <T> T await(CompletableFuture<T> reply);
    }

    RegisterFile(DebuggerClient client, Replies replies) {
        this.client = client;
        this.replies = replies;
    }

    /** The target ran: what was read is stale. */
    void invalidate() {
        general = null;
        xmm = null;
        xmmSaved = false;
    }

    /**
     * The target stopped with {@code stop}: its record carries the general registers (since protocol 1.9), which the
     * stop reply and a {@code g} then take from here instead of asking the agent; the xmm registers are read when
     * needed. Counts in {@link #generalReads} only what had to be asked for.
     */
    void stoppedAt(DebuggerRecord stop) {
        invalidate();
        if (stop instanceof DebuggerRecord.Break b && !b.registers().isEmpty()) {
            Map<String, Long> values = new HashMap<>();
            b.registers().forEach((register, value) -> values.put(register.wireName(), value));
            if (values.keySet().containsAll(HDBG_NAMES)) {
                general = values;
            }
        }
    }

    /** How many times the general registers were asked of the agent: once per stop at most, none with 1.9's records. */
    int generalReads() {
        return generalReads;
    }

    long general(String hdbgName) {
        if (general == null) {
            generalReads++;
            general = new HashMap<>(replies.await(client.readRegisters(HDBG_NAMES)));
        }
        Long value = general.get(hdbgName);
        return value == null ? 0 : value;
    }

    /** One register in the {@code g}/{@code p} form: little-endian hex, or {@code x}s where hdbg has no value. */
    String read(Register register) {
        return switch (register.source()) {
            case HDBG -> Packets.littleEndian(general(register.hdbgName()), register.bytes());
            case XMM -> {
                byte[][] values = xmm();
                yield values == null ? "xx".repeat(register.bytes()) : Packets.hex(values[register.index()]);
            }
            case ORIG_RAX -> Packets.littleEndian(-1L, 8);
            case UNAVAILABLE -> "xx".repeat(register.bytes());
        };
    }

    /** The {@code g} reply: every register in gdb's order. */
    String readAll() {
        StringBuilder all = new StringBuilder(TargetDescription.totalBytes() * 2);
        for (Register register : TargetDescription.REGISTERS) {
            all.append(read(register));
        }
        return all.toString();
    }

    /**
     * {@code P}: writes one register from its little-endian bytes.
     *
     * @throws IllegalArgumentException when hdbg does not model the register, or the size is wrong
     */
    void write(Register register, byte[] value) {
        if (value.length != register.bytes()) {
            throw new IllegalArgumentException(register.name() + " takes " + register.bytes() + " bytes, not " + value.length);
        }
        switch (register.source()) {
            case HDBG -> {
                long number = Packets.fromLittleEndian(value);
                replies.await(client.writeRegister(register.hdbgName(), number));
                if (general != null) {
                    general.put(register.hdbgName(), number);
                }
            }
            case XMM -> {
                replies.await(client.writeXmm(register.index(), value));
                if (xmm != null) {
                    xmm[register.index()] = value.clone();
                }
            }
            case ORIG_RAX -> {
                // gdb writes -1 here before calling a function in the target, to keep the kernel from restarting a
                // system call; hdbg restarts none, so there is nothing to do.
            }
            case UNAVAILABLE -> throw new IllegalArgumentException(register.name() + " is not modelled by hdbg");
        }
    }

    /** {@code G}: writes the registers whose value differs from what was read; unavailable ones are skipped. */
    void writeAll(byte[] values) {
        if (values.length != TargetDescription.totalBytes()) {
            throw new IllegalArgumentException("G carries " + values.length + " bytes, the registers take "
                    + TargetDescription.totalBytes());
        }
        int offset = 0;
        for (Register register : TargetDescription.REGISTERS) {
            byte[] value = java.util.Arrays.copyOfRange(values, offset, offset + register.bytes());
            offset += register.bytes();
            if (register.source() == TargetDescription.Source.UNAVAILABLE
                    || register.source() == TargetDescription.Source.ORIG_RAX) {
                continue;
            }
            if (!Packets.hex(value).equals(read(register))) {
                write(register, value);
            }
        }
    }

    /**
     * The selected thread's xmm registers, or null when the agent keeps them only for the core on the CPU: another
     * thread's are saved while it waits (the agent says so for {@code r xmm0} after {@code ~ N}), and gdb shows them
     * unavailable rather than failing its whole {@code g}.
     */
    private byte[][] xmm() {
        if (xmm == null && !xmmSaved) {
            try {
                xmm = readXmm();
            } catch (AgentError e) {
                if (e.kind() != AgentError.Kind.BAD_STATE && e.kind() != AgentError.Kind.INVALID_ARGUMENT) {
                    throw e;
                }
                xmmSaved = true;
            }
        }
        return xmm;
    }

    private byte[][] readXmm() {
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            reads.add(client.readXmm(i));
        }
        byte[][] values = new byte[16][];
        for (int i = 0; i < 16; i++) {
            values[i] = replies.await(reads.get(i));
        }
        return values;
    }
}
