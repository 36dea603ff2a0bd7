package dev.hdbg.agent.server;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.EnumSet;
import java.util.Set;

/**
 * In the pipeline of an observing host only: passes on what it may ask and answers everything else with
 * {@code ERROR_CODE_READ_ONLY}, at once and in order, so a later Detach still comes after its answer.
 */
final class ObserverGuard extends ChannelInboundHandlerAdapter {
    /** What an observing host may ask: nothing here changes the target, its events or what the agent keeps. */
    static final Set<Envelope.BodyCase> READ_ONLY_REQUESTS = EnumSet.of(Envelope.BodyCase.STATUS_REQUEST,
            Envelope.BodyCase.READ_REGISTERS_REQUEST, Envelope.BodyCase.READ_MEMORY_REQUEST, Envelope.BodyCase.READ_MSR_REQUEST,
            Envelope.BodyCase.CPUID_REQUEST,
            Envelope.BodyCase.LIST_EVENTS_REQUEST, Envelope.BodyCase.LIST_BREAKPOINTS_REQUEST,
            Envelope.BodyCase.LIST_SYMBOLS_REQUEST, Envelope.BodyCase.LIST_MODULES_REQUEST,
            Envelope.BodyCase.READ_FILE_REQUEST, Envelope.BodyCase.HELD_SIGNAL_REQUEST,
            Envelope.BodyCase.DETACH_REQUEST, Envelope.BodyCase.HELLO_REQUEST, Envelope.BodyCase.PING_REQUEST,
            // An observer's acknowledgements are notices the session ignores: they change nothing.
            Envelope.BodyCase.RECORDS_ACK);

    static final String REFUSAL = "this host is observing (--observe): it may read the target's state but not change "
            + "it; attach without --observe, or with --takeover, to control it";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope request && !READ_ONLY_REQUESTS.contains(request.getBodyCase())) {
            ctx.writeAndFlush(Envelope.newBuilder().setRequestId(request.getRequestId())
                    .setErrorReply(ErrorMapping.reply(ErrorCode.ERROR_CODE_READ_ONLY, REFUSAL)).build());
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
