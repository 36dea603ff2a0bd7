package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A drop-oldest store merges records a host was sent but has not acknowledged into a lost record; an acknowledgement
 * that ends inside that range must leave the rest of it for the next host (ReconnectIT lost 1452 to 1589 silently).
 */
class AcknowledgementLedgerTest {
    private static DebuggerRecord output(long seq) {
        return new DebuggerRecord.Notice(seq, "record " + seq);
    }

    @Test
    void anAcknowledgementEndingInsideALostRangeKeepsTheLostRecordsAfterIt() {
        AcknowledgementLedger ledger = new AcknowledgementLedger();
        // Records 10 to 20 were sent; the drop policy then merged 10 to 18 into one lost record.
        ledger.keep(new DebuggerRecord.Lost(10, 10, 18, 9));
        ledger.keep(output(19));
        ledger.keep(output(20));
        List<DebuggerRecord> done = new ArrayList<>();

        ledger.acknowledge(12, done::add); // the host had processed 10 to 12 before they were merged

        assertThat(done).isEmpty();
        assertThat(ledger.records()).containsExactly(new DebuggerRecord.Lost(13, 13, 18, 6), output(19), output(20));
        ArrayDeque<DebuggerRecord> nextHost = new ArrayDeque<>();
        ledger.returnAll(nextHost);
        assertThat(nextHost.peekFirst().seq()).as("the next host learns of the loss from 13 on").isEqualTo(13);
    }

    @Test
    void anAcknowledgementThroughTheEndOfALostRangeIsDoneWithIt() {
        AcknowledgementLedger ledger = new AcknowledgementLedger();
        ledger.keep(new DebuggerRecord.Lost(10, 10, 18, 9));
        ledger.keep(output(19));
        List<DebuggerRecord> done = new ArrayList<>();

        ledger.acknowledge(19, done::add);

        assertThat(done).containsExactly(new DebuggerRecord.Lost(10, 10, 18, 9), output(19));
        assertThat(ledger.size()).isZero();
    }

    @Test
    void aLostRangeKeptAfterAnAcknowledgementInsideItKeepsOnlyItsUnacknowledgedPart() {
        AcknowledgementLedger ledger = new AcknowledgementLedger();
        ledger.acknowledge(14, r -> { });

        assertThat(ledger.keep(new DebuggerRecord.Lost(10, 10, 18, 9))).isTrue();
        assertThat(ledger.keep(output(12))).isFalse();

        assertThat(ledger.records()).containsExactly(new DebuggerRecord.Lost(15, 15, 18, 4));
    }
}
