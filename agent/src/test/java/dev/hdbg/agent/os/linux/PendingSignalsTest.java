package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link PendingSignals}: standard signals merge, real-time ones queue in order, and the set follows both. */
class PendingSignalsTest {
    private final PendingSignals pending = new PendingSignals();

    @Test
    void aSecondStandardSignalMergesWithTheFirst() {
        pending.add(SignalInfo.sentBy(10, SignalInfo.SI_USER, 7, 0));
        pending.add(SignalInfo.sentBy(10, SignalInfo.SI_USER, 8, 0));

        assertThat(pending.set()).isEqualTo(Signals.bit(10));
        assertThat(pending.take(10)).as("the first one's siginfo").isEqualTo(SignalInfo.sentBy(10, SignalInfo.SI_USER, 7, 0));
        assertThat(pending.take(10)).isNull();
        assertThat(pending.set()).isZero();
    }

    @Test
    void realTimeSignalsQueueInOrderAndStayInTheSetUntilTheLastIsTaken() {
        pending.add(SignalInfo.sentBy(34, SignalInfo.SI_USER, 1, 0));
        pending.add(SignalInfo.sentBy(40, SignalInfo.SI_USER, 2, 0));
        pending.add(SignalInfo.sentBy(34, SignalInfo.SI_USER, 3, 0));

        assertThat(pending.set()).isEqualTo(Signals.bit(34) | Signals.bit(40));
        assertThat(pending.take(34)).isEqualTo(SignalInfo.sentBy(34, SignalInfo.SI_USER, 1, 0));
        assertThat(pending.set()).as("one SIG34 still queued").isEqualTo(Signals.bit(34) | Signals.bit(40));
        assertThat(pending.take(34)).isEqualTo(SignalInfo.sentBy(34, SignalInfo.SI_USER, 3, 0));
        assertThat(pending.set()).isEqualTo(Signals.bit(40));
        pending.discard(40);
        assertThat(pending.set()).isZero();
        assertThat(pending.take(40)).isNull();
    }

    @Test
    void aTimersOverrunReplacesThePendingSiginfo() {
        SignalInfo first = SignalInfo.timer(14, 1, 0, 0);
        pending.add(first);
        pending.replace(first.withOverrun(2));

        assertThat(pending.standard(14).overrun()).isEqualTo(2);
        assertThat(pending.take(14).overrun()).isEqualTo(2);
        assertThat(pending.set()).isZero();
    }
}
