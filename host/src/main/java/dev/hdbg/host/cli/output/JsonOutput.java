package dev.hdbg.host.cli.output;

import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.Positional;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.asm.Assembly;
import dev.hdbg.common.disasm.Instruction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One JSON object a line, each with a {@code type}; the schema is in docs/json.md. */
public final class JsonOutput implements Output {
    private final PrintWriter out;

    JsonOutput(PrintWriter out) {
        this.out = out;
    }

    /** The lines of the batch being given ({@link #recordOfBatch}), not yet written. Guarded by this output's lock. */
    private final KeptLines kept = new KeptLines();

    /** One object, one line, flushed: {@code --json} output is one object a line, whoever writes beside it. */
    private synchronized void emit(Json json) {
        kept.handOver(out); // after the lines of records given before it
        out.println(json);
        out.flush();
    }

    @Override
    public synchronized void record(DebuggerRecord record) {
        write(record);
        kept.handOver(out);
        out.flush();
    }

    /** Kept until the batch ends ({@link #endOfRecords}), then written as one block; a break or an exit at once. */
    @Override
    public synchronized void recordOfBatch(DebuggerRecord record) {
        write(record);
        boolean stop = record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit;
        if (stop || kept.full()) {
            kept.handOver(out);
        }
        if (stop) {
            out.flush();
        }
    }

    @Override
    public synchronized void endOfRecords() {
        kept.handOver(out);
        out.flush();
    }

    /** The record's line after the kept ones: no string on the way to the writer, no chars to a byte screen. */
    private void write(DebuggerRecord record) {
        if (!kept.add(record)) {
            kept.handOver(out);
            out.print(toJson(record) + System.lineSeparator());
        }
    }

    /** A record as the JSON object {@code --json} prints (docs/json.md); event forwarding writes the same. */
    public static Json toJson(DebuggerRecord record) {
        return RecordObjects.of(record);
    }

    @Override
    public void registers(Map<String, Long> values) {
        Map<String, Object> regs = new LinkedHashMap<>();
        values.forEach((k, v) -> regs.put(k, Json.hex(v)));
        emit(Json.type("registers").put("registers", regs));
    }

    @Override
    public void wideRegisters(Map<String, String> values) {
        Map<String, Object> regs = new LinkedHashMap<>();
        values.forEach((k, v) -> regs.put(k, "0x" + v));
        emit(Json.type("registers").put("registers", regs));
    }

    @Override
    public void memory(long address, byte[] data, int unit) {
        emit(Json.type("memory").hex("address", address).put("unit", unit).data("data", data));
    }

    @Override
    public void disassembly(List<Instruction> instructions, boolean showBytes) {
        List<Json> list = new ArrayList<>();
        for (Instruction i : instructions) {
            list.add(new Json().hex("address", i.address()).put("bytes", i.hexBytes()).put("text", i.text()));
        }
        emit(Json.type("disassembly").put("instructions", list));
    }

    @Override
    public void scriptOutput(List<String> texts) {
        for (String text : texts) {
            emit(Json.type("script").put("text", text));
        }
    }

    @Override
    public void value(long value) {
        emit(Json.type("value").hex("value", value).put("decimal", Long.toUnsignedString(value)));
    }

    @Override
    public void eventAdded(AddedEvent event) {
        emit(Json.type("event").put("event", event.eventId()).put("actions", event.actionIds()));
    }

    @Override
    public void events(List<EventInfo> events) {
        List<Json> list = new ArrayList<>();
        for (EventInfo e : events) {
            Json json = new Json().put("event", e.id()).put("command", e.spec().type().command()).put("enabled", e.enabled())
                    .put("hits", e.hits()).put("actions", e.actionIds());
            switch (e.spec().type().positional()) {
                case Positional.Address _ -> json.hex("address", e.spec().address());
                case Positional.AccessRange _ -> json.hex("from", e.spec().address()).hex("to", e.spec().end())
                        .put("access", Access.bits(e.spec().access()));
                case Positional.Filter _, Positional.ControlRegister _, Positional.None _, Positional.Mode _,
                     Positional.TraceType _ -> {
                }
            }
            e.spec().filter().ifPresent(f -> json.hex("filter", f));
            e.spec().mask().ifPresent(m -> json.hex("mask", m));
            json.put("stage", e.spec().options().stage().name().toLowerCase(Locale.ROOT))
                    .put("short_circuit", e.spec().options().shortCircuit());
            json.put("conditional", e.spec().condition().isPresent());
            list.add(json);
        }
        emit(Json.type("events").put("events", list));
    }

