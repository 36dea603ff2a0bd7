package dev.hdbg.agent.server;

import dev.hdbg.proto.v1.DetachReply;
import dev.hdbg.proto.v1.Envelope;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each request to its handler ({@link RequestRoutes}) and writes the reply echoing the request id, fitted to a
 * frame; every failure goes through {@link ErrorMapping}. Takes the host's acknowledgements, and answers a Detach
 * only after every request sent before it. Never blocks the event loop: handlers return futures completed on the
 * execution thread.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<Envelope> {
    private final RequestRoutes routes;
    private final HostSession session;
    /** Replies still being prepared (on the execution thread), so a Detach is answered after them. */
    private final Set<CompletableFuture<Void>> unanswered = ConcurrentHashMap.newKeySet();

    RequestDispatcher(RequestRoutes routes, HostSession session) {
        this.routes = routes;
        this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope request) {
        if (request.hasRecordsAck()) {
            session.acknowledge(request.getRecordsAck().getThroughSeq()); // a notice: no reply
            return;
        }
        long id = request.getRequestId();
        if (request.hasDetachRequest()) {
            detach(ctx, id);
            return;
        }
        CompletableFuture<Envelope.Builder> reply;
        try {
            reply = routes.route(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> written = reply.handle((builder, failure) -> {
            Envelope.Builder out = failure == null ? builder : Envelope.newBuilder().setErrorReply(ErrorMapping.toReply(failure));
            ctx.writeAndFlush(Replies.fitted(out.setRequestId(id).build()));
            return null;
        });
        if (!written.isDone()) {
            unanswered.add(written);
            written.whenComplete((v, f) -> unanswered.remove(written));
        }
    }

    private void detach(ChannelHandlerContext ctx, long id) {
        // Released before the reply: a host started right after this one ends finds the agent free.
        session.end();
        // Every request sent before the Detach is answered first; then the reply, then the close. Replies prepared
        // on the execution thread reach the channel as tasks of the event loop: the Detach reply queues behind them.
        CompletableFuture.allOf(unanswered.toArray(CompletableFuture[]::new)).whenComplete((v, f) -> ctx.executor()
                .execute(() -> ctx.writeAndFlush(Envelope.newBuilder().setRequestId(id)
                        .setDetachReply(DetachReply.getDefaultInstance()).build()).addListener(ChannelFutureListener.CLOSE)));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Replies.failed(ctx, cause);
    }
}
