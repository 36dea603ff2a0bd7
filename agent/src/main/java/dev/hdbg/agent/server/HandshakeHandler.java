package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.SessionCodec;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.HelloReply;
import dev.hdbg.proto.v1.HelloRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves nothing until a host says Hello with a protocol major this agent speaks and, when the
 * agent has one, the right token. Then it attaches the host — controlling (one at a time), taking
 * over from the controlling one, or observing — and hands the pipeline to the {@link KeepAlive}, the
 * {@link ObserverGuard} (observers only) and the {@link RequestDispatcher}.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<Envelope> {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
    static final String KEEP_ALIVE = "keepAlive";
    static final String OBSERVER_GUARD = "observerGuard";
    static final String DISPATCHER = "dispatcher";

    private final Debugger debugger;
    private final Optional<String> token;
    private final SessionGate gate;
    private final Runnable onSessionEnd;

    HandshakeHandler(Debugger debugger, Optional<String> token, SessionGate gate, Runnable onSessionEnd) {
        this.debugger = debugger;
        this.token = token;
        this.gate = gate;
        this.onSessionEnd = onSessionEnd;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope envelope) {
        if (!envelope.hasHelloRequest()) {
            Replies.error(ctx, envelope.getRequestId(), ErrorCode.ERROR_CODE_HANDSHAKE_REQUIRED,
                    "send Hello first: nothing is served before the handshake");
            return;
        }
        HelloRequest hello = envelope.getHelloRequest();
        if (hello.getVersion().getMajor() != Protocol.MAJOR) {
            refuse(ctx, envelope, ErrorCode.ERROR_CODE_VERSION_MISMATCH, "this agent speaks protocol " + Protocol.MAJOR + "."
                    + Protocol.MINOR + "; the host speaks " + hello.getVersion().getMajor() + "."
                    + hello.getVersion().getMinor() + ": use matching hdbg versions");
            return;
        }
        if (token.isPresent() && !constantTimeEquals(token.get(), hello.getToken())) {
            refuse(ctx, envelope, ErrorCode.ERROR_CODE_UNAUTHENTICATED, hello.getToken().isEmpty()
                    ? "this agent requires a token: pass --token" : "wrong token");
            return;
        }
        AttachMode mode;
        try {
            mode = SessionCodec.decode(hello.getMode());
        } catch (WireFormatException e) {
            refuse(ctx, envelope, ErrorCode.ERROR_CODE_INVALID_ARGUMENT, "unknown attach mode "
                    + hello.getModeValue() + ": control, takeover or observe");
            return;
        }
        boolean acknowledges = hello.getCapabilitiesList().contains(Protocol.RECORDS_ACK);
        switch (mode) {
            case OBSERVE -> serve(ctx, envelope, HostSession.observing(ctx.channel(), debugger.records()),
                    acknowledges, null);
            case TAKEOVER -> takeOver(ctx, envelope, acknowledges);
            case CONTROL -> {
                Channel holder = gate.tryControl(ctx.channel());
                if (holder != null) {
                    refuse(ctx, envelope, ErrorCode.ERROR_CODE_BUSY, "another host is attached (" + holder.remoteAddress()
                            + "); one debugger at a time: attach with --observe to watch, or --takeover to take control");
                    return;
                }
                serve(ctx, envelope, control(ctx), acknowledges, null);
            }
        }
    }

    private HostSession control(ChannelHandlerContext ctx) {
        return HostSession.controlling(ctx.channel(), debugger.records(), gate, onSessionEnd);
    }

    /**
     * The controlling host is told why and disconnected; the new one is served once that connection has closed,
     * so the records the old host did not acknowledge go to the new one, first and in order.
     */
    private void takeOver(ChannelHandlerContext ctx, Envelope envelope, boolean acknowledges) {
        Channel previous = gate.takeOver(ctx.channel());
        HostSession session = control(ctx);
        if (previous == null) {
            serve(ctx, envelope, session, acknowledges, null);
            return;
        }
        String who = String.valueOf(previous.remoteAddress());
        String message = "host " + ctx.channel().remoteAddress() + " took over this agent (hdbg --takeover); disconnecting";
        LOG.warn("host {} takes over from {}", ctx.channel().remoteAddress(), who);
        previous.writeAndFlush(Envelope.newBuilder().setErrorReply(ErrorMapping.reply(ErrorCode.ERROR_CODE_TAKEN_OVER, message))
                .build()).addListener(ChannelFutureListener.CLOSE);
        previous.closeFuture().addListener(f -> ctx.executor().execute(() -> serve(ctx, envelope, session, acknowledges, who)));
    }

    private void serve(ChannelHandlerContext ctx, Envelope envelope, HostSession session, boolean acknowledges,
                       String previousHost) {
        if (!ctx.channel().isActive()) {
            return; // gone while the previous host was being disconnected
        }
        LOG.info("host {} attached ({}, {})", ctx.channel().remoteAddress(), envelope.getHelloRequest().getClientName(),
                session.observing() ? "observing" : "controlling");
        // One handler per concern: liveness, then (for an observer) the read-only guard, then dispatch.
        ctx.pipeline().replace(this, KEEP_ALIVE, new KeepAlive(envelope.getHelloRequest().getCapabilitiesList()
                .contains(Protocol.PING)));
        ctx.pipeline().addAfter(KEEP_ALIVE, DISPATCHER, new RequestDispatcher(RequestRoutes.of(debugger, session), session));
        if (session.observing()) {
            ctx.pipeline().addAfter(KEEP_ALIVE, OBSERVER_GUARD, new ObserverGuard());
        }
        debugger.statusWithin(Debugger.STATUS_WAIT).whenComplete((status, failure) -> {
            HelloReply.Builder reply = HelloReply.newBuilder().setVersion(Protocol.version()).setAgentName("hdbg-agent")
                    .addAllCapabilities(Protocol.CAPABILITIES).setInstanceId(debugger.records().instanceId())
                    .setMode(SessionCodec.encode(session.observing() ? AttachMode.OBSERVE : AttachMode.CONTROL));
            if (previousHost != null) {
                reply.setPreviousHost(previousHost);
            }
            if (status != null) {
                reply.setStatus(ExecutionCodec.encode(status));
            }
            ctx.writeAndFlush(Envelope.newBuilder().setRequestId(envelope.getRequestId()).setHelloReply(reply).build())
                    .addListener(f -> session.start(acknowledges, envelope.getHelloRequest().getCapabilitiesList()
                            .contains(Protocol.STEP_BREAK_RECORD)));
        });
    }

    private static void refuse(ChannelHandlerContext ctx, Envelope envelope, ErrorCode code, String message) {
        LOG.warn("refusing host {}: {}", ctx.channel().remoteAddress(), message);
        ClosingReply.send(ctx, Envelope.newBuilder().setRequestId(envelope.getRequestId())
                .setErrorReply(ErrorMapping.reply(code, message)).build());
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.warn("closing {}: no Hello within the host timeout", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Replies.failed(ctx, cause);
    }
}
