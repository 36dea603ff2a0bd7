package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ProgramLines} through {@link HumanOutput}: the program's writes shown as the lines they make. */
class ProgramLinesTest {
    private final StringWriter screen = new StringWriter();
    private final List<Runnable> waiting = new ArrayList<>();
    private final HumanOutput output = new HumanOutput(new PrintWriter(screen), address -> Optional.empty(),
            waiting::add);
    private long seq;

    private void programWrites(String text) {
        output.record(new DebuggerRecord.Output(++seq, DebuggerRecord.Stream.STDOUT,
                text.getBytes(StandardCharsets.UTF_8)));
    }

    private String shown() {
        return screen.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void aLineWrittenInPiecesIsShownOnceWhole() {
        programWrites("hello heap");
        programWrites("\n");
        programWrites("r=30 counter=5\n");

        assertThat(shown()).isEqualTo("hello heap\nr=30 counter=5\n");
    }

    @Test
    void severalLinesInOneWriteKeepTheirEmptyLines() {
        programWrites("a\n\nb\nc");
        programWrites("d\n");

        assertThat(shown()).isEqualTo("a\n\nb\ncd\n");
    }

    @Test
    void anUnfinishedLineGoesFirstWhenSomethingElseIsShown() {
        programWrites("dividing by 0");
        output.record(new DebuggerRecord.Notice(++seq, "a notice"));

        assertThat(shown()).isEqualTo("dividing by 0\n[notice #2] a notice\n");
    }

    @Test
    void anUnfinishedLineIsShownWhenTheProgramWritesNothingMoreForAWhile() {
        programWrites("Enter a name: ");
        assertThat(shown()).as("still waiting for the rest").isEmpty();

        waiting.forEach(Runnable::run); // the patience ran out with nothing written since
        assertThat(shown()).isEqualTo("Enter a name: \n");
    }

    @Test
    void anUnfinishedLineIsShownWhenNoMoreRecordsCome() {
        programWrites("no newline at the end");
        output.noMoreRecords();

        assertThat(shown()).isEqualTo("no newline at the end\n");
    }

    @Test
    void aLateTaskDoesNotCutALineTheProgramWentOnWriting() {
        programWrites("progress: ");
        Runnable first = waiting.getFirst();
        programWrites("50% ");

        first.run(); // written to since it was scheduled: nothing shown
        assertThat(shown()).isEmpty();
        programWrites("100%\n");
        assertThat(shown()).isEqualTo("progress: 50% 100%\n");
    }
}
