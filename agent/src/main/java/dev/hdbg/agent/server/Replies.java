package dev.hdbg.agent.server;

import dev.hdbg.common.io.IoReasons;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and writes replies shared by the handshake and the dispatcher. */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    /**
     * The reply, or when it would not fit in one frame, an error saying so: a host refuses a frame
     * over the cap (and closes), so sending it would cost the connection instead of one request.
     */
    static Envelope fitted(Envelope reply) {
        int size = reply.getSerializedSize();
        if (size <= Framing.MAX_ENVELOPE_BYTES) {
            return reply;
        }
        String advice = switch (reply.getBodyCase()) {
            case LIST_EVENTS_REPLY -> "clear events you no longer need (events c ID); their conditions and code are listed";
            case LIST_SYMBOLS_REPLY -> "narrow the pattern";
            default -> "ask for less at a time";
        };
        LOG.warn("a {} of {} bytes is over the frame limit; refused", reply.getBodyCase(), size);
        return Envelope.newBuilder().setRequestId(reply.getRequestId()).setErrorReply(ErrorMapping.reply(
                ErrorCode.ERROR_CODE_LIMIT_EXCEEDED, "the reply would take " + size + " bytes, over the frame limit of "
                        + Framing.MAX_ENVELOPE_BYTES + ": " + advice)).build();
    }

    static void error(ChannelHandlerContext ctx, long requestId, ErrorCode code, String message) {
        ctx.writeAndFlush(Envelope.newBuilder().setRequestId(requestId)
                .setErrorReply(ErrorMapping.reply(code, message)).build());
    }

    /**
     * What went wrong on a connection: the socket failing (the host killed, the network reset) is the host's
     * leaving, logged as a disconnect; anything else is a frame that cannot be decoded ({@link #malformed}).
     */
    static void failed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.info("host {} disconnected: {}", ctx.channel().remoteAddress(), IoReasons.of((IOException) cause));
            ctx.close();
            return;
        }
        malformed(ctx, cause);
    }

    /** A frame that cannot be decoded: say why, then close, since the stream cannot be trusted. */
    static void malformed(ChannelHandlerContext ctx, Throwable cause) {
        String message = "malformed frame: " + cause.getMessage() + "; closing the connection";
        LOG.warn("host {}: {}", ctx.channel().remoteAddress(), message);
        if (ctx.channel().isActive()) {
            ClosingReply.send(ctx, Envelope.newBuilder().setErrorReply(
                    ErrorMapping.reply(ErrorCode.ERROR_CODE_MALFORMED, message)).build());
        }
    }
}