    @Override
    public void eventsModified(String what, List<Long> ids) {
        emit(Json.type("events_modified").put("modification", what).put("events", ids));
    }

    @Override
    public void status(AgentStatus status) {
        List<Json> regions = new ArrayList<>();
        status.regions().forEach(r -> regions.add(new Json().hex("begin", r.begin()).hex("end", r.end())
                .put("permissions", r.permissions()).put("name", r.name())));
        emit(Json.type("status").put("state", status.state().name().toLowerCase(Locale.ROOT)).hex("rip", status.rip())
                .put("target", status.target()).put("regions", regions).put("last_seq", status.lastSeq())
                .put("cores", coreList(status.cores())).put("selected_core", status.selectedCore()));
    }

    private static List<Json> coreList(List<CoreInfo> cores) {
        List<Json> list = new ArrayList<>();
        cores.forEach(c -> list.add(new Json().put("core", c.number()).put("tid", c.tid()).hex("rip", c.rip())
                .put("state", c.state()).put("current", c.current()).put("pid", c.pid()).put("name", c.name())));
        return list;
    }

    @Override
    public void cores(List<CoreInfo> cores, int selected) {
        emit(Json.type("cores").put("cores", coreList(cores)).put("selected_core", selected));
    }

    @Override
    public void coreSelected(CoreInfo core) {
        emit(Json.type("core_selected").put("core", core.number()).put("tid", core.tid()).hex("rip", core.rip())
                .put("state", core.state()));
    }

    @Override
    public void breakpoints(List<BreakpointInfo> breakpoints) {
        List<Json> list = new ArrayList<>();
        breakpoints.forEach(bp -> list.add(new Json().put("breakpoint", bp.id()).hex("address", bp.address())
                .put("enabled", bp.enabled()).put("conditional", bp.conditional()).put("hits", bp.hits()).scope(bp.scope())));
        emit(Json.type("breakpoints").put("breakpoints", list));
    }

    @Override
    public void doubleWordsWithChars(long address, byte[] data) {
        memory(address, data, 4);
    }

    @Override
    public void string(long address, String encoding, String text) {
        emit(Json.type("string").hex("address", address).put("encoding", encoding).put("text", text));
    }

    @Override
    public void searchHits(List<SearchHit> hits) {
        emit(Json.type("search").put("hits", hits.stream().map(h -> Json.hex(h.address())).toList()));
    }

    @Override
    public void stack(List<StackFrame> frames, Optional<String> note) {
        List<Json> list = new ArrayList<>();
        for (StackFrame f : frames) {
            Json frame = new Json().put("frame", f.frame()).hex("sp", f.sp());
            f.returnAddress().ifPresent(r -> frame.hex("return", r));
            list.add(frame.hex("site", f.site()));
        }
        Json json = Json.type("stack").put("frames", list);
        note.ifPresent(n -> json.put("note", n));
        emit(json);
    }

    @Override
    public void pointers(List<PointerSlot> slots) {
        List<Json> list = new ArrayList<>();
        for (PointerSlot slot : slots) {
            Json entry = new Json().hex("address", slot.address()).hex("value", slot.value());
            slot.pointsInto().ifPresent(r -> entry.put("points_into", r));
            list.add(entry);
        }
        emit(Json.type("pointers").put("pointers", list));
    }

    @Override
    public void cpuFeatures(String vendor, String brand, Map<String, Boolean> features) {
        emit(Json.type("cpu").put("vendor", vendor).put("brand", brand).put("features", new LinkedHashMap<>(features)));
    }

    @Override
    public void msr(int core, int msr, long value) {
        emit(Json.type("msr").put("core", core).hex("msr", Integer.toUnsignedLong(msr)).hex("value", value));
    }

