package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The agent's limits as options: each reaching the host must fit what the wire carries. */
class LimitsTest {
    @Test
    void aRequestedBufferCannotBeAllowedPastWhatOneRecordCarries() {
        Limits d = Limits.DEFAULT;
        assertThat(new Limits(d.maxEvents(), d.maxActionsPerEvent(), d.maxCodeBytes(), 2 * 1024 * 1024, d.maxLogBytes(),
                d.codeBudget(), d.maxRootBytes()).maxBufferBytes()).isEqualTo(2 * 1024 * 1024);
        assertThatThrownBy(() -> new Limits(d.maxEvents(), d.maxActionsPerEvent(), d.maxCodeBytes(), 2 * 1024 * 1024 + 1,
                d.maxLogBytes(), d.codeBudget(), d.maxRootBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--max-buffer-bytes goes up to 2097152: a requested buffer reaches the host as one record, "
                        + "which must fit in a 4 MiB frame");
    }
}
