package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingRequest;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RecordsAck;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Matches replies to requests by request id and hands records to the listeners, in order, on one
 * listener thread (never on the event loop, so a slow listener cannot stall replies).
 *
 * <p>Records that arrive before the first listener is added wait for it, so nothing sent right after the
 * handshake is lost. Once the listeners have seen a batch, it is acknowledged (when the agent keeps records
 * until then); records at or below {@link #skipThrough} — processed on an earlier connection to the same
 * agent run — are not shown again.
 */
@ChannelHandler.Sharable
final class ClientHandler extends SimpleChannelInboundHandler<Envelope> {
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<DebuggerRecord>> recordListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disconnectListeners = new CopyOnWriteArrayList<>();
    static final String LISTENER_THREAD = "hdbg-records";

    /** Runs deliveries, listener changes and disconnect notices one after another, in the order they came. */
    private final ExecutorService listenerThread;
    private volatile String closedReason;
    private volatile AgentError.Kind closedKind = AgentError.Kind.CONNECTION;
    /** Touched on the listener thread only. */
    private final List<Record> backlog = new ArrayList<>();
    private volatile Channel acknowledgeTo;
    private volatile long skipThrough;
    private volatile long lastSeq;
    /** A listener threw: nothing more is delivered or acknowledged on this connection. */
    private volatile boolean listenerFailed;
    private volatile Channel connection;
    private final Duration deadAfter;
    private volatile boolean pings;
    /** When something was last read from the agent; touched on the event loop. */
    private long lastReadNanos = System.nanoTime();

    ClientHandler(Duration deadAfter) {
        this(deadAfter, Executors.newSingleThreadExecutor(Thread.ofPlatform().name(LISTENER_THREAD).daemon().factory()));
    }

    /** With the single thread the listeners run on given, so a test can hold it. */
    ClientHandler(Duration deadAfter, ExecutorService listenerThread) {
        this.deadAfter = deadAfter;
        this.listenerThread = listenerThread;
    }

    ClientHandler() {
        this(ConnectSettings.DEFAULT_DEAD_AFTER);
    }

    CompletableFuture<Envelope> call(Channel channel, Envelope.Builder request) {
        CompletableFuture<Envelope> future = new CompletableFuture<>();
        if (closedReason != null) {
            future.completeExceptionally(new AgentError(closedKind, closedReason));
            return future;
        }
        long id = nextRequestId.getAndIncrement();
        pending.put(id, future);
        channel.writeAndFlush(request.setRequestId(id).build()).addListener(f -> {
            if (!f.isSuccess()) {
                pending.remove(id);
                future.completeExceptionally(new AgentError(AgentError.Kind.CONNECTION, "sending failed: " + f.cause()));
            }
        });
        return future;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        lastReadNanos = System.nanoTime();
        if (envelope.hasRecordBatch()) {
            List<Record> records = envelope.getRecordBatch().getRecordsList();
            listenerThread.execute(() -> deliver(records));
            return;
        }
        CompletableFuture<Envelope> future = pending.remove(envelope.getRequestId());
        if (future == null) {
            // An error answering no request comes before the agent closes (a malformed frame, clear text to a TLS agent).
            if (envelope.hasErrorReply()) {
                AgentError error = AgentError.of(envelope.getErrorReply());
                closedKind = error.kind();
                closedReason = error.getMessage();
            }
            return;
        }
        if (envelope.hasErrorReply()) {
            future.completeExceptionally(AgentError.of(envelope.getErrorReply()));
        } else {
            future.complete(envelope);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason = closedReason != null ? closedReason : "the agent closed the connection";
        closedReason = reason;
        AgentError.Kind kind = closedKind;
        pending.values().forEach(f -> f.completeExceptionally(new AgentError(kind, reason)));
        pending.clear();
        // After every record already received: listeners see the disconnect last.
        listenerThread.execute(() -> disconnectListeners.forEach(l -> l.accept(reason)));
    }

    /**
     * Nothing read for a while: ping, and once nothing has come back for {@code deadAfter}, take the connection as
     * dead. A dropped network sends no FIN, so without this a host would wait for its agent forever.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent) || !pings) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        long silentMillis = (System.nanoTime() - lastReadNanos) / 1_000_000;
        if (silentMillis >= deadAfter.toMillis()) {
            closedReason = "no answer from the agent at " + describe(ctx.channel().remoteAddress()) + " for "
                    + silentMillis / 1000 + " s: the network or the agent is down; "
                    + "connect again (.connect HOST:PORT, or hdbg --resume FILE) once it is back";
            ctx.close();
            return;
        }
        call(ctx.channel(), Envelope.newBuilder().setPingRequest(PingRequest.getDefaultInstance()));
    }

    /** HOST:PORT, as the user typed it for --connect, rather than InetSocketAddress's "name/address:port". */
    private static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
    }

    /** The agent answers pings (protocol 1.5): ping while idle and judge its silence. */
    void pingWhileIdle() {
        pings = true;
    }

    /**
     * The first failure is the reason (a TLS alert is often followed by a reset connection). A TLS failure after the
     * handshake, such as an agent refusing this host's certificate with an alert, is explained in the user's words.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closedReason == null) {
            Optional<AgentError> tls = TlsFailures.explain(cause, agent(ctx));
            if (tls.isEmpty() && cause instanceof DecoderException) {
                closedKind = AgentError.Kind.MALFORMED;
                closedReason = "the agent at " + agent(ctx) + " sent bytes that are not an hdbg frame ("
                        + cause.getMessage() + "): is something else listening there, or a different hdbg version?";
            } else {
                closedKind = tls.map(AgentError::kind).orElse(AgentError.Kind.CONNECTION);
                closedReason = tls.map(AgentError::getMessage).orElseGet(() -> "connection failed: " + cause.getMessage());
            }
        }
        ctx.close();
    }

    private static String agent(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getHostString() + ":" + a.getPort()
                : String.valueOf(ctx.channel().remoteAddress());
    }

    /** On the listener thread: to the listeners in order, or held until there is one; then acknowledged. */
    private void deliver(List<Record> records) {
        if (listenerFailed) {
            return;
        }
        if (recordListeners.isEmpty()) {
            backlog.addAll(records);
            return;
        }
        long through = 0;
        for (Record r : records) {
            DebuggerRecord record;
            try {
                record = RecordCodec.decode(r);
            } catch (RuntimeException e) {
                // Nothing after it can be acknowledged either: the agent keeps the records.
                stopDelivering(AgentError.Kind.MALFORMED, "the agent sent record " + r.getSeq() + " in a form this host "
                        + "cannot read (" + e.getMessage() + "): are the agent and the host the same hdbg version? Disconnected");
                return;
            }
            through = record.seq();
            if (record.seq() <= skipThrough) {
                continue;
            }
            try {
                recordListeners.forEach(l -> l.accept(record));
            } catch (RuntimeException e) {
                // Acknowledging later records would acknowledge this one too: stop, so the agent keeps it.
                stopDelivering(closedKind, "a record listener failed at record " + record.seq() + " (" + e.getMessage()
                        + "); the agent keeps the records from there on for the next connection");
                return;
            }
            lastSeq = record.seq();
        }
        Channel channel = acknowledgeTo;
        if (channel != null && through > 0) {
            channel.writeAndFlush(Envelope.newBuilder().setRecordsAck(RecordsAck.newBuilder().setThroughSeq(through)).build());
        }
    }

    /** Delivers and acknowledges nothing more, and drops the connection for {@code reason}. */
    private void stopDelivering(AgentError.Kind kind, String reason) {
        listenerFailed = true;
        closedKind = kind;
        closedReason = reason;
        Channel connection = this.connection;
        if (connection != null) {
            connection.close();
        }
    }

    /**
     * Adds the listener on the listener thread, where deliveries run: a batch that arrived before is in the
     * backlog handed over first, and one that arrives after is delivered after it. Adding it at once, with only
     * the backlog handed over later, let a batch whose delivery was still queued overtake the backlog; the
     * journal then skipped the backlog's records as older than the last one written, and they were acknowledged
     * without being kept — lost, as HostKilledIT saw now and then.
     */
    void addRecordListener(Consumer<DebuggerRecord> listener) {
        listenerThread.execute(() -> {
            recordListeners.add(listener);
            if (!backlog.isEmpty()) {
                List<Record> held = List.copyOf(backlog);
                backlog.clear();
                deliver(held);
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

    /**
     * Lets the listener thread finish what it was handed, so the acknowledgements of everything the listeners
     * saw are written before the connection closes; otherwise the agent would send those records again to the
     * next host.
     */
    void finishDelivery(long timeoutMillis) {
        try {
            listenerThread.submit(() -> { }).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            // A listener still busy after the timeout: its records stay unacknowledged, and so are not lost.
        }
    }

    void shutdown() {
        listenerThread.shutdown();
    }
}
