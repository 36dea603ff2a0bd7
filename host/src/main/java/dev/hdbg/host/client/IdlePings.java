package dev.hdbg.host.client;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Liveness: anything read from the agent is a sign of life; with nothing read for a while (the pipeline's
 * IdleStateHandler says so) the host pings, and once nothing has come for {@code deadAfter}, and a ping has gone
 * unanswered for at least half of it, it takes the connection as dead and closes it. A dropped network sends no FIN,
 * so without this a host would wait for its agent forever.
 *
 * <p>Only the silence after a ping counts against the agent. A batch thread drives its connection only while it waits
 * ({@link CallerDrivenLoop}): while it computes, nothing is read and no ping goes out, and on a loaded machine that
 * took 2-3.5 s between a batch host's handshake and its first command's wait. Judged by the time since the last read
 * alone, its first idle check after that took the agent, which had been asked nothing, for dead (NetworkDropIT's
 * second host said "no answer from the agent for 2.1 s" and exited with the link up). Now that check pings, and the
 * agent has half of {@code deadAfter} to answer.
 */
final class IdlePings extends ChannelInboundHandlerAdapter {
    private final Duration deadAfter;
    private final ReplyCorrelator replies;
    private final ConnectionEnd end;
    private final LongSupplier nanoTime;
    private volatile boolean pings;
    /** When something was last read from the agent; touched on the event loop. */
    private long lastReadNanos;
    /** Whether a ping went out since that read, and when the first did; touched on the event loop. */
    private boolean pinged;
    private long firstPingNanos;

    IdlePings(Duration deadAfter, ReplyCorrelator replies, ConnectionEnd end) {
        this(deadAfter, replies, end, System::nanoTime);
    }

    /** With the clock given, so a test can say how much time passed. */
    IdlePings(Duration deadAfter, ReplyCorrelator replies, ConnectionEnd end, LongSupplier nanoTime) {
        this.deadAfter = deadAfter;
        this.replies = replies;
        this.end = end;
        this.nanoTime = nanoTime;
        this.lastReadNanos = nanoTime.getAsLong();
    }

    /** The agent answers pings (protocol 1.5): ping while idle and judge its silence. */
    void pingWhileIdle() {
        pings = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        lastReadNanos = nanoTime.getAsLong();
        pinged = false;
        ctx.fireChannelRead(message);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent) || !pings) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        long now = nanoTime.getAsLong();
        long silentMillis = (now - lastReadNanos) / 1_000_000;
        if (pinged && silentMillis >= deadAfter.toMillis() && (now - firstPingNanos) * 2 >= deadAfter.toNanos()) {
            end.set("no answer from the agent at " + AgentAddress.of(ctx.channel().remoteAddress()) + " for "
                    + seconds(silentMillis) + " s: the network or the agent is down; "
                    + "connect again (.connect HOST:PORT, or hdbg --resume FILE) once it is back");
            ctx.close();
            return;
        }
        if (!pinged) {
            pinged = true;
            firstPingNanos = now;
        }
        replies.call(ctx.channel(), Envelope.newBuilder().setPingRequest(PingRequest.getDefaultInstance()));
    }

    /** Whole seconds as the user set them (20), tenths below ten (0.8: a test's short timeout said "0 s"). */
    private static String seconds(long millis) {
        return millis >= 10_000 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
