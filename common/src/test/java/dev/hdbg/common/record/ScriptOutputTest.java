package dev.hdbg.common.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Script output held as UTF-8 bytes says what a string of the same bytes said, and is not copied on the way. */
class ScriptOutputTest {
    @Test
    void malformedBytesAreReplacedAsAStringOfThemReplacedThem() {
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = GuestBytes.random(random);
            String asBefore = new String(bytes, StandardCharsets.UTF_8);
            var record = new DebuggerRecord.ScriptOutput(1, 2, 3, 0, bytes.clone(), 4, 5);
            assertThat(record.utf8()).isEqualTo(asBefore.getBytes(StandardCharsets.UTF_8));
            assertThat(record.text()).isEqualTo(asBefore);
            assertThat(record).isEqualTo(new DebuggerRecord.ScriptOutput(1, 2, 3, 0, asBefore, 4, 5));
        }
    }

    /** A printf's bytes become the record's as they are: the agent decoded them to a string, the sender encoded it. */
    @Test
    void wellFormedBytesAreTheRecordsOwnNotACopy() {
        byte[] ascii = "40000a 1e8480\n".getBytes(StandardCharsets.US_ASCII);
        byte[] utf8 = "x \u00e9 \u20ac \ud83d\ude00\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new DebuggerRecord.ScriptOutput(1, 2, 3, 0, ascii, 4, 5).utf8()).isSameAs(ascii);
        assertThat(new DebuggerRecord.ScriptOutput(1, 2, 3, 0, utf8, 4, 5).utf8()).isSameAs(utf8);
    }

    @Test
    void textGivenAsAStringIsItsUtf8() {
        var record = new DebuggerRecord.ScriptOutput(1, 2, 3, 0, "lone \ud800 x\n");
        assertThat(record.utf8()).isEqualTo("lone ? x\n".getBytes(StandardCharsets.UTF_8)); // as getBytes writes it
        assertThat(record.toString()).contains("text=lone ? x");
    }
}
