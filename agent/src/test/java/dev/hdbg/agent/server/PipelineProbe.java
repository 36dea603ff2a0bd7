package dev.hdbg.agent.server;

import dev.hdbg.proto.v1.Envelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches one connection of the agent's pipeline from inside, between the protobuf codec and the
 * handshake/dispatch handler: which requests reached the handler and so are owed a reply, which
 * envelopes the agent wrote, and — from its {@link #tail()} behind the handler — anything that
 * escaped the handler unhandled. Events arrive on the event loop; the test thread reads.
 */
final class PipelineProbe extends ChannelDuplexHandler {
    /** A request the handler received, and whether it is owed a reply (acknowledgements are not). */
    record Request(long id, Envelope.BodyCase body, boolean owedReply) {
    }

    private final List<Request> requests = new ArrayList<>();
    private final List<Envelope> written = new ArrayList<>();
    private final List<Object> escaped = new ArrayList<>();
    private volatile Channel channel;
    private boolean attached;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope envelope) {
            boolean dispatching = ctx.pipeline().get("dispatcher") != null;
            // After the handshake an acknowledgement is a notice; before it, everything gets an answer.
            boolean owed = !(dispatching && envelope.hasRecordsAck());
            synchronized (this) {
                requests.add(new Request(envelope.getRequestId(), envelope.getBodyCase(), owed));
            }
            ctx.fireChannelRead(msg);
            if (!dispatching && ctx.pipeline().get("dispatcher") != null) {
                synchronized (this) {
                    attached = true;
                }
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Envelope envelope) {
            synchronized (this) {
                written.add(envelope);
            }
        }
        ctx.write(msg, promise);
    }

    /** The handler placed behind the agent's last handler: whatever reaches it escaped. */
    ChannelInboundHandlerAdapter tail() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                synchronized (PipelineProbe.this) {
                    escaped.add(msg.getClass().getName() + ": " + msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                synchronized (PipelineProbe.this) {
                    escaped.add(cause);
                }
            }
        };
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Envelopes the agent wrote, records included. */
    synchronized List<Envelope> written() {
        return List.copyOf(written);
    }

    synchronized List<Object> escaped() {
        return List.copyOf(escaped);
    }

    /** Whether a Hello was accepted on this connection. */
    synchronized boolean attached() {
        return attached;
    }

    /** Requests owed a reply that has not been written yet. */
    synchronized int unanswered() {
        long owed = requests.stream().filter(Request::owedReply).count();
        long replies = written.stream().filter(e -> !e.hasRecordBatch()).count();
        return (int) Math.max(0, owed - replies);
    }

    boolean closed() {
        Channel c = channel;
        return c != null && !c.isOpen();
    }
}
