package dev.hdbg.agent.server;

import dev.hdbg.common.io.IoReasons;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right behind the SslHandler: logs once, in the operator's words, why a host's TLS failed (no client certificate,
 * one the --client-ca did not issue, the host not trusting this agent's certificate) and closes that connection.
 * The agent goes on serving other hosts. Anything that is not TLS's passes on to the handlers behind. Under mutual
 * TLS it also logs which certificate a host authenticated with, for the operator's record.
 */
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureHandler.class);

    private final Optional<Path> clientCa;
    private boolean reported;

    TlsFailureHandler(Optional<Path> clientCa) {
        this.clientCa = clientCa;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess() && clientCa.isPresent()) {
                LOG.info("host {} authenticated by its certificate{}", ctx.channel().remoteAddress(), peer(ctx));
            } else if (!completion.isSuccess()) {
                report(ctx, completion.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A socket error before the handshake ends is how some hosts refuse this agent's certificate (the reset
        // overtakes their alert): that is a refused connection too, and logged as one.
        if (sslFailure(cause) == null && !(cause instanceof IOException && handshaking(ctx))) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        report(ctx, cause);
    }

    /**
     * Logs the failure once, always: a host that does not trust this agent's certificate sends an alert and closes,
     * and which of the two the agent sees first is a race, so a close before the handshake ended is a refusal too
     * (it once went to the debug log, and a wrong --fingerprint left no line 2 times in 8). Only a connection the
     * {@link TlsProbe} refused, which it logged, gets no second line.
     */
    private void report(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported) {
            reported = true;
            if (Boolean.TRUE.equals(ctx.channel().attr(TlsProbe.REFUSED).get())) {
                LOG.debug("host {}: refused by the TLS probe", ctx.channel().remoteAddress());
            } else if (closedBeforeHandshake(cause) || sslFailure(cause) == null) {
                LOG.warn("TLS with host {} failed: it closed the connection during the handshake ({}){}",
                        ctx.channel().remoteAddress(), reason(cause), CLOSED_HINT);
            } else {
                LOG.warn("TLS with host {} failed: {}{}", ctx.channel().remoteAddress(), reason(cause), hint(cause));
            }
        }
        ctx.close();
    }

    private static final String CLOSED_HINT = " (the host does not trust this agent's certificate: its --fingerprint or "
            + "known_agents names another one; or the host was stopped)";

    private static boolean handshaking(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl != null && !ssl.handshakeFuture().isDone();
    }

    private static boolean closedBeforeHandshake(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable cause) {
        Throwable ssl = sslFailure(cause);
        Throwable shown = ssl != null ? ssl : cause;
        if (shown instanceof ClosedChannelException) {
            return "connection closed";
        }
        if (ssl == null && shown instanceof IOException io) {
            return IoReasons.of(io);
        }
        return shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
    }

    /** What the JDK's words mean here. */
    private String hint(Throwable cause) {
        String reason = reason(cause);
        if (reason.contains("Empty client certificate chain")) {
            return " (the host presented no certificate issued by --client-ca " + clientCa.map(Path::toString).orElse("")
                    + ", which this agent requires: hdbg --cert FILE --key FILE)";
        }
        if (reason.contains("Extended key usage") || reason.contains("KeyUsage") || reason.contains("key usage")) {
            return " (the host's certificate is not for TLS client authentication: its CA must issue it with "
                    + "extendedKeyUsage = clientAuth)";
        }
        if (clientCa.isPresent() && (reason.contains("PKIX") || reason.contains("certification path"))) {
            return " (the host's certificate is not issued by a CA in --client-ca " + clientCa.get() + ")";
        }
        // Only an alert the host sent says that the host refused: the same words in this side's own failure are this
        // side refusing the host's certificate, not the other way round.
        if (reason.contains("Received fatal alert")
                && (reason.contains("certificate_unknown") || reason.contains("bad_certificate"))) {
            return " (the host does not trust this agent's certificate: its --fingerprint or known_agents names another one)";
        }
        return "";
    }

    private static String peer(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return "";
        }
        try {
            return " (certificate " + ssl.engine().getSession().getPeerPrincipal().getName() + ")";
        } catch (SSLPeerUnverifiedException e) {
            return "";
        }
    }

    private static SSLException sslFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }
}
