package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A command file run line by line: failures counted, continuation lines joined, {@code exit} ends it. */
class BatchRunnerTest {
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final FakeDebuggerClient client = new FakeDebuggerClient().register("rip", 0x401000);
    private final DebugSession session = new DebugSession(client, ScreenWriter.over(screen::add), OutputFormat.HUMAN);
    private final CommandShell shell = new CommandShell(session, true);

    private BatchRunner.Summary run(String text) throws IOException {
        InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        try (CommandFile file = CommandFile.open("-", "the batch file", in)) {
            return BatchRunner.run(file, shell, session.output());
        }
    }

    @Test
    void countsTheFailedCommandsAndNamesTheFirstFailedLine() throws IOException {
        BatchRunner.Summary summary = run("r rip\n# a comment\n\nnosuchverb\nr rip\nnosuchverb either\n");

        assertThat(summary).isEqualTo(new BatchRunner.Summary(2, 4, false));
        assertThat(client.calls("readRegisters")).hasSize(2);
    }

    @Test
    void aCommandWhoseGroupIsOpenContinuesOnTheNextLinesAndExitEndsTheFile() throws IOException {
        // The fake agent evaluates nothing: the joined command fails once, as line 1; "2 }" is not run on its own.
        BatchRunner.Summary summary = run("? 1 + {\n2 }\nnosuchverb\nexit\nr rip\n");

        assertThat(summary).isEqualTo(new BatchRunner.Summary(2, 1, true));
        assertThat(client.calls("readRegisters")).isEmpty();
        assertThat(screen).anyMatch(line -> line.contains("hdbg> ? 1 + {"));
    }

    @Test
    void aRunOfPlainTLinesGoesAsOneRequestEachLinesEchoBeforeItsStop() throws IOException {
        client.takesManySteps(0, 0);

        BatchRunner.Summary summary = run("t\nt\n t \nt\nr rip\n");

        assertThat(summary).isEqualTo(new BatchRunner.Summary(0, 0, false));
        assertThat(client.calls("steps")).extracting(c -> c.arguments().get(1)).containsExactly(4L);
        assertThat(client.calls("step")).isEmpty();
        assertThat(String.join("\n", screen)).containsSubsequence(
                "hdbg> t", "stepped (t)", "hdbg> t", "stepped (t)", "hdbg> t", "stepped (t)", "hdbg> t",
                "stepped (t)", "hdbg> r rip");
        assertThat(screen).filteredOn(l -> l.contains("hdbg> t")).hasSize(4);
        assertThat(screen).filteredOn(l -> l.contains("stepped (t)")).hasSize(4);
    }

    @Test
    void aStopThatIsNotAPlainStepEndsARequestAndTheLinesAfterItGoInTheNext() throws IOException {
        client.takesManySteps(3, 0);

        BatchRunner.Summary summary = run("t\n".repeat(6));

        assertThat(summary).isEqualTo(new BatchRunner.Summary(0, 0, false));
        assertThat(client.calls("steps")).extracting(c -> c.arguments().get(1)).containsExactly(6L, 3L);
        String shown = String.join("\n", screen);
        assertThat(shown).containsSubsequence("hdbg> t", "stepped (t)", "hdbg> t", "stepped (t)", "hdbg> t",
                "breakpoint", "hdbg> t", "stepped (t)", "hdbg> t", "stepped (t)", "hdbg> t", "stepped (t)");
        assertThat(screen).filteredOn(l -> l.contains("hdbg> t")).hasSize(6);
    }

    @Test
    void theLinesAfterTheExitFailEachAfterItsEchoAndTheFirstOfThemIsNamed() throws IOException {
        client.takesManySteps(0, 3);

        BatchRunner.Summary summary = run("r rip\n" + "t\n".repeat(5));

        // Lines 2 and 3 step, line 4's step is the exit, lines 5 and 6 fail: the target has exited.
        assertThat(summary).isEqualTo(new BatchRunner.Summary(2, 5, false));
        assertThat(screen).filteredOn(l -> l.contains("hdbg> t")).hasSize(5);
        assertThat(String.join("\n", screen)).containsSubsequence("hdbg> t", "hdbg> t", "hdbg> t", "exit",
                "hdbg> t", "has exited", "hdbg> t", "has exited");
    }

    @Test
    void anAgentBefore120TakesOneStepALineWithTheSameScreen() throws IOException {
        client.stopsAtOnce();

        BatchRunner.Summary summary = run("t\nt\nt\n");

        assertThat(summary).isEqualTo(new BatchRunner.Summary(0, 0, false));
        assertThat(client.calls("step")).hasSize(3);
        assertThat(String.join("\n", screen)).containsSubsequence("hdbg> t", "stopped", "hdbg> t", "stopped",
                "hdbg> t", "stopped");
    }

    @Test
    void linesThatHaveNotArrivedAreNotWaitedForToJoinARun() throws IOException {
        // Standard input from a program that writes a line when it has read the answer to the one before: reading on
        // for a second t would wait for it forever. Nothing says more has arrived, so each t goes alone.
        client.takesManySteps(0, 0).stopsAtOnce();
        InputStream slow = new ByteArrayInputStream("t\nt\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 2)); // a line a read, as a pipe written a line at a time
            }

            @Override
            public synchronized int available() {
                return 0; // and nothing more until it is read
            }
        };
        try (CommandFile file = CommandFile.open("-", "the batch file", slow)) {
            assertThat(BatchRunner.run(file, shell, session.output())).isEqualTo(new BatchRunner.Summary(0, 0, false));
        }
        assertThat(client.calls("steps")).isEmpty();
        assertThat(client.calls("step")).hasSize(2);
    }

    @Test
    void theLoopOverTheLinesLeavesEachLinesWorkToAMethodOfItsOwn() throws IOException {
        // The loop runs once a file, so the JIT never compiles it as a method, and its on-stack replacement waits for
        // tens of thousands of turns when the compilers are busy: all a line does is in runLine, compiled as any hot
        // method. The loop itself stays a few dozen instructions, among them the call.
        ClassModel model;
        try (InputStream in = BatchRunner.class.getResourceAsStream("BatchRunner.class")) {
            model = ClassFile.of().parse(in.readAllBytes());
        }
        MethodTypeDesc fileRun = MethodTypeDesc.of(ClassDesc.of(BatchRunner.Summary.class.getName()),
                ClassDesc.of(CommandFile.class.getName()), ClassDesc.of(CommandShell.class.getName()),
                ClassDesc.of("dev.hdbg.host.cli.output.Output"), ClassDesc.of(List.class.getName()));
        MethodModel loop = model.methods().stream().filter(m -> m.methodName().equalsString("run")
                && m.methodTypeSymbol().equals(fileRun)).findFirst().orElseThrow();
        List<String> instructions = loop.code().orElseThrow().elementStream()
                .filter(e -> e instanceof Instruction).map(Object::toString).toList();

        assertThat(instructions).anyMatch(i -> i.contains("runLine"));
        assertThat(instructions.size()).as("instructions in the loop's method").isLessThan(50);
    }
}
