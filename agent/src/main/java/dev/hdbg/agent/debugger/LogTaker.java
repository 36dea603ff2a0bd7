package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.UnmappedAddressException;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.PseudoRegisters;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.script.PseudoRegister;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * spec, log the states: takes registers, memory and pseudo-registers without halting the guest.
 * An item that cannot be read (an unmapped address) becomes an error value; the rest of the log
 * is still taken.
 */
final class LogTaker {
    /** Raw targets have one process and one thread; these are their ids. */
    static final long RAW_PID = 1;
    static final long RAW_TID = 1;
    /**
     * The most one log record may take on the wire, estimated when the action is added: 2 MiB, half
     * of a 4 MiB frame, so every record the agent makes can be delivered. Memory bytes alone do not
     * bound it: each value also carries its name, and a memory item that is not mapped records an
     * error message instead of its bytes.
     */
    static final long MAX_RECORD_BYTES = 2L * 1024 * 1024;
    /** Per value: the values field's tag and length, the name's, and the value's. */
    private static final int VALUE_OVERHEAD = 12;
    private static final int NUMBER_BYTES = 10;
    /** At least the error a memory item records when its address is not mapped. */
    private static final int ERROR_BYTES = 64;
    /** $pname: the program's name, at most a path. */
    private static final int PROCESS_NAME_BYTES = 4096;

    private final Machine machine;
    private final Supplier<TargetInfo> target;

    LogTaker(Machine machine, Supplier<TargetInfo> target) {
        this.machine = machine;
        this.target = target;
    }

    long pid() {
        TargetInfo info = target.get();
        return info == null ? RAW_PID : machine.vcpus().currentPid(); // the process whose thread is on the CPU
    }

    /** The thread on the CPU: each core is one of the program's threads (a raw image's one has RAW_TID). */
    long tid() {
        TargetInfo info = target.get();
        return info == null ? RAW_TID : machine.vcpus().currentTid();
    }

    /** The core on the CPU ({@code $core}). */
    int core() {
        return machine.vcpus().current();
    }

    /**
     * Whether the thread on the CPU is one {@code scope} selects (an event's or a breakpoint's pid, tid, core); a scope
     * of all asks nothing of the machine.
     */
    boolean admits(Scope scope) {
        return scope.isAll() || scope.admits(pid(), tid(), core());
    }

    /** Checks register and pseudo-register names when the action is added, not when it fires. */
    static void validate(LogConfiguration configuration) {
        for (LogItem item : configuration.items()) {
            switch (item) {
                case LogItem.Register r -> requireRegister(r.name());
                case LogItem.Memory m -> m.baseRegister().ifPresent(LogTaker::requireRegister);
                case LogItem.PseudoRegister p -> {
                    if (!PseudoRegisters.isKnown(p.name())) {
                        throw DebuggerException.invalid("unknown pseudo-register $" + p.name() + " (known: $"
                                + String.join(" $", PseudoRegisters.NAMES.stream().sorted().toList()) + ")");
                    }
                }
                case LogItem.AllGprs ignored -> {
                }
            }
        }
    }

