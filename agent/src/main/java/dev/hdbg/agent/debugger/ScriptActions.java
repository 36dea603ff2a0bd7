package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.Vcpus;
import dev.hdbg.agent.script.CompiledScript;
import dev.hdbg.agent.script.RunLimits;
import dev.hdbg.agent.script.ScriptCompiler;
import dev.hdbg.agent.script.ScriptGlobals;
import dev.hdbg.agent.script.ScriptRunException;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;
import dev.hdbg.common.script.SymbolResolver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Scripts in the debugger: the machine's global variables, the compiler (the agent checks every script again: it
 * trusts no host), and runs of script actions and of {@code ?}. Execution thread only, except {@link #compile}, which
 * the execution thread calls too when an action is added.
 */
final class ScriptActions {
    /** One set of locals per script and core: a core is one of the program's threads. */
    private static final int CORES = Vcpus.MAX;
    /** What one {@code ?} may print: its reply must fit a frame (4 MiB) with room to spare. */
    static final int MAX_EVALUATION_OUTPUT_CHARS = 1024 * 1024;

    private final ScriptGlobals globals = new ScriptGlobals();
    private final ScriptCompiler compiler = new ScriptCompiler(globals, RunLimits.DEFAULT, CORES);
    private final Supplier<TargetInfo> target;
    private final GuestScriptHost host;
    private final Machine machine;
    private final LogTaker where;
    private final List<String> evaluationOutput = new ArrayList<>();
    private long evaluationChars;

    ScriptActions(Machine machine, VmxRoot root, EventRegistry registry, Supplier<TargetInfo> target) {
        this.target = target;
        this.machine = machine;
        this.where = new LogTaker(machine, target);
        this.host = new GuestScriptHost(machine, registry, new PseudoStrings(root), new ScriptBuffer(root), where);
    }

    /**
     * Checks and compiles the text of a script action.
     *
     * @throws DebuggerException INVALID with every error rendered with its caret
     */
    CompiledScript compile(String source) {
        try {
            return compiler.compile(new SourceText("script", source), environment());
        } catch (ScriptException e) {
            throw DebuggerException.invalid(e.getMessage());
        }
    }

    /**
     * One trigger of a script action: runs it and hands its printf text and its error, if any, to the record queue.
     *
     * @return the host's view after the run: {@code pause()} and {@code event_sc()} are read from it
     */
    GuestScriptHost run(CompiledScript script, long eventId, long actionId, boolean immediate, VmExit exit,
                        GuestRegs frame, RecordQueue queue, RootAllocation buffer, int bufferSize) {
        actionOutput.set(queue, eventId, actionId, immediate);
        host.begin(frame, exit, eventId, actionOutput, actionOutput.refusals, buffer, bufferSize);
        try {
            script.run(host, machine.vcpus().current());
        } catch (ScriptRunException e) {
            stoppedEarly(queue, eventId, actionId, e);
        }
        return host;
    }

    /** A run that stopped early: its error record (outside {@link #run}, whose every trigger this text would weigh). */
    private static void stoppedEarly(RecordQueue queue, long eventId, long actionId, ScriptRunException e) {
        error(queue, eventId, actionId, "stopped at line " + e.line() + "; the guest goes on\n" + e.getMessage());
    }

    /**
     * Where a running action's printf text and refusals go; one, reused, so a trigger allocates nothing for it. The
     * core, process and thread a record names are read when the script prints, not on every trigger: a hot condition
     * that prints nothing asks the machine nothing (docs/benchmarks.md, "Script hits, wave 6"). It is also what makes
     * the record once the queue has its number: a lambda capturing the text and the place was an object a record
     * ("Script output, wave 13").
     */
    private final ActionOutput actionOutput = new ActionOutput();

    private final class ActionOutput implements Consumer<byte[]>, LongFunction<DebuggerRecord> {
        private RecordQueue queue;
        private long eventId;
        private long actionId;
        private boolean immediate;
        final Consumer<String> refusals = why -> error(queue, eventId, actionId, why);
        /** The printf being published, for {@link #apply}: set, published and cleared on the execution thread. */
        private byte[] text;
        private int core;
        private long process;
        private long thread;

        void set(RecordQueue to, long event, long action, boolean now) {
            queue = to;
            eventId = event;
            actionId = action;
            immediate = now;
        }

        @Override
        public void accept(byte[] utf8) {
            text = utf8;
            core = where.core();
            process = where.pid();
            thread = where.tid();
            try {
                // The queue calls apply before it returns; what it runs while full only reads, and prints nothing.
                queue.publish(this, immediate);
            } finally {
                text = null;
            }
        }

        /** The record of the printf being published, numbered {@code seq}. */
        @Override
        public DebuggerRecord apply(long seq) {
            return new DebuggerRecord.ScriptOutput(seq, eventId, actionId, core, text, process, thread);
        }
    }

    private static void error(RecordQueue queue, long eventId, long actionId, String why) {
        String message = "event " + Long.toHexString(eventId) + " action " + Long.toHexString(actionId)
                + ": script: " + why;
        queue.publish(seq -> new DebuggerRecord.ActionError(seq, eventId, actionId, message), true);
    }

    /**
     * {@code ?} and {@code print}: checks, compiles and runs a script once, outside any event ($event_id, $context and
     * $event_stage are 0).
     *
     * @throws DebuggerException INVALID when the script does not check or its run stops early (the message says where)
     */
    Evaluation evaluate(String text, boolean expression, GuestRegs frame) {
        SourceText source = new SourceText(expression ? "expression" : "script", text);
        CompiledScript script;
        try {
            script = compiler.compile(expression ? ScriptChecker.checkExpression(source, environment())
                    : ScriptChecker.check(source, environment()));
        } catch (ScriptException e) {
            throw DebuggerException.invalid(e.getMessage());
        }
        evaluationOutput.clear();
        evaluationChars = 0;
        host.begin(frame, null, 0, this::evaluationPrint, this::evaluationPrint, null, 0);
        long value;
        try {
            value = script.run(host, machine.vcpus().current());
        } catch (ScriptRunException e) {
            throw DebuggerException.invalid(e.getMessage());
        }
        return new Evaluation(value, evaluationOutput);
    }

    private void evaluationPrint(byte[] utf8) {
        evaluationPrint(new String(utf8, StandardCharsets.UTF_8));
    }

    private void evaluationPrint(String text) {
        if (evaluationChars > MAX_EVALUATION_OUTPUT_CHARS) {
            return;
        }
        evaluationChars += text.length();
        evaluationOutput.add(evaluationChars > MAX_EVALUATION_OUTPUT_CHARS
                ? "[output cut: ? prints at most " + MAX_EVALUATION_OUTPUT_CHARS + " characters; use a script action]\n"
                : text);
    }

    /** The value of a global variable, for tests. */
    OptionalLong global(String name) {
        return globals.value(name);
    }

    private ScriptEnvironment environment() {
        return ScriptEnvironment.DEFAULT.withSymbols(this::symbol);
    }

    /** {@code name} or {@code module!name}, as the target's symbol table has it. */
    private OptionalLong symbol(String name) {
        TargetInfo info = target.get();
        if (info == null) {
            return OptionalLong.empty();
        }
        String bare = name.substring(name.indexOf('!') + 1);
        for (Symbol s : info.symbols(bare)) {
            if (s.name().equals(bare)) {
                return OptionalLong.of(s.address());
            }
        }
        return OptionalLong.empty();
    }
}
