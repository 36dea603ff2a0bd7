package dev.hdbg.agent.server;

import dev.hdbg.common.wire.Framing;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a host's first bytes, which tell a TLS record from a plain frame, so that a host speaking the other way than
 * this agent is refused with a reason on both sides instead of failing in a decoder: a clear-text host gets an
 * error frame it can read, saying to connect with {@code --tls}; a TLS host is closed on (it reports that the agent
 * did not answer TLS); the agent logs which. A host speaking the agent's way passes on untouched: this handler
 * removes itself and hands the bytes to the next one (the SslHandler, or the framing).
 */
final class TlsProbe extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(TlsProbe.class);
    /** A TLS record header: type, version, length. */
    private static final int RECORD_HEADER_BYTES = 5;
    static final String REQUIRES_TLS = "this agent requires TLS: connect with hdbg --tls (and pin the agent's certificate "
            + "with --fingerprint SHA256:... as hdbg-agent printed it at its start)";

    /** Set on a channel this probe refused, and logged: the TLS failure that follows needs no second line. */
    static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("hdbg.tlsProbe.refused");

    private final boolean agentSpeaksTls;
    private boolean refused;

    TlsProbe(boolean agentSpeaksTls) {
        this.agentSpeaksTls = agentSpeaksTls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RECORD_HEADER_BYTES) {
            return;
        }
        boolean hostSpeaksTls = SslHandler.isEncrypted(in, false);
        if (hostSpeaksTls == agentSpeaksTls) {
            ctx.pipeline().remove(this);
            return;
        }
        refused = true;
        ctx.channel().attr(REFUSED).set(true);
        in.skipBytes(in.readableBytes());
        if (agentSpeaksTls) {
            LOG.warn("refusing host {}: it speaks clear text, and this agent requires TLS (hdbg --tls)", ctx.channel().remoteAddress());
            // Written from here, in front of the SslHandler, so that the clear-text host can read it.
            ClosingReply.send(ctx, Framing.frame(Envelope.newBuilder().setErrorReply(
                    ErrorMapping.reply(ErrorCode.ERROR_CODE_UNAUTHENTICATED, REQUIRES_TLS)).build()));
        } else {
            LOG.warn("refusing host {}: it speaks TLS, and this agent was started without --tls", ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
