package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.RecordQueue;
import dev.hdbg.agent.debugger.RecordSink;
import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached host: controlling (records kept until it acknowledges them, one at a time through the
 * {@link SessionGate}) or observing (a copy of the records, nothing it may change). Ends once, whether the host
 * detached politely or its connection closed.
 */
final class HostSession {
    private static final Logger LOG = LoggerFactory.getLogger(HostSession.class);

    private final Channel channel;
    private final RecordQueue records;
    private final SessionGate gate;
    private final ChannelRecordSink sink;
    private final ObserverFeed feed;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable onControlEnd;
    /** The host takes a step's stop with the step's reply (it announced "step.break-record" and acknowledges). */
    private volatile boolean stopsInReplies;

    private HostSession(Channel channel, RecordQueue records, SessionGate gate, boolean observing, Runnable onControlEnd) {
        this.channel = channel;
        this.records = records;
        this.gate = gate;
        this.sink = observing ? null : new ChannelRecordSink(channel);
        this.feed = observing ? new ObserverFeed(channel) : null;
        this.onControlEnd = onControlEnd;
        channel.closeFuture().addListener(f -> end());
    }

    /** A host that passed the {@link SessionGate}; {@link #start} sends it records. */
    static HostSession controlling(Channel channel, RecordQueue records, SessionGate gate, Runnable onEnd) {
        return new HostSession(channel, records, gate, false, onEnd);
    }

    static HostSession observing(Channel channel, RecordQueue records) {
        return new HostSession(channel, records, null, true, () -> { });
    }

    boolean observing() {
        return feed != null;
    }

    /**
     * After the Hello reply: records flow from here on.
     *
     * @param stopsInReplies the host takes a step's stop with the step's reply (since 1.15); only with acknowledges
     */
    void start(boolean acknowledges, boolean stopsInReplies) {
        this.stopsInReplies = acknowledges && stopsInReplies && !observing();
        if (observing()) {
            records.addObserver(feed);
        } else {
            records.attach(sink, acknowledges);
        }
    }

    /** This host's records, when it takes a step's stop with the step's reply (since 1.15); else null. */
    RecordSink stopReplySink() {
        return stopsInReplies ? sink : null;
    }

    /** The thread that writes to this host: a reply completed there is written after what was handed to it before. */
    Executor writer() {
        return channel.eventLoop();
    }

    /** The host processed every record through {@code seq}; an observer's acknowledgements mean nothing. */
    void acknowledge(long seq) {
        if (!observing()) {
            records.acknowledge(seq);
        }
    }

    /** Stops sending to this host and lets another control the agent; idempotent. */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (observing()) {
            records.removeObserver(feed);
            feed.close();
            LOG.info("observer {} detached", channel.remoteAddress());
            return;
        }
        records.detach(sink);
        LOG.info("host {} detached", channel.remoteAddress());
        if (gate.release(channel)) {
            onControlEnd.run(); // not when another host took over: the agent's service goes on
        }
    }
}
