package dev.hdbg.host.it;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.parse.CommandTokenizer;
import dev.hdbg.host.cli.parse.EventCommandParser;
import dev.hdbg.host.client.DebuggerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the {@code events} sample in a real agent: events added with HyperDbg's syntax,
 * run until the target stops, then its registers. See agent/src/main/resources/samples/events.asm.
 */
final class EventRun {
    static final long SYSCALL_RETURN = 0x400007;
    static final long INT_2E_NEXT = 0x40007e;
    static final long INT3 = 0x400083;
    static final long VMCALL = 0x400084;
    static final long AFTER_SYSRET = 0x40009c;
    static final long SYSRET = 0x400094;
    static final long TARGET = 0x4000a2;
    static final long TARGET_NEXT = 0x4000a8;
    static final long WATCHED = 0x4000b0;

    final Records records = new Records();
    final DebuggerRecord stop;
    final Map<String, Long> registers;

    private EventRun(List<String> commands, Map<String, Long> initial) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "events");
             DebuggerClient client = agent.connect()) {
            client.addRecordListener(records);
            for (var e : initial.entrySet()) {
                client.writeRegister(e.getKey(), e.getValue()).get(10, TimeUnit.SECONDS);
            }
            for (String command : commands) {
                client.addEvent(EventCommandParser.parse(CommandTokenizer.tokenize(command))).get(10, TimeUnit.SECONDS);
            }
            client.cont().get(10, TimeUnit.SECONDS);
            stop = records.await(r -> r instanceof DebuggerRecord.Exit || r instanceof DebuggerRecord.Break,
                    java.time.Duration.ofSeconds(30));
            registers = client.readRegisters(List.of("rax", "rbx", "rsi", "rdi", "rbp", "r8", "r10", "r12", "r13", "r14",
                    "rip", "cr4", "dr0")).get(10, TimeUnit.SECONDS);
        }
    }

    static EventRun of(String... commands) throws Exception {
        return new EventRun(List.of(commands), Map.of());
    }

    static EventRun with(Map<String, Long> initial, String... commands) throws Exception {
        return new EventRun(List.of(commands), initial);
    }

    boolean exited() {
        return stop instanceof DebuggerRecord.Exit;
    }

    long reg(String name) {
        return registers.get(name);
    }

    /**
     * The log records of the {@code command}-th command's event (1-based, in the order the commands were given; the
     * agent numbers the events themselves from 0, as HyperDbg does).
     */
    List<DebuggerRecord.Log> logs(long command) {
        List<DebuggerRecord.Log> out = new ArrayList<>();
        for (DebuggerRecord.Log l : records.of(DebuggerRecord.Log.class)) {
            if (l.eventId() == command - 1) {
                out.add(l);
            }
        }
        return out;
    }

    /** Value {@code name} of every log of the {@code command}-th command's event, in order. */
    List<Long> values(long command, String name) {
        return logs(command).stream().map(l -> l.values().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + l)).number().orElseThrow()).toList();
    }
}
