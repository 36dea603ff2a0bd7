package dev.hdbg.host.gdb;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * gdb's {@code catch syscall} ({@code QCatchSyscalls}, as gdbserver serves it on Linux) as HyperDbg's system-call
 * events: a {@code !syscall} event that breaks for each caught number (one without a number when gdb catches them
 * all), and, while a caught call is under way, a {@code !sysret} that breaks at its return. gdb expects the entry's
 * stop ({@code syscall_entry:NN}, "Catchpoint 2 (call to syscall write)") to be followed by that call's return
 * ({@code syscall_return:NN}, "(returned from syscall write)"). The events are the agent's like any other: the hdbg
 * prompt lists them while gdb catches, and they go when gdb stops catching or the session ends.
 */
final class SyscallCatch {
    /** The key of the one entry event of a catch of every system call. */
    private static final long EVERY = -1;

    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    /** The numbers gdb catches ({@link #EVERY} alone for all of them); empty when it catches none. */
    private final Set<Long> wanted = new LinkedHashSet<>();
    /** The agent's entry events by number (or {@link #EVERY}). */
    private final AgentHeld<Long> entries = new AgentHeld<>();
    /** The {@code !sysret} event of the call whose entry was reported, or -1. */
    private long returnEvent = -1;
    private long callUnderWay;

    SyscallCatch(DebuggerClient client, RegisterFile.Replies replies) {
        this.client = client;
        this.replies = replies;
    }

    /**
     * {@code QCatchSyscalls:0} (catch none) or {@code QCatchSyscalls:1[;NN]...} (those numbers, in hex; every one
     * without a list). Takes effect when the target next resumes ({@link #sync}).
     *
     * @return false for a packet that is neither
     */
    boolean configure(String arguments) {
        String[] parts = arguments.split(";");
        if (parts[0].equals("0") && parts.length == 1) {
            wanted.clear();
            return true;
        }
        if (!parts[0].equals("1")) {
            return false;
        }
        Set<Long> numbers = new LinkedHashSet<>();
        try {
            for (int i = 1; i < parts.length; i++) {
                numbers.add(Long.parseUnsignedLong(parts[i], 16));
            }
        } catch (NumberFormatException e) {
            return false;
        }
        wanted.clear();
        if (numbers.isEmpty()) {
            wanted.add(EVERY);
        } else {
            wanted.addAll(numbers);
        }
        return true;
    }

    /** Before the target resumes: the agent's entry events become the ones gdb asked for. */
    void sync() {
        entries.sync(wanted, number -> {
            OptionalLong filter = number == EVERY ? OptionalLong.empty() : OptionalLong.of(number);
            return replies.await(client.addEvent(new EventSpec(EventType.SYSCALL, 0, filter, Optional.empty(),
                    List.of(new ActionSpec.Break()), true))).eventId();
        }, (number, id) -> replies.await(client.clearEvent(id)));
    }

    /**
     * The stop reply's reason for a break of one of these events: {@code syscall_entry:NN;} (and the call's return is
     * caught next), or {@code syscall_return:NN;}; empty for any other break.
     */
    Optional<String> reason(DebuggerRecord.Break stop) {
        if (stop.reason() != DebuggerRecord.BreakReason.EVENT) {
            return Optional.empty();
        }
        if (stop.eventId() == returnEvent) {
            dropReturnEvent();
            return Optional.of("syscall_return:" + Long.toHexString(callUnderWay) + ";");
        }
        if (!entries.holds(stop.eventId())) {
            return Optional.empty();
        }
        callUnderWay = stop.context(); // the system call's number
        if (returnEvent < 0) {
            // Added while halted at the call's exit, it is armed before the guest runs on (docs/targets.md).
            returnEvent = replies.await(client.addEvent(new EventSpec(EventType.SYSRET, 0, OptionalLong.empty(),
                    Optional.empty(), List.of(new ActionSpec.Break()), true))).eventId();
        }
        return Optional.of("syscall_entry:" + Long.toHexString(callUnderWay) + ";");
    }

    /** The session ends: the agent drops every event of it. */
    void clear() {
        wanted.clear();
        dropReturnEvent();
        sync();
    }

    private void dropReturnEvent() {
        if (returnEvent >= 0) {
            long id = returnEvent;
            returnEvent = -1;
            replies.await(client.clearEvent(id));
        }
    }
}
