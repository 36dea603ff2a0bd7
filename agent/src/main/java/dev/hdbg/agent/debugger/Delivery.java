package dev.hdbg.agent.debugger;

import java.time.Duration;

/**
 * How records travel to the host (spec: accumulated messages go out "when the queue has multiple
 * messages").
 *
 * @param capacity  records held before the emulated CPU waits for the host (back-pressure)
 * @param batchSize records that make a batch leave at once
 * @param maxDelay  the longest a non-immediate record waits for its batch
 * @param onFull    what happens when {@code capacity} records, or {@code byteBudget} bytes of them, are held
 * @param byteBudget about how much memory the held records may take, whatever their number
 */
public record Delivery(int capacity, int batchSize, Duration maxDelay, OnFull onFull, long byteBudget) {
    public static final long DEFAULT_BYTE_BUDGET = 256L * 1024 * 1024;
    public static final Delivery DEFAULT = new Delivery(65536, 256, Duration.ofMillis(20));

    public Delivery(int capacity, int batchSize, Duration maxDelay) {
        this(capacity, batchSize, maxDelay, OnFull.BLOCK);
    }

    public Delivery(int capacity, int batchSize, Duration maxDelay, OnFull onFull) {
        this(capacity, batchSize, maxDelay, onFull, DEFAULT_BYTE_BUDGET);
    }

    public Delivery {
        if (byteBudget < 1) {
            throw new IllegalArgumentException("the record store's byte budget must be positive");
        }
        if (onFull == OnFull.DROP_OLDEST && capacity < batchSize + RecordQueue.DROPPING_MARGIN) {
            throw new IllegalArgumentException("--on-full drop-oldest needs a queue capacity of at least the batch size ("
                    + batchSize + ") + " + RecordQueue.DROPPING_MARGIN);
        }
        if (batchSize < 1 || capacity < batchSize) {
            throw new IllegalArgumentException("need 1 <= batch size (" + batchSize + ") <= queue capacity (" + capacity + ")");
        }
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("the batch delay must be positive");
        }
    }

    public RecordQueue newQueue() {
        return new RecordQueue(capacity, byteBudget, batchSize, maxDelay, onFull);
    }
}
