package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {
    @TempDir
    Path dir;

    @Test
    void linesReachTheScreenAlwaysAndTheLogFileOnlyWhileItIsOpen() throws Exception {
        Transcript transcript = new Transcript();
        List<String> screen = new ArrayList<>();
        var lines = transcript.tee(screen::add);
        Path log = dir.resolve("a.log");

        lines.accept("before");
        assertThat(transcript.open(log)).isEmpty();
        lines.accept("during");
        transcript.toFile("typed only");
        assertThat(transcript.close()).contains(log);
        lines.accept("after");

        assertThat(screen).containsExactly("before", "during", "after");
        assertThat(Files.readAllLines(log)).containsExactly("during", "typed only");
    }

    @Test
    void openingAgainAppendsAndOpeningAnotherFileSwitches() throws Exception {
        Transcript transcript = new Transcript();
        var lines = transcript.tee(line -> { });
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        Files.writeString(first, "old\n");

        transcript.open(first);
        lines.accept("one");
        assertThat(transcript.open(second)).contains(first);
        lines.accept("two");
        transcript.close();

        assertThat(Files.readAllLines(first)).containsExactly("old", "one");
        assertThat(Files.readAllLines(second)).containsExactly("two");
        assertThat(transcript.close()).isEmpty();
    }
}
