package dev.hdbg.agent.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * The last reply of a connection the agent ends (a malformed frame, a refused Hello, clear text to a TLS agent),
 * written so that the host can read it. Closing a socket whose receive queue still holds bytes the host sent (the rest
 * of an oversized frame, requests sent behind the Hello) makes Linux answer with a reset instead of a FIN, and the
 * host's system then drops the reply it had not read yet: the host sees "Connection reset" instead of the reason.
 * So, as web servers' "lingering close" does: the reply, then the write side shut (a FIN after it), then whatever
 * the host still sends is read and dropped until it closes, for at most {@link #LINGER_MILLIS}.
 */
final class ClosingReply {
    /** How long a host that keeps its side open after the reply may keep the connection. */
    static final long LINGER_MILLIS = 2_000;

    private ClosingReply() {
    }

    /** Writes {@code reply} (an envelope, or a frame already encoded) and ends the connection as above. */
    static void send(ChannelHandlerContext ctx, Object reply) {
        Channel channel = ctx.channel();
        channel.pipeline().addFirst("discardAfterLastReply", new Discard());
        ctx.writeAndFlush(reply).addListener(written -> {
            if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
                channel.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    channel.close();
                    return;
                }
                channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            });
        });
    }

    /** In front of every handler: what the host sends after the last reply is dropped unread. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
