package dev.hdbg.host.cli.forward;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.output.JsonOutput;
import dev.hdbg.common.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * HyperDbg's event forwarding: named outputs ({@code output create NAME file PATH|namedpipe FIFO|tcp HOST:PORT},
 * {@code output open NAME}, {@code output close NAME}, {@code output} to list them) and the events whose
 * {@code output {NAME, ...}} clause sends their log and buffer records to up to {@link #MAX_OUTPUTS_PER_EVENT} of them,
 * one JSON object a line (the objects of {@code --json}), instead of to the screen. Thread-safe: commands and records
 * use it from different threads.
 */
public final class EventForwarding {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final Map<String, EventOutput> outputs = new LinkedHashMap<>();
    /** HyperDbg's DebuggerOutputSourceMaximumRemoteSourceForSingleEvent in its default build. */
    public static final int MAX_OUTPUTS_PER_EVENT = 5;

    /**
     * Which event goes to which outputs: replaced whole under this object's lock, read without it. Most records belong
     * to no output, and a lock a record for finding so was one of the host's per-record costs (docs/benchmarks.md,
     * "Records without objects, wave 12").
     */
    private volatile Map<Long, List<EventOutput>> routes = Map.of();
    private final Consumer<String> problems;

    /** @param problems where a dropped or failed write is reported (once per output), e.g. the screen's errors */
    public EventForwarding(Consumer<String> problems) {
        this.problems = problems;
    }

    /** {@code output create NAME TYPE TARGET}: a closed output; nothing is opened yet. */
    public synchronized void create(String name, String type, String target) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an output name: use letters, digits and _, e.g. MyOutput1");
        }
        if (outputs.containsKey(name)) {
            throw new IllegalArgumentException("output " + name + " exists already (" + outputs.get(name).describe() + ")");
        }
        outputs.put(name, new EventOutput(name, EventOutput.Kind.parse(type), target));
    }

    /** {@code output open NAME}: opens the file for appending or connects. @return what was opened */
    public synchronized String open(String name) {
        EventOutput output = find(name);
        try {
            output.open();
        } catch (IOException e) {
            throw new UncheckedIOException("output " + name + " (" + output.describe() + ") cannot be opened: " + IoReasons.of(e), e);
        }
        return output.describe();
    }

    /** {@code output close NAME}. @return what was closed */
    public synchronized String close(String name) {
        EventOutput output = find(name);
        try {
            output.close();
        } catch (IOException e) {
            throw new UncheckedIOException("output " + name + " (" + output.describe() + ") did not close cleanly: " + IoReasons.of(e), e);
        }
        return output.describe();
    }

    /** Checks that an event may name this output: it exists and is open. */
    public synchronized void requireOpen(String name) {
        EventOutput output = outputs.get(name);
        if (output == null) {
            throw new IllegalArgumentException("there is no output named " + name
                    + "; create and open it first: output create " + name + " file PATH, output open " + name);
        }
        if (output.state() != EventOutput.State.OPEN) {
            throw new IllegalArgumentException("output " + name + " is not open; open it first: output open " + name);
        }
    }

    /** Sends the log and buffer records of {@code eventId} to the outputs {@code names}, each of them. */
    public synchronized void route(long eventId, List<String> names) {
        Map<Long, List<EventOutput>> more = new HashMap<>(routes);
        more.put(eventId, names.stream().map(this::find).toList());
        routes = Map.copyOf(more);
    }

    /** One line an output, as HyperDbg's {@code output} lists them: number, type, state, name, and here the target. */
    public synchronized List<String> list() {
        List<String> lines = new ArrayList<>();
        int number = 1;
        for (EventOutput output : outputs.values()) {
            String[] described = output.describe().split(" ", 2);
            lines.add(String.format("%-3d%-12s%-17s%s  %s", number++, described[0], output.stateName(), output.name(),
                    described[1]));
        }
        return lines;
    }

    /** Forgets which event goes where, e.g. when the session connects to another agent. */
    public synchronized void forgetEvents() {
        routes = Map.of();
    }

    /**
     * Writes a log, buffer or script-output record of a forwarded event to its output.
     *
     * @return true if the record belongs to an output (written or, when that failed, dropped);
     *         false if it is to be shown as usual
     */
    public boolean forward(DebuggerRecord record) {
        long eventId = switch (record) {
            case DebuggerRecord.Log log -> log.eventId();
            case DebuggerRecord.Buffer buffer -> buffer.eventId();
            case DebuggerRecord.ScriptOutput script -> script.eventId();
            default -> -1;
        };
        // Most records belong to no output: no lock, no boxed id and no lookup for them (the host takes hundreds of
        // thousands a second).
        Map<Long, List<EventOutput>> current = routes;
        if (eventId < 0 || current.isEmpty() || !current.containsKey(eventId)) {
            return false;
        }
        List<String> said = new ArrayList<>(0);
        synchronized (this) {
            // The routes again under the lock: an output closed or an event forgotten meanwhile is not written to.
            List<EventOutput> targets = routes.get(eventId);
            if (targets == null) {
                return false;
            }
            // HyperDbg forwards a script's printf text as it is; logs and buffers go as JSON lines.
            String line = record instanceof DebuggerRecord.ScriptOutput script ? withoutLastNewline(script.text())
                    : JsonOutput.toJson(record).toString();
            for (EventOutput output : targets) {
                String problem = output.write(line, eventId);
                if (problem != null) {
                    said.add(problem);
                }
            }
        }
        said.forEach(problems);
        return true;
    }

    private static String withoutLastNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Closes every open output, at the end of the session. */
    public synchronized void closeAll() {
        for (EventOutput output : outputs.values()) {
            if (output.state() == EventOutput.State.OPEN) {
                try {
                    output.close();
                } catch (IOException e) {
                    problems.accept("output " + output.name() + " did not close cleanly: " + IoReasons.of(e));
                }
            }
        }
    }

    private EventOutput find(String name) {
        EventOutput output = outputs.get(name);
        if (output == null) {
            throw new IllegalArgumentException("there is no output named " + name + " (create it: output create "
                    + name + " file PATH, namedpipe FIFO or tcp HOST:PORT)"
                    + (outputs.isEmpty() ? "" : "; outputs: " + String.join(", ", outputs.keySet())));
        }
        return output;
    }
}
