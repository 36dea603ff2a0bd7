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
