package dev.hdbg.host.client;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replies to the host's calls, matched by request id: each completes its call's future, an error reply fails it.
 * A call made once the connection is ending fails at once, and the calls still waiting when it closes fail with why.
 * What answers no call (records, an error before the agent closes) goes on down the pipeline.
 */
final class ReplyCorrelator extends ChannelInboundHandlerAdapter {
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    private final ConnectionEnd end;
    private final AwakeAfterReply awake;
    /**
     * How far behind the replies the listener thread may be and still be told which stops came with one: gdb's stepi
     * through the bridge runs ahead of the record thread by hundreds of records while the JVM warms up.
     */
    private static final long REMEMBERED_STOPS = 1 << 16;
    /**
     * The sequence numbers of the stops that came with a step's reply (since 1.15) that no one has asked about yet.
     * All of them, not only the last: a listener behind the replies took an earlier step's stop for one that did not
     * come with a reply, and asked for the modules again (7,417 ListModules over gdb's stepi 5000 through the bridge).
     */
    private final ConcurrentSkipListSet<Long> stopsInReplies = new ConcurrentSkipListSet<>();

    ReplyCorrelator(ConnectionEnd end, AwakeAfterReply awake) {
        this.end = end;
        this.awake = awake;
    }

    /** Sends {@code request} with the next request id; the future completes with its reply. */
    CompletableFuture<Envelope> call(Channel channel, Envelope.Builder request) {
        CompletableFuture<Envelope> future = new CompletableFuture<>();
        if (end.ended()) {
            future.completeExceptionally(end.error());
            return future;
        }
        long id = nextRequestId.getAndIncrement();
        pending.put(id, future);
        channel.writeAndFlush(request.setRequestId(id).build()).addListener(f -> {
            if (!f.isSuccess()) {
                // A write fails when the connection is ending before the handlers hear why: Netty's SslHandler fails
                // the writes it holds, then fires the agent's alert. The call fails once the event loop has passed
                // that on, with the reason if one came.
                channel.eventLoop().execute(() -> {
                    if (pending.remove(id) != null) {
                        future.completeExceptionally(end.ended() ? end.error()
                                : new AgentError(AgentError.Kind.CONNECTION, "sending failed: " + f.cause()));
                    }
                });
            }
        });
        return future;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        CompletableFuture<Envelope> future = message instanceof Envelope envelope && !envelope.hasRecordBatch()
                ? pending.remove(envelope.getRequestId()) : null;
        if (future == null) {
            ctx.fireChannelRead(message);
            return;
        }
        Envelope reply = (Envelope) message;
        if (reply.hasStepReply() && reply.getStepReply().hasBreakRecord()) {
            // Since 1.15 a step's stop may come with its reply instead of a batch: it takes its place among the records
            // here, on the event loop, after every batch read before it, so the listeners see it (once) and it is
            // acknowledged as any other record; then the step's caller has it too.
            long seq = reply.getStepReply().getBreakRecord().getSeq();
            stopsInReplies.add(seq); // before the listeners can see it
            stopsInReplies.headSet(seq - REMEMBERED_STOPS).clear();
            ctx.fireChannelRead(Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                    .addRecords(reply.getStepReply().getBreakRecord())).build());
        }
        awake.replied(); // before the caller runs: its next request finds the loop awake
        if (reply.hasErrorReply()) {
            future.completeExceptionally(AgentError.of(reply.getErrorReply()));
        } else {
            future.complete(reply);
        }
    }

    /**
     * Whether the stop numbered {@code seq} came with a step's reply (since 1.15). Asked in the records' order: the
     * stops before {@code seq} are forgotten.
     */
    boolean cameWithStepReply(long seq) {
        stopsInReplies.headSet(seq).clear();
        return stopsInReplies.contains(seq);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end.closed();
        pending.values().forEach(f -> f.completeExceptionally(end.error()));
        pending.clear();
        ctx.fireChannelInactive();
    }
}
