package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RecordsAck;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The agent's records to the listeners, in order, on one listener thread (never on the event loop, so a slow listener
 * cannot stall replies), then acknowledged; and, after every record received, the disconnect notice. On a connection
 * whose connecting thread drives its I/O, the "listener thread" is that thread between two runs of its loop
 * ({@link DrivenDeliveries}), and the acknowledgements go out with its next flush.
 *
 * <p>Records that arrive before the first listener is added wait for it, so nothing sent right after the handshake is
 * lost. Once the listeners have seen a batch, it is acknowledged (when the agent keeps records until then); records at
 * or below {@link #skipThrough} — processed on an earlier connection to the same agent run — are not shown again.
 */
final class RecordDelivery extends ChannelInboundHandlerAdapter {
    private final List<Consumer<DebuggerRecord>> recordListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disconnectListeners = new CopyOnWriteArrayList<>();
    /** Runs deliveries, listener changes and disconnect notices one after another, in the order they came. */
    private final ExecutorService listenerThread;
    private final ConnectionEnd end;
    /** Touched on the listener thread only. */
    private final List<Batch> backlog = new ArrayList<>();
    private volatile Channel acknowledgeTo;
    private volatile long skipThrough;
    private volatile long lastSeq;
    /** A listener threw: nothing more is delivered or acknowledged on this connection. */
    private volatile boolean listenerFailed;
    /** The host is closing ({@link #endDelivery}): batches read from now on are neither shown nor acknowledged. */
    private volatile boolean ended;
    private volatile Channel connection;

    RecordDelivery(ExecutorService listenerThread, ConnectionEnd end) {
        this.listenerThread = listenerThread;
        this.end = end;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof RecordBatchDecoder.RecordsRead read) {
            listenerThread.execute(() -> deliver(new Batch(read.records(), null)));
            return;
        }
        if (message instanceof Envelope envelope && envelope.hasRecordBatch()) {
            List<Record> records = envelope.getRecordBatch().getRecordsList();
            listenerThread.execute(() -> deliver(decode(records)));
            return;
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason = end.closed();
        // After every record already received: listeners see the disconnect last.
        listenerThread.execute(() -> disconnectListeners.forEach(l -> l.accept(reason)));
        ctx.fireChannelInactive();
    }

    /**
     * A batch's records, decoded as far as they could be: {@code malformed} says why the record after them could not
     * be read (null when every one was).
     */
    private record Batch(List<DebuggerRecord> records, String malformed) {
    }

    /** On the listener thread: the records of a batch parsed by the protobuf decoder, up to one that is malformed. */
    private static Batch decode(List<Record> records) {
        List<DebuggerRecord> decoded = new ArrayList<>(records.size());
        for (Record r : records) {
            try {
                decoded.add(RecordCodec.decode(r));
            } catch (RuntimeException e) {
                return new Batch(decoded, "the agent sent record " + r.getSeq() + " in a form this host cannot read ("
                        + e.getMessage() + "): are the agent and the host the same hdbg version? Disconnected");
            }
        }
        return new Batch(decoded, null);
    }

    /** On the listener thread: to the listeners in order, or held until there is one; then acknowledged. */
    private void deliver(Batch batch) {
        if (listenerFailed || ended) {
            return; // not acknowledged either: the agent keeps these records for the next host
        }
        if (recordListeners.isEmpty()) {
            backlog.add(batch);
            return;
        }
        long through = 0;
        // Listeners are added on this thread only, between batches: one array for the batch, not a lambda and a walk
        // of the list a record (docs/benchmarks.md, "Records without objects, wave 12").
        Object[] listeners = recordListeners.toArray();
        for (DebuggerRecord record : batch.records()) {
            if (ended) {
                return; // the client closed meanwhile (a listener closed it, or close gave up waiting): see endDelivery
            }
            // A lost record stands for its whole range: acknowledged through its last, or the agent keeps the rest of
            // the range for the next host (AcknowledgementLedger keeps what an acknowledgement ends inside).
            through = record instanceof DebuggerRecord.Lost lost ? lost.lastSeq() : record.seq();
            if (record.seq() <= skipThrough || record.seq() <= lastSeq) {
                continue; // processed on an earlier connection, or already seen on this one (a step's stop, since 1.15)
            }
            try {
                for (Object listener : listeners) {
                    accept(listener, record);
                }
            } catch (RuntimeException e) {
                // Acknowledging later records would acknowledge this one too: stop, so the agent keeps it.
                stopDelivering(null, "a record listener failed at record " + record.seq() + " (" + e.getMessage()
                        + "); the agent keeps the records from there on for the next connection");
                return;
            }
            lastSeq = through;
        }
        for (Consumer<DebuggerRecord> listener : recordListeners) {
            if (listener instanceof RecordListener batched) {
                try {
                    batched.batchDelivered();
                } catch (RuntimeException e) {
                    stopDelivering(null, "a record listener failed after record " + through + " (" + e.getMessage()
                            + "); the agent keeps the records from there on for the next connection");
                    return;
                }
            }
        }
        if (batch.malformed() != null) {
            // Nothing after it can be acknowledged either: the agent keeps the records.
            stopDelivering(AgentError.Kind.MALFORMED, batch.malformed());
            return;
        }
        Channel channel = acknowledgeTo;
        if (channel != null && through > 0) {
            Envelope ack = Envelope.newBuilder().setRecordsAck(RecordsAck.newBuilder().setThroughSeq(through)).build();
            if (listenerThread instanceof DrivenDeliveries driving) {
                // With the next request, in its writev: the agent reads both at once (acknowledgements only free its
                // memory, nothing waits for them), or before the driving thread blocks in its loop.
                driving.writeLater(channel, ack);
            } else {
                channel.writeAndFlush(ack);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void accept(Object listener, DebuggerRecord record) {
        ((Consumer<DebuggerRecord>) listener).accept(record);
    }

    /** Delivers and acknowledges nothing more, and drops the connection for {@code reason} (of {@code kind}, if given). */
    private void stopDelivering(AgentError.Kind kind, String reason) {
        listenerFailed = true;
        if (kind != null) {
            end.set(kind, reason);
        } else {
            end.set(reason);
        }
        Channel open = connection;
        if (open != null) {
            open.close();
        }
    }

    /**
     * Adds the listener on the listener thread, where deliveries run: a batch that arrived before is in the backlog
     * handed over first, and one that arrives after is delivered after it, never overtaking the backlog.
     */
    void addRecordListener(Consumer<DebuggerRecord> listener) {
        listenerThread.execute(() -> {
            recordListeners.add(listener);
            if (!backlog.isEmpty()) {
                List<Batch> held = List.copyOf(backlog);
                backlog.clear();
                held.forEach(this::deliver);
            }
        });
    }

    /** Acknowledge processed records on {@code channel} (the agent said it keeps them until then). */
    void acknowledgeOn(Channel channel) {
        acknowledgeTo = channel;
    }

    /** Records through {@code seq} were processed on an earlier connection to this agent run. */
    void skipThrough(long seq) {
        skipThrough = seq;
        lastSeq = Math.max(lastSeq, seq);
    }

    /** The last record the listeners saw (or an earlier connection did), 0 before any. */
    long lastSeq() {
        return lastSeq;
    }

    void onDisconnect(Consumer<String> listener) {
        disconnectListeners.add(listener);
    }

    /** Lets the listener thread finish what it was handed, and so acknowledge it (the tests wait with it). */
    void finishDelivery(long timeoutMillis) {
        runAfterWhatWasHanded(() -> { }, timeoutMillis);
    }

    /**
     * {@link #finishDelivery}, then no more: what the listener thread was handed is shown and acknowledged, and
     * batches read after it are neither shown nor acknowledged, so they stay with the agent for the next host. A
     * closing host calls this before its Detach. Showing records read while the Detach was on its way repeated them:
     * their acknowledgements followed the Detach, after which the agent closes the connection and reads nothing more,
     * so it sent them again to the next host (ReconnectIT saw a new host start at 1 after the last one had shown
     * 1 to 204). On the listener thread itself (a listener closing the client) it cannot wait, and only stops.
     */
    void endDelivery(long timeoutMillis, boolean onListenerThread) {
        if (!onListenerThread) {
            runAfterWhatWasHanded(() -> ended = true, timeoutMillis);
        }
        ended = true; // also when a listener is still busy after the timeout: deliver checks before each record
        if (listenerThread instanceof DrivenDeliveries driving) {
            // The acknowledgements waiting for a next request: an agent without Detach (before 1.5) sees no other flush
            // before the close, which drops what is unflushed, and would show those records again to the next host.
            driving.flushPending();
        }
    }

    private void runAfterWhatWasHanded(Runnable task, long timeoutMillis) {
        try {
            // A CompletableFuture: the listener thread completing it wakes a batch thread that drives its I/O while it
            // waits (CallerDrivenLoop), and a listener waiting for a reply meanwhile is answered.
            CompletableFuture<Void> done = CompletableFuture.runAsync(task, listenerThread);
            CallerDrivenLoop.await(done, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // A listener still busy after the timeout: its records stay unacknowledged, and so are not lost.
        }
    }

    /** Whether the current thread runs the listeners now: a listener closing the client cannot wait for itself. */
    boolean onListenerThread() {
        return listenerThread instanceof DrivenDeliveries driving ? driving.draining()
                : Thread.currentThread().getName().equals(ClientHandler.LISTENER_THREAD);
    }

    void shutdown() {
        listenerThread.shutdown();
    }
}
