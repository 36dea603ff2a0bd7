package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.Envelope;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The host's side of one connection, as {@link NettyDebuggerClient} drives it: four handlers, one per concern, which
 * {@link ClientChannelInitializer} puts in the pipeline — {@link IdlePings} (liveness), {@link ReplyCorrelator}
 * (replies to calls), {@link RecordDelivery} (records to the listeners, acknowledgements) and
 * {@link ConnectionFailures} (why the connection failed) — and what they share, {@link ConnectionEnd} (why it ended).
 */
final class ClientHandler {
    /** The name of the thread the record and disconnect listeners run on. */
    static final String LISTENER_THREAD = "hdbg-records";

    private final ConnectionEnd end = new ConnectionEnd();
    private final AwakeAfterReply awake = new AwakeAfterReply();
    private final ReplyCorrelator replies = new ReplyCorrelator(end, awake);
    private final RecordDelivery records;
    private final IdlePings pings;
    private final ConnectionFailures failures = new ConnectionFailures(end);

    ClientHandler(Duration deadAfter) {
        this(deadAfter, Executors.newSingleThreadExecutor(Thread.ofPlatform().name(LISTENER_THREAD).daemon().factory()));
    }

    /**
     * With the single thread the listeners run on given, so a test can hold it; or the deliveries a thread that
     * drives the connection's I/O runs itself ({@link DrivenDeliveries}).
     */
    ClientHandler(Duration deadAfter, ExecutorService listenerThread) {
        this.records = new RecordDelivery(listenerThread, end);
        this.pings = new IdlePings(deadAfter, replies, end);
    }

    ClientHandler() {
        this(ConnectSettings.DEFAULT_DEAD_AFTER);
    }

    IdlePings pings() {
        return pings;
    }

    ReplyCorrelator replies() {
        return replies;
    }

    /** The select strategy of the connection's event loop, which stays awake for a moment after each reply. */
    AwakeAfterReply selectStrategy() {
        return awake;
    }

    RecordDelivery records() {
        return records;
    }

    ConnectionFailures failures() {
        return failures;
    }

    /** Sends {@code request} with the next request id; the future completes with its reply or fails with an {@link AgentError}. */
    CompletableFuture<Envelope> call(Channel channel, Envelope.Builder request) {
        return replies.call(channel, request);
    }

    /** The agent answers pings (protocol 1.5): ping while idle and judge its silence. */
    void pingWhileIdle() {
        pings.pingWhileIdle();
    }

    void addRecordListener(Consumer<DebuggerRecord> listener) {
        records.addRecordListener(listener);
    }

    /** Acknowledge processed records on {@code channel} (the agent said it keeps them until then). */
    void acknowledgeOn(Channel channel) {
        records.acknowledgeOn(channel);
    }

    /** Records through {@code seq} were processed on an earlier connection to this agent run. */
    void skipThrough(long seq) {
        records.skipThrough(seq);
    }

    /** The last record the listeners saw (or an earlier connection did), 0 before any. */
    long lastSeq() {
        return records.lastSeq();
    }

    void onDisconnect(Consumer<String> listener) {
        records.onDisconnect(listener);
    }

    /** Lets the listener thread finish what it was handed, and so acknowledge it (the tests wait with it). */
    void finishDelivery(long timeoutMillis) {
        records.finishDelivery(timeoutMillis);
    }

    /**
     * Before a closing host's Detach: the listeners finish what was handed to them, which is acknowledged, and see
     * nothing read afterwards, which the agent keeps for the next host. Called on the listener thread (a listener
     * closing the client), it only stops.
     */
    void endDelivery(long timeoutMillis) {
        records.endDelivery(timeoutMillis, records.onListenerThread());
    }

    void shutdown() {
        records.shutdown();
    }
}
