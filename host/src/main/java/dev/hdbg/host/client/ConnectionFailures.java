package dev.hdbg.host.client;

import dev.hdbg.common.io.IoReasons;
import dev.hdbg.proto.v1.Envelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.util.Optional;

/**
 * Why a connection failed, in the user's words, at the end of the pipeline: an error reply that answers no call (the
 * agent says why before it closes: a malformed frame, clear text to a TLS agent), and any exception a handler before
 * raised, classified as a TLS failure, bytes that are not an hdbg frame, or a failed connection.
 */
final class ConnectionFailures extends SimpleChannelInboundHandler<Envelope> {
    private final ConnectionEnd end;

    ConnectionFailures(ConnectionEnd end) {
        this.end = end;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        if (envelope.hasErrorReply()) {
            AgentError error = AgentError.of(envelope.getErrorReply());
            end.set(error.kind(), error.getMessage());
        }
    }

    /**
     * The first failure is the reason (a TLS alert is often followed by a reset connection). A TLS failure after the
     * handshake, such as an agent refusing this host's certificate with an alert, is explained in the user's words.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String agent = AgentAddress.of(ctx.channel().remoteAddress());
        Optional<AgentError> tls = TlsFailures.explain(cause, agent);
        if (tls.isPresent()) {
            end.setIfNone(tls.get().kind(), tls.get().getMessage());
        } else if (cause instanceof DecoderException) {
            end.setIfNone(AgentError.Kind.MALFORMED, "the agent at " + agent + " sent bytes that are not an hdbg frame ("
                    + cause.getMessage() + "): is something else listening there, or a different hdbg version?");
        } else {
            end.setIfNone(AgentError.Kind.CONNECTION, "connection failed: " + IoReasons.ofSocket(cause));
        }
        ctx.close();
    }
}
