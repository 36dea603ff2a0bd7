package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.model.CallTrack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@code !track} in progress: a hook before every instruction of the guest sees each call and return as it
 * executes (the instruction after a call is the called function's first, the one after a return the return
 * address), counts the instructions and stops the guest before the one past the count. Execution thread only.
 */
final class Tracking {
    private static final CpuRegister[] REGISTERS = {CpuRegister.RAX, CpuRegister.RBX, CpuRegister.RCX,
        CpuRegister.RDX, CpuRegister.RSI, CpuRegister.RDI, CpuRegister.RBP, CpuRegister.RSP, CpuRegister.R8,
        CpuRegister.R9, CpuRegister.R10, CpuRegister.R11, CpuRegister.R12, CpuRegister.R13, CpuRegister.R14,
        CpuRegister.R15, CpuRegister.RIP, CpuRegister.RFLAGS};

    enum Previous { OTHER, CALL, RETURN }

    private final Machine machine;
    private Cpu.Hook hook;
    private CompletableFuture<CallTrack> result;
    private final List<CallTrack.Transfer> transfers = new ArrayList<>();
    private long count;
    private long executed;
    private long dropped;
    private boolean registers;
    private boolean done;
    private Previous previous = Previous.OTHER;
    private long previousAddress;

    Tracking(Machine machine) {
        this.machine = machine;
    }

    /**
     * Asks to track the next {@code instructions} instructions; {@code whenEnded} completes when the tracked run
     * ends. The hook is added by {@link #startIfRequested} at the next safe point, outside any run.
     */
    void request(long instructions, boolean withRegisters, CompletableFuture<CallTrack> whenEnded) {
        transfers.clear();
        count = instructions;
        executed = 0;
        dropped = 0;
        registers = withRegisters;
        done = false;
        previous = Previous.OTHER;
        result = whenEnded;
    }

    /** Whether a track was asked for and its hook is not there yet. */
    boolean requested() {
        return result != null && hook == null;
    }

    /** At a safe point, outside any run: adds the hook of a requested track. */
    void startIfRequested() {
        if (requested()) {
            hook = machine.cpu().beforeEveryInstruction(this::before);
        }
    }

    private void before(long address, int size) {
        if (result == null || done) {
            return;
        }
        switch (previous) {
            case CALL -> add(new CallTrack.Transfer(CallTrack.Kind.CALL, previousAddress, address,
                    registers ? registers() : Map.of()));
            case RETURN -> add(new CallTrack.Transfer(CallTrack.Kind.RETURN, previousAddress, address, Map.of()));
            case OTHER -> {
            }
        }
        if (executed == count) {
            done = true;
            machine.cpu().stop(); // from a code hook: before this instruction runs
            return;
        }
        executed++;
        previous = kind(machine.memory().readUpTo(address, Math.min(size, 15)));
        previousAddress = address;
    }

    private void add(CallTrack.Transfer transfer) {
        if (transfers.size() < CallTrack.MAX_TRANSFERS) {
            transfers.add(transfer);
        } else {
            dropped++;
        }
    }

    private Map<String, Long> registers() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (CpuRegister r : REGISTERS) {
            values.put(r.name().toLowerCase(Locale.ROOT), machine.cpu().read(r));
        }
        return values;
    }

    /** Whether the count was reached and the guest stopped for it. */
    boolean done() {
        return done;
    }

    boolean active() {
        return result != null;
    }

    /** The tracked run ended (the count, a break, the target's end): answers with what was seen. */
    void end() {
        if (result == null) {
            return;
        }
        if (hook != null) {
            hook.close(); // allowed inside a hook: the run that ended may still be on the stack
            hook = null;
        }
        CompletableFuture<CallTrack> answer = result;
        result = null;
        done = false;
        answer.complete(new CallTrack(transfers, executed, dropped));
        transfers.clear();
    }

    /**
     * The kind of the instruction in {@code code}: CALL (E8, FF /2, FF /3), RET (C3, C2, CB, CA), after any legacy
     * and REX prefixes.
     */
    static Previous kind(byte[] code) {
        int i = Stepper.opcodeIndex(code);
        if (i >= code.length) {
            return Previous.OTHER;
        }
        int op = code[i] & 0xff;
        if (op == 0xe8) {
            return Previous.CALL;
        }
        if (op == 0xff && i + 1 < code.length) {
            int reg = (code[i + 1] >> 3) & 7;
            return reg == 2 || reg == 3 ? Previous.CALL : Previous.OTHER;
        }
        return op == 0xc3 || op == 0xc2 || op == 0xcb || op == 0xca ? Previous.RETURN : Previous.OTHER;
    }
}
