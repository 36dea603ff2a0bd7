package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.ActionType;
import org.junit.jupiter.api.Test;

/** Protocol 1.7: script actions and script-output records on the wire. */
class ScriptWireTest {
    @Test
    void aScriptOutputRecordSurvivesTheWire() {
        var record = new DebuggerRecord.ScriptOutput(42, 3, 7, 0, "rdi = 7\n");
        assertThat(RecordCodec.decode(RecordCodec.encode(record))).isEqualTo(record);
    }

    @Test
    void aScriptActionWithoutItsTextIsMalformed() {
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.ActionSpec.newBuilder()
                .setType(ActionType.ACTION_TYPE_RUN_SCRIPT).build()))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("a script action needs a script");
    }

    @Test
    void aScriptLargerThanTheLimitIsMalformed() {
        String huge = ".x = 1;".repeat(ActionSpec.Script.MAX_SOURCE_CHARS / 7 + 1);
        assertThatThrownBy(() -> EventCodec.decode(dev.hdbg.proto.v1.ActionSpec.newBuilder()
                .setType(ActionType.ACTION_TYPE_RUN_SCRIPT).setScript(huge).build()))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("at most 262144 are taken");
    }

    @Test
    void agentsOfThisVersionAnnounceScripts() {
        assertThat(Protocol.CAPABILITIES).contains(Protocol.SCRIPTS);
        assertThat(Protocol.MINOR).isGreaterThanOrEqualTo(6);
    }
}
