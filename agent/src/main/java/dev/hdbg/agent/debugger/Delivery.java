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
    /**
     * Everything done once a batch (the sender's wake-up and frame, the event loop's write, the host's read,
     * delivery, screen hand-over and acknowledgement, and the agent's read of that acknowledgement) was done 8,192
     * times in a 2 M record run with batches of 256, often enough for both JVMs' C2 to compile Netty's write and
     * decode paths during the run; with batches of 4,096 the two processes took 0.6 to 1.0 s less CPU for such a run
     * (docs/benchmarks.md, "Records, wave 14"). A record still waits at most the delay for its batch; immediate
     * records leave at once.
     */
    public static final int DEFAULT_BATCH_SIZE = 4096;
    public static final Delivery DEFAULT = new Delivery(65536, DEFAULT_BATCH_SIZE, Duration.ofMillis(20));

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

    /**
     * The batch size when none is given: {@link #DEFAULT_BATCH_SIZE}, or less when the capacity is smaller (leaving
     * {@code drop-oldest} its margin), so that a small {@code --queue-capacity} alone is still a valid choice.
     */
    public static int defaultBatchSize(int capacity, OnFull onFull) {
        int room = onFull == OnFull.DROP_OLDEST ? capacity - RecordQueue.DROPPING_MARGIN : capacity;
        return Math.max(1, Math.min(DEFAULT_BATCH_SIZE, room));
    }

    public RecordQueue newQueue() {
        return new RecordQueue(capacity, byteBudget, batchSize, maxDelay, onFull);
    }
}
