package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What reaches the screen: a result of several lines as one block, a JSON result as one line. */
class ScreenWriterTest {
    private final List<String> screen = new CopyOnWriteArrayList<>();
    private final PrintWriter writer = ScreenWriter.over(screen::add);

    @Test
    void aResultOfSeveralLinesReachesTheScreenInOnePieceWithoutItsLastLineEnd() {
        Output human = OutputFormat.HUMAN.on(writer, address -> Optional.empty());

        human.registers(Map.of("rax", 1L, "rbx", 2L, "rcx", 3L, "rdx", 4L));
        writer.flush();

        assertThat(screen).hasSize(1);
        assertThat(screen.getFirst()).hasLineCount(2).doesNotEndWith("\n");
    }

    @Test
    void nothingWrittenShowsNothingAndJsonIsOneObjectALine() {
        Output json = OutputFormat.JSON.on(writer, address -> Optional.empty());

        writer.flush();
        json.value(0x2d);
        json.error("no");

        assertThat(screen).containsExactly("{\"type\":\"value\",\"value\":\"0x2d\",\"decimal\":\"45\"}",
                "{\"type\":\"error\",\"message\":\"no\"}");
    }
}
