package dev.hdbg.common.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSizesTest {
    @Test
    void payloadsCountByTheirBytesAndSmallRecordsByAFlatCost() {
        long small = RecordSizes.estimate(new DebuggerRecord.Lost(1, 1, 2, 2));
        long buffer = RecordSizes.estimate(new DebuggerRecord.Buffer(1, 1, 1, 0, new byte[1 << 20]));
        long log = RecordSizes.estimate(new DebuggerRecord.Log(1, 1, 1, 0, List.of(
                DebuggerRecord.LogValue.ofBytes("[rsp]", new byte[4096]), DebuggerRecord.LogValue.ofNumber("rax", 1))));

        assertThat(small).isEqualTo(RecordSizes.BASE);
        assertThat(buffer).isBetween(1L << 20, (1L << 20) + 256);
        assertThat(log).isGreaterThan(4096 + 2 * 48L).isLessThan(4096 + 512L);
    }
}
