package dev.hdbg.host.cli.output;

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
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Aligned text for people, WinDbg-like where WinDbg has a form. Records, the event table and memory dumps are laid out
 * by {@link RecordLines}, {@link EventTable} and {@link MemoryText}.
 */
final class HumanOutput implements Output {
    private final PrintWriter out;
    private final LongFunction<Optional<String>> symbolizer;
    private final ProgramLines programLines;

    /** @param symbolizer {@code main+0x12} for an address inside a known symbol, else empty */
    HumanOutput(PrintWriter out, LongFunction<Optional<String>> symbolizer) {
        this(out, symbolizer, ProgramLines.Later.AFTER_PATIENCE);
    }

    HumanOutput(PrintWriter out, LongFunction<Optional<String>> symbolizer, ProgramLines.Later later) {
        this.out = out;
        this.symbolizer = symbolizer;
        this.programLines = new ProgramLines(this::show, later);
    }

    /** {@code 0x401136 (main+0x12)}, or just the hex when no symbol is known. */
    private String at(long address) {
        return hex(address) + symbolizer.apply(address).map(s -> " (" + s + ")").orElse("");
    }

    @Override
    public void modules(List<LoadedModule> modules) {
        StringBuilder text = new StringBuilder(String.format("%-16s %-16s  %s%n", "start", "end", "module name"));
        for (var m : modules) {
            text.append(String.format("%016x %016x  %s%n", m.base(), m.end(), m.name()));
            for (var sec : m.sections()) {
                text.append(String.format("    %016x %8x  %-4s %s%n", sec.address(), sec.size(), sec.flags(), sec.name()));
            }
        }
        print(text.toString().stripTrailing());
    }

    @Override
    public void symbols(List<Symbol> symbols) {
        if (symbols.isEmpty()) {
            print("no matching symbols");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (var sym : symbols) {
            text.append(String.format("%016x %6x %-6s %s%n", sym.address(), sym.size(), sym.kind(), sym.name()));
        }
        print(text.toString().stripTrailing());
    }

    private void print(String text) {
        programLines.interrupt();
        show(text);
    }

    private synchronized void show(String text) {
        out.println(text);
        out.flush();
    }

    @Override
    public void noMoreRecords() {
        programLines.interrupt();
    }

    @Override
    public void record(DebuggerRecord record) {
        if (record instanceof DebuggerRecord.Output output) {
            programLines.write(new String(output.data(), StandardCharsets.UTF_8));
            return;
        }
        print(RecordLines.of(record, this::at));
    }

    @Override
    public void registers(Map<String, Long> values) {
        StringBuilder text = new StringBuilder();
        int column = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            text.append(String.format("%6s=%016x", e.getKey(), e.getValue()));
            if (++column % 3 == 0) {
                text.append('\n');
            } else {
                text.append(' ');
            }
        }
        print(text.toString().stripTrailing());
    }

    @Override
    public void wideRegisters(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((name, hex) -> text.append(String.format("%6s=%s%n", name, hex)));
        print(text.toString().stripTrailing());
    }

    @Override
    public void memory(long address, byte[] data, int unit) {
        print(MemoryText.units(address, data, unit));
    }

    @Override
    public void disassembly(List<Instruction> instructions, boolean showBytes) {
        print(DisassemblyText.of(instructions, showBytes, symbolizer));
    }

