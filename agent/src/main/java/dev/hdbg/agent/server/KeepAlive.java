package dev.hdbg.agent.server;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PingReply;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness of an attached host: answers its pings on the event loop, never queued behind the target, and takes a
 * host that pings while idle (protocol 1.5) but has gone silent for the host timeout as a dead link.
 */
final class KeepAlive extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

    /** The host pings while idle, so its silence means a dead link rather than a user thinking. */
    private final boolean hostPings;

    KeepAlive(boolean hostPings) {
        this.hostPings = hostPings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope request && request.hasPingRequest()) {
            ctx.writeAndFlush(Envelope.newBuilder().setRequestId(request.getRequestId())
                    .setPingReply(PingReply.getDefaultInstance()).build());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && hostPings) {
            // A dead link sends no FIN: without this the host would hold the agent until TCP gives up, hours later.
            LOG.warn("host {} silent for the host timeout though it pings while idle: taking its connection as dead",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
