package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.EventType;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ExitReasonTest {

    @Test
    void everyEventTypeIsRaisedByExactlyOneExit() {
        for (EventType type : EventType.values()) {
            assertThat(ExitReason.of(type).eventType()).as(type.name()).contains(type);
        }
    }

    @Test
    void everyExitButTheBreakpointRaisesAnEventTypeOfItsOwn() {
        EnumSet<EventType> raised = EnumSet.noneOf(EventType.class);
        for (ExitReason reason : ExitReason.values()) {
            if (reason == ExitReason.BREAKPOINT) {
                assertThat(reason.eventType()).isEmpty();
            } else {
                assertThat(reason.eventType()).as(reason.name()).isPresent();
                assertThat(raised.add(reason.eventType().orElseThrow())).as(reason.name() + " repeats a type").isTrue();
            }
        }
        assertThat(raised).containsExactlyInAnyOrderElementsOf(Arrays.asList(EventType.values()));
    }
}
