package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient.ResumePoint;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordJournalTest {
    @TempDir
    Path dir;

    private static DebuggerRecord notice(long seq) {
        return new DebuggerRecord.Notice(seq, "n" + seq);
    }

    @Test
    void aNewJournalHasNoResumePointAndStartsEachAgentRunWithAHeader() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (RecordJournal journal = RecordJournal.open(file)) {
            assertThat(journal.resumePoint()).isEmpty();
            journal.begin("run-a");
            journal.accept(notice(1));
            journal.accept(notice(2));
            assertThat(journal.resumePoint()).contains(new ResumePoint("run-a", 2));
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"type\":\"journal\",\"agent_instance\":\"run-a\"}",
                "{\"type\":\"notice\",\"seq\":1,\"message\":\"n1\"}",
                "{\"type\":\"notice\",\"seq\":2,\"message\":\"n2\"}");
    }

    @Test
    void reopeningResumesAfterTheLastRecordAndNeverWritesOneTwice() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (RecordJournal journal = RecordJournal.open(file)) {
            journal.begin("run-a");
            journal.accept(notice(1));
            journal.accept(notice(2));
        }
        try (RecordJournal journal = RecordJournal.open(file)) {
            assertThat(journal.resumePoint()).contains(new ResumePoint("run-a", 2));
            journal.begin("run-a");      // the same run: no second header
            journal.accept(notice(2));   // sent again by the agent: already here
            journal.accept(notice(3));
        }
        assertThat(Files.readAllLines(file)).hasSize(4).last().asString().contains("\"seq\":3");
    }

    @Test
    void aLineCutShortByAKillIsDroppedSoTheRecordComesAgain() throws Exception {
        Path file = dir.resolve("j.jsonl");
        Files.writeString(file, "{\"type\":\"journal\",\"agent_instance\":\"run-a\"}\n"
                + "{\"type\":\"notice\",\"seq\":1,\"message\":\"n1\"}\n{\"type\":\"notice\",\"seq\":2,\"mess");
        try (RecordJournal journal = RecordJournal.open(file)) {
            assertThat(journal.resumePoint()).contains(new ResumePoint("run-a", 1));
            journal.accept(notice(2));
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"type\":\"journal\",\"agent_instance\":\"run-a\"}",
                "{\"type\":\"notice\",\"seq\":1,\"message\":\"n1\"}",
                "{\"type\":\"notice\",\"seq\":2,\"message\":\"n2\"}");
    }

    @Test
    void anotherAgentRunStartsCountingAgainAfterANewHeader() throws Exception {
        Path file = dir.resolve("j.jsonl");
        try (RecordJournal journal = RecordJournal.open(file)) {
            journal.begin("run-a");
            journal.accept(notice(1));
            journal.accept(notice(2));
            journal.begin("run-b");
            journal.accept(notice(1));
        }
        try (RecordJournal journal = RecordJournal.open(file)) {
            assertThat(journal.resumePoint()).contains(new ResumePoint("run-b", 1));
        }
    }

    private static final String HEADER_A = "{\"type\":\"journal\",\"agent_instance\":\"run-a\"}\n";
    private static final String HEADER_B = "{\"type\":\"journal\",\"agent_instance\":\"run-b\"}\n";

    /** Journals as a kill may leave them, with the resume point each must give (null: none). */
    private record Ending(String content, ResumePoint resumesAt) {
    }

    private static final List<Ending> ENDINGS = List.of(
            new Ending("", null),
            new Ending("{\"type\":\"notice\",\"seq\":1,\"mess", null),
            new Ending(HEADER_A, new ResumePoint("run-a", 0)),
            new Ending(HEADER_A + line(1) + line(2) + line(3), new ResumePoint("run-a", 3)),
            new Ending(HEADER_A + line(1) + line(2) + "{\"type\":\"notice\",\"seq\":3,\"mess", new ResumePoint("run-a", 2)),
            new Ending(line(1) + line(2), null),
            new Ending(HEADER_A + line(1) + line(2) + HEADER_B + line(1), new ResumePoint("run-b", 1)),
            new Ending(HEADER_A + line(1) + HEADER_B, new ResumePoint("run-b", 0)),
            new Ending(HEADER_A + "{\"type\":\"notice\",\"seq\":1,\"message\":\"" + "x".repeat(5000) + "\"}\n" + line(2),
                    new ResumePoint("run-a", 2)));

    private static String line(long seq) {
        return "{\"type\":\"notice\",\"seq\":" + seq + ",\"message\":\"n" + seq + "\"}\n";
    }

    @ParameterizedTest(name = "blocks of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 7, 19, 64, 4096, JournalTail.BLOCK})
    void theResumePointIsReadFromTheEndWhateverTheBlockSize(int block) throws Exception {
        for (Ending ending : ENDINGS) {
            Path file = Files.writeString(dir.resolve("j" + ENDINGS.indexOf(ending) + ".jsonl"), ending.content());
            try (RecordJournal journal = RecordJournal.open(file, block)) {
                assertThat(journal.resumePoint()).as(ending.content()).isEqualTo(Optional.ofNullable(ending.resumesAt()));
            }
            String complete = ending.content().substring(0, ending.content().lastIndexOf('\n') + 1);
            assertThat(Files.readString(file)).as("a last line cut short is dropped").isEqualTo(complete);
        }
    }

    @Test
    void openingAJournalOfOneLongRunTakesOneBlockOfMemoryNotTheFile() throws Exception {
        Path file = dir.resolve("long.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(HEADER_A);
            for (long seq = 1; seq <= 1_000_000; seq++) {
                out.write(line(seq)); // about 45 MB: the header the journal needs is at its far end from where it is read
            }
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try (RecordJournal journal = RecordJournal.open(file)) {
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(journal.resumePoint()).contains(new ResumePoint("run-a", 1_000_000));
            assertThat(allocated).as("bytes allocated to open a %d-byte journal", Files.size(file))
                    .isLessThan(4L * JournalTail.BLOCK);
        }
    }
}