    /** As the script wrote it: the calls' texts joined, shown as lines. */
    @Override
    public void scriptOutput(List<String> texts) {
        String text = String.join("", texts);
        if (!text.isEmpty()) {
            print(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        }
    }

    @Override
    public void value(long value) {
        print("Evaluate expression: " + hex(value) + " = " + Long.toUnsignedString(value));
    }

    @Override
    public void eventAdded(AddedEvent event) {
        // spec: HyperDbg shows event numbers in hex (events.cpp: "%x") and reads them so (events e|d|c ID).
        print("event " + Long.toHexString(event.eventId()) + " added" + (event.actionIds().isEmpty() ? ""
                : " with action" + (event.actionIds().size() > 1 ? "s " : " ")
                + event.actionIds().stream().map(Long::toHexString).collect(Collectors.joining(", "))));
    }

    @Override
    public void events(List<EventInfo> events) {
        print(EventTable.of(events));
    }

    @Override
    public void eventsModified(String what, List<Long> ids) {
        String done = switch (what) {
            case "clear" -> "cleared";
            case "enable" -> "enabled";
            case "disable" -> "disabled";
            default -> what;
        };
        print(ids.isEmpty() ? "no events to " + what : done + " event" + (ids.size() > 1 ? "s " : " ")
                + ids.stream().map(Long::toHexString).collect(Collectors.joining(", ")));
    }

    @Override
    public void status(AgentStatus status) {
        StringBuilder text = new StringBuilder();
        text.append("target: ").append(status.target()).append('\n');
        text.append("state:  ").append(status.state().name().toLowerCase()).append(" at rip ").append(hex(status.rip())).append('\n');
        text.append("records sent: ").append(status.lastSeq()).append('\n');
        text.append("memory:");
        status.regions().forEach(r -> text.append(String.format("%n  %016x-%016x %s %s", r.begin(), r.end(), r.permissions(), r.name())));
        if (status.cores().size() > 1) {
            text.append("\ncores:\n").append(coreLines(status.cores(), status.selectedCore()));
        }
        print(text.toString().stripTrailing());
    }

    /** As HyperDbg's {@code ~} lists them, the selected core marked with {@code *}. */
    private static String coreLines(List<CoreInfo> cores, int selected) {
        StringBuilder text = new StringBuilder();
        for (CoreInfo c : cores) {
            text.append(String.format("%s core %d  thread %d%s  rip %016x  %s%s%n", c.number() == selected ? "*" : " ",
                    c.number(), c.tid(), c.name().isEmpty() ? "" : " \"" + c.name() + "\"", c.rip(), c.state(),
                    c.current() ? " (on the CPU)" : ""));
        }
        return text.toString();
    }

    @Override
    public void cores(List<CoreInfo> cores, int selected) {
        // HyperDbg's first line, then every core.
        print(cores.isEmpty() ? "the agent does not report cores (protocol 1.10 or later does)"
                : "current processor : 0x" + Integer.toHexString(selected) + "\n" + coreLines(cores, selected).stripTrailing());
    }

    @Override
    public void processes(List<CoreInfo> cores, int selected) {
        print(ProcessLines.of(cores, selected));
    }

    @Override
    public void coreSelected(CoreInfo core) {
        print(String.format("current core is %d (thread %d, rip %016x, %s)", core.number(), core.tid(), core.rip(),
                core.state()));
    }

    @Override
    public void breakpoints(List<BreakpointInfo> breakpoints) {
        if (breakpoints.isEmpty()) {
            print("no breakpoints");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (var bp : breakpoints) {
            text.append(String.format("%3x %s %016x %8d hits%s%s%n", bp.id(), bp.enabled() ? "e" : "d", bp.address(), bp.hits(),
                    bp.scope().isAll() ? "" : "  " + bp.scope().options(), bp.conditional() ? "  if condition" : ""));
        }
        print(text.toString().stripTrailing());
    }

    @Override
    public void doubleWordsWithChars(long address, byte[] data) {
        print(MemoryText.doubleWordsWithChars(address, data));
    }

    @Override
    public void string(long address, String encoding, String text) {
        StringBuilder shown = new StringBuilder();
        text.chars().forEach(c -> shown.append(c >= 0x20 && c != 0x7f ? (char) c : '.'));
        print(String.format("%016x  \"%s\"", address, shown));
    }

    @Override
    public void searchHits(List<SearchHit> hits) {
        if (hits.isEmpty()) {
            print("no hits");
            return;
        }
        StringBuilder text = new StringBuilder();
        for (SearchHit hit : hits) {
            text.append(String.format("%016x  %s%n", hit.address(), HexFormat.ofDelimiter(" ").formatHex(hit.bytes())));
        }
        print(text.toString().stripTrailing());
    }

    @Override
    public void stack(List<StackFrame> frames, Optional<String> note) {
        StringBuilder text = new StringBuilder(String.format("%-2s %-16s  %-16s  %s%n", "#", "Child-SP", "RetAddr", "Call Site"));
        for (StackFrame f : frames) {
            String ret = f.returnAddress().isPresent() ? String.format("%016x", f.returnAddress().getAsLong()) : "????????????????";
            text.append(String.format("%02x %016x  %s  %s%n", f.frame(), f.sp(), ret, at(f.site())));
        }
        note.ifPresent(n -> text.append(n));
        print(text.toString().stripTrailing());
    }

    @Override
    public void pointers(List<PointerSlot> slots) {
        StringBuilder text = new StringBuilder();
        for (PointerSlot slot : slots) {
            text.append(String.format("%016x  %016x", slot.address(), slot.value()));
            slot.pointsInto().ifPresent(r -> text.append("  <").append(r).append('>'));
            symbolizer.apply(slot.value()).ifPresent(symbol -> text.append("  ").append(symbol));
            text.append('\n');
        }
        print(text.toString().stripTrailing());
    }

    /** As HyperDbg's {@code cpu} shows it. */
    @Override
    public void cpuFeatures(String vendor, String brand, Map<String, Boolean> features) {
        StringBuilder text = new StringBuilder(vendor).append('\n').append(brand).append('\n');
        features.forEach((name, supported) -> text.append(name).append(supported ? " supported" : " not supported").append('\n'));
        print(text.toString().stripTrailing());
    }

    /** As HyperDbg's {@code rdmsr} shows it. */
    @Override
    public void msr(int core, int msr, long value) {
        print(String.format("core : 0x%x - msr[%x] = %016x", core, msr, value));
    }

    @Override
    public void stackValues(List<PointerSlot> slots, int size) {
        StringBuilder text = new StringBuilder();
        String format = "%016x  %0" + size * 2 + "x";
        for (PointerSlot slot : slots) {
            text.append(String.format(format, slot.address(), slot.value()));
            symbolizer.apply(slot.value()).ifPresent(symbol -> text.append("  ").append(symbol));
            slot.pointsInto().ifPresent(r -> text.append("  <").append(r).append('>'));
            text.append('\n');
        }
        print(text.toString().stripTrailing());
    }

    @Override
    public void signalStops(List<Integer> signals, String text) {
        print(text);
    }

    @Override
    public void flags(Map<String, Integer> bits) {
        print(bits.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    }

    @Override
    public void rflags(long value, List<String> setFlags) {
        print(String.format("efl=%08x", value) + (setFlags.isEmpty() ? "" : "  " + String.join(" ", setFlags)));
    }

    /** As HyperDbg's {@code a} shows it. */
    @Override
    public void assembled(Assembly assembly, boolean written) {
        String bytes = HexFormat.ofDelimiter(" ").formatHex(assembly.bytes());
        String made = "generated assembly: " + assembly.bytes().length + " bytes, " + assembly.statements().size()
                + " statements ==>> " + assembly.statements() + " = " + bytes;
        print(written ? made + "\nsuccessfully assembled at " + hex(assembly.origin()) + " address"
                : "warning, no start address provided to calculate relative asm commands\n" + made);
    }

    @Override
    public void started(AgentStatus status) {
        print("started " + status.target() + ", " + status.state().name().toLowerCase() + " at rip " + hex(status.rip()));
    }

    @Override
    public void callTree(CallTree tree) {
        print(TrackAndFormatsText.callTree(tree));
    }

    @Override
    public void formats(long value) {
        print(TrackAndFormatsText.formats(value));
    }

    /** As HyperDbg shows it: the address alone, in hex. */
    @Override
    public void translated(String command, long address, long translated) {
        print(Long.toHexString(translated));
    }

    @Override
    public void dumped(String path, long bytes) {
        print("the dump file is saved at: " + path);
    }

    @Override
    public void text(List<String> lines) {
        print(String.join("\n", lines));
    }

    @Override
    public void clearScreen() {
        print("\u001b[H\u001b[2J");
    }

    @Override
    public void ok(String command) {
    }

    @Override
    public void connected(String address, AgentStatus status) {
        print("connected to " + address + ": " + status.target() + ", " + status.state().name().toLowerCase()
                + " at rip " + hex(status.rip()));
    }

    @Override
    public void disconnected(String message) {
        print(message);
    }

    @Override
    public void error(String message) {
        print("error: " + message);
    }

    @Override
    public void note(String text) {
        print(text);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