    /** An upper bound of the bytes one record of {@code configuration} takes on the wire. */
    static long recordBytes(LogConfiguration configuration) {
        long bytes = 64; // the record's own fields
        for (LogItem item : configuration.items()) {
            bytes += VALUE_OVERHEAD + switch (item) {
                case LogItem.AllGprs ignored -> GuestRegister.GPRS.size() * (VALUE_OVERHEAD + 3 + NUMBER_BYTES) - VALUE_OVERHEAD;
                case LogItem.Register r -> utf8(r.label()) + NUMBER_BYTES;
                case LogItem.PseudoRegister p -> utf8(p.label()) + (p.name().equals("pname") ? PROCESS_NAME_BYTES : NUMBER_BYTES + 16);
                case LogItem.Memory m -> utf8(m.label()) + Math.max(m.length(), ERROR_BYTES);
            };
        }
        return bytes;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void requireRegister(String name) {
        if (GuestRegister.byName(name).isEmpty()) {
            throw DebuggerException.invalid("unknown register '" + name + "' in log");
        }
    }

    /**
     * The log's values, as a list {@code DebuggerRecord.Log} keeps as it is: a log of one or two items (a hot
     * {@code log {rdi}}) makes {@code List.of}'s list of them, where a growing {@code ArrayList} and the record's
     * {@code List.copyOf} of it were a quarter of the execution thread's Java time a record (docs/benchmarks.md,
     * "Records, wave 6").
     */
    List<LogValue> take(LogConfiguration configuration, VmExit exit, long eventId, GuestRegs frame) {
        List<LogItem> items = configuration.items();
        if (items.size() == 1 && !(items.getFirst() instanceof LogItem.AllGprs)) {
            return List.of(value(items.getFirst(), exit, eventId, frame));
        }
        if (items.size() == 2 && !(items.get(0) instanceof LogItem.AllGprs) && !(items.get(1) instanceof LogItem.AllGprs)) {
            LogValue first = value(items.get(0), exit, eventId, frame);
            return List.of(first, value(items.get(1), exit, eventId, frame));
        }
        List<LogValue> values = new ArrayList<>(items.size() + 16);
        for (LogItem item : items) {
            if (item instanceof LogItem.AllGprs) {
                long[] gprs = frame.load(machine.cpu());
                for (GuestRegister r : GuestRegister.GPRS) {
                    values.add(LogValue.ofNumber(r.wireName(), gprs[r.ordinal()]));
                }
            } else {
                values.add(value(item, exit, eventId, frame));
            }
        }
        return values;
    }

    /** One item's value; not {@link LogItem.AllGprs}, which is sixteen. */
    private LogValue value(LogItem item, VmExit exit, long eventId, GuestRegs frame) {
        return switch (item) {
            case LogItem.Register r -> LogValue.ofNumber(r.name(), register(r.name(), frame));
            case LogItem.PseudoRegister p -> pseudo(p, exit, eventId);
            case LogItem.Memory m -> memory(m, frame);
            case LogItem.AllGprs ignored -> throw new IllegalArgumentException("all registers are sixteen values");
        };
    }

    /**
     * A general-purpose register from the exit's frame when an earlier action loaded it, else read alone: a hot
     * {@code log {rdi}} read all sixteen for one (docs/benchmarks.md, "Records, wave 4").
     */
    private long register(String name, GuestRegs frame) {
        GuestRegister register = GuestRegister.parse(name);
        return register.isGeneralPurpose() ? frame.get(machine.cpu(), register.ordinal()) : machine.read(register);
    }

    /** The script language's meaning ({@link GuestScriptHost#pseudoRegister}); a string's bytes where it points to one. */
    private LogValue pseudo(LogItem.PseudoRegister item, VmExit exit, long eventId) {
        PseudoRegister register = PseudoRegister.byName(item.name()).orElseThrow(
                () -> new IllegalStateException("pseudo-register $" + item.name() + " passed validation"));
        return switch (register) {
            case PNAME -> LogValue.ofBytes(item.label(), processName().getBytes(StandardCharsets.UTF_8));
            case DATE -> LogValue.ofBytes(item.label(), PseudoStrings.dateText().getBytes(StandardCharsets.US_ASCII));
            case TIME -> LogValue.ofBytes(item.label(), PseudoStrings.timeText().getBytes(StandardCharsets.US_ASCII));
            case CONTEXT -> LogValue.ofNumber(item.label(), exit.context());
            case IP -> LogValue.ofNumber(item.label(), machine.rip());
            case EVENT_ID, EVENT_TAG -> LogValue.ofNumber(item.label(), eventId);
            case CORE -> LogValue.ofNumber(item.label(), core());
            case PID -> LogValue.ofNumber(item.label(), pid());
            case TID -> LogValue.ofNumber(item.label(), tid());
            case EVENT_STAGE -> LogValue.ofNumber(item.label(), exit.stage().pseudoRegisterValue());
            case PROC, THREAD, PEB, TEB, BUFFER -> LogValue.ofNumber(item.label(), 0);
        };
    }

    String processName() {
        TargetInfo info = target.get();
        return info == null ? "" : info.name();
    }


    private LogValue memory(LogItem.Memory item, GuestRegs frame) {
        long address = item.baseRegister().map(r -> register(r, frame)).orElse(0L) + item.offset();
        try {
            return LogValue.ofBytes(item.label(), machine.memory().read(address, item.length()));
        } catch (UnmappedAddressException e) {
            return LogValue.ofError(item.label(), "address 0x" + Long.toHexString(e.address()) + " is not mapped");
        }
    }
}
