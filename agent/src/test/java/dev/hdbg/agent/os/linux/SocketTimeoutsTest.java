package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SO_RCVTIMEO's and SO_SNDTIMEO's timevals kept as Linux keeps them: jiffies of 4 ms, rounded up. */
class SocketTimeoutsTest {
    @Test
    void aTimeoutIsKeptInJiffiesRoundedUp() {
        assertThat(SocketTimeouts.micros(SocketTimeouts.jiffies(0, 1))).isEqualTo(4_000);
        assertThat(SocketTimeouts.micros(SocketTimeouts.jiffies(0, 4_001))).isEqualTo(8_000);
        assertThat(SocketTimeouts.micros(SocketTimeouts.jiffies(1, 500_000))).isEqualTo(1_500_000);
        assertThat(SocketTimeouts.jiffies(0, 0)).as("none: waits for ever").isZero();
        assertThat(SocketTimeouts.micros(SocketTimeouts.jiffies(-1, 0))).as("negative: no wait, read as 0").isZero();
        assertThat(SocketTimeouts.jiffies(Long.MAX_VALUE, 0)).as("for ever, as Linux's MAX_SCHEDULE_TIMEOUT").isZero();
    }

    @Test
    void microsecondsOutOfRangeAreEdom() {
        assertThatThrownBy(() -> SocketTimeouts.jiffies(0, 1_000_000))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EDOM));
        assertThatThrownBy(() -> SocketTimeouts.jiffies(2, -1))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EDOM));
    }
}
