package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient.ResumePoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
