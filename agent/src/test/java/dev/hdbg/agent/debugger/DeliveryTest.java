package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The batch size an agent takes when none is given. */
class DeliveryTest {
    @Test
    void theDefaultBatchSizeFitsAQueueCapacityGivenAlone() {
        assertThat(Delivery.defaultBatchSize(65_536, OnFull.BLOCK)).isEqualTo(Delivery.DEFAULT_BATCH_SIZE);
        assertThat(Delivery.defaultBatchSize(500, OnFull.BLOCK)).isEqualTo(500);
        assertThat(Delivery.defaultBatchSize(1, OnFull.BLOCK)).isEqualTo(1);
        for (int capacity : new int[] {5, 6, 500, 4_099, 4_100, 65_536}) {
            for (OnFull onFull : OnFull.values()) {
                int batch = Delivery.defaultBatchSize(capacity, onFull);
                // The constructor refuses a batch size that does not fit: each of these must be accepted.
                new Delivery(capacity, batch, Duration.ofMillis(20), onFull);
                assertThat(batch).isBetween(1, Delivery.DEFAULT_BATCH_SIZE);
            }
        }
    }
}