    @Override
    public void stackValues(List<PointerSlot> slots, int size) {
        List<Json> list = new ArrayList<>();
        for (PointerSlot slot : slots) {
            Json entry = new Json().hex("address", slot.address()).hex("value", slot.value());
            slot.pointsInto().ifPresent(r -> entry.put("points_into", r));
            list.add(entry);
        }
        emit(Json.type("stack_values").put("size", size).put("slots", list));
    }

    @Override
    public void signalStops(List<Integer> signals, String text) {
        List<Json> list = new ArrayList<>();
        for (int s : signals) {
            list.add(new Json().put("signal", s).put("signal_name", dev.hdbg.common.model.LinuxSignals.name(s)));
        }
        emit(Json.type("signal_stops").put("signals", list));
    }

    @Override
    public void flags(Map<String, Integer> bits) {
        emit(Json.type("flags").put("flags", new LinkedHashMap<>(bits)));
    }

    @Override
    public void rflags(long value, List<String> setFlags) {
        emit(Json.type("rflags").hex("value", value).put("set", setFlags));
    }

    @Override
    public void modules(List<LoadedModule> modules) {
        List<Json> list = new ArrayList<>();
        for (var m : modules) {
            List<Json> sections = new ArrayList<>();
            m.sections().forEach(sec -> sections.add(new Json().put("name", sec.name()).hex("address", sec.address())
                    .hex("size", sec.size()).put("flags", sec.flags())));
            list.add(new Json().put("name", m.name()).hex("base", m.base()).hex("end", m.end()).put("sections", sections));
        }
        emit(Json.type("modules").put("modules", list));
    }

    @Override
    public void symbols(List<Symbol> symbols) {
        List<Json> list = new ArrayList<>();
        symbols.forEach(sym -> list.add(new Json().put("name", sym.name()).hex("address", sym.address())
                .hex("size", sym.size()).put("kind", sym.kind())));
        emit(Json.type("symbols").put("symbols", list));
    }

    @Override
    public void assembled(Assembly assembly, boolean written) {
        emit(Json.type("assembly").hex("address", assembly.origin()).put("statements", assembly.statements().size())
                .data("bytes", assembly.bytes()).put("written", written));
    }

    @Override
    public void started(AgentStatus status) {
        emit(Json.type("started").put("target", status.target())
                .put("state", status.state().name().toLowerCase(Locale.ROOT)).hex("rip", status.rip()));
    }

    @Override
    public void callTree(CallTree tree) {
        List<Json> nodes = new ArrayList<>();
        for (CallTree.Node node : tree.nodes()) {
            Json json = new Json().put("kind", node.kind().name().toLowerCase(Locale.ROOT)).put("depth", node.depth())
                    .hex("address", node.address());
            node.symbol().ifPresent(s -> json.put("symbol", s));
            if (!node.registers().isEmpty()) {
                Json registers = new Json();
                node.registers().forEach(registers::hex);
                json.put("registers", registers);
            }
            nodes.add(json);
        }
        emit(Json.type("track").put("instructions", tree.instructions()).put("dropped", tree.dropped())
                .put("transfers", nodes));
    }

    @Override
    public void formats(long value) {
        emit(Json.type("formats").hex("hex", value).put("decimal", Long.toString(value))
                .put("octal", Long.toOctalString(value)).put("binary", Long.toBinaryString(value)));
    }

    @Override
    public void translated(String command, long address, long translated) {
        emit(Json.type("translation").put("command", command).hex("address", address).hex("translated", translated));
    }

    @Override
    public void dumped(String path, long bytes) {
        emit(Json.type("dump").put("path", path).put("bytes", bytes));
    }

    @Override
    public void text(List<String> lines) {
        emit(Json.type("text").put("lines", List.copyOf(lines)));
    }

    @Override
    public void clearScreen() {
    }

    @Override
    public void ok(String command) {
        emit(Json.type("ok").put("command", command));
    }

    @Override
    public void connected(String address, AgentStatus status) {
        emit(Json.type("connection").put("connected", true).put("address", address).put("target", status.target())
                .put("state", status.state().name().toLowerCase(Locale.ROOT)).hex("rip", status.rip()));
    }

    @Override
    public void disconnected(String message) {
        emit(Json.type("connection").put("connected", false).put("message", message));
    }

    @Override
    public void error(String message) {
        emit(Json.type("error").put("message", message));
    }

    @Override
    public void note(String text) {
    }
}
