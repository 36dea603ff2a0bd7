package dev.hdbg.host.client;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;

/**
 * Liveness: anything read from the agent is a sign of life; with nothing read for a while (the pipeline's
 * IdleStateHandler says so) the host pings, and once nothing has come for {@code deadAfter} it takes the connection as
 * dead and closes it. A dropped network sends no FIN, so without this a host would wait for its agent forever.
 */
final class IdlePings extends ChannelInboundHandlerAdapter {
    private final Duration deadAfter;
    private final ReplyCorrelator replies;
    private final ConnectionEnd end;
    private volatile boolean pings;
    /** When something was last read from the agent; touched on the event loop. */
    private long lastReadNanos = System.nanoTime();

    IdlePings(Duration deadAfter, ReplyCorrelator replies, ConnectionEnd end) {
        this.deadAfter = deadAfter;
        this.replies = replies;
        this.end = end;
    }

    /** The agent answers pings (protocol 1.5): ping while idle and judge its silence. */
    void pingWhileIdle() {
        pings = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(message);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent) || !pings) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        long silentMillis = (System.nanoTime() - lastReadNanos) / 1_000_000;
        if (silentMillis >= deadAfter.toMillis()) {
            end.set("no answer from the agent at " + AgentAddress.of(ctx.channel().remoteAddress()) + " for "
                    + seconds(silentMillis) + " s: the network or the agent is down; "
                    + "connect again (.connect HOST:PORT, or hdbg --resume FILE) once it is back");
            ctx.close();
            return;
        }
        replies.call(ctx.channel(), Envelope.newBuilder().setPingRequest(PingRequest.getDefaultInstance()));
    }

    /** Whole seconds as the user set them (20), tenths below ten (0.8: a test's short timeout said "0 s"). */
    private static String seconds(long millis) {
        return millis >= 10_000 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
