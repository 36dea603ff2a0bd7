package dev.hdbg.agent.server;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.EventInfo;
import dev.hdbg.agent.debugger.EventModification;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.wire.EventCodec;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.AddActionReply;
import dev.hdbg.proto.v1.AddBreakpointReply;
import dev.hdbg.proto.v1.AddEventReply;
import dev.hdbg.proto.v1.BreakpointInfo;
import dev.hdbg.proto.v1.ContinueReply;
import dev.hdbg.proto.v1.DetachReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ListBreakpointsReply;
import dev.hdbg.proto.v1.ListEventsReply;
import dev.hdbg.proto.v1.ListModulesReply;
import dev.hdbg.proto.v1.ListSymbolsReply;
import dev.hdbg.proto.v1.ModifyBreakpointReply;
import dev.hdbg.proto.v1.ModifyBreakpointRequest;
import dev.hdbg.proto.v1.ModifyEventReply;
import dev.hdbg.proto.v1.ModifyEventRequest;
import dev.hdbg.proto.v1.ModuleInfo;
import dev.hdbg.proto.v1.PauseReply;
import dev.hdbg.proto.v1.PingReply;
import dev.hdbg.proto.v1.ReadMemoryReply;
import dev.hdbg.proto.v1.ReadRegistersReply;
import dev.hdbg.proto.v1.RegisterValue;
import dev.hdbg.proto.v1.SectionInfo;
import dev.hdbg.proto.v1.StepReply;
import dev.hdbg.proto.v1.SymbolInfo;
import dev.hdbg.proto.v1.WriteMemoryReply;
import dev.hdbg.proto.v1.WriteRegisterReply;
import dev.hdbg.proto.v1.WriteRegisterRequest;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates requests into {@link Debugger} calls and their results into replies echoing the
 * request id. Never blocks the event loop: every call returns a future completed on the
 * execution thread. Every failure goes through {@link ErrorMapping}.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<Envelope> {
    /** Registers {@code r} shows: the general-purpose ones, rip and rflags. */
    private static final List<GuestRegister> DEFAULT_REGISTERS = GuestRegister.GPRS.stream().toList();

    /** What an observing host may ask: nothing here changes the target, its events or what the agent keeps. */
    private static final Set<Envelope.BodyCase> READ_ONLY_REQUESTS = EnumSet.of(Envelope.BodyCase.STATUS_REQUEST,
            Envelope.BodyCase.READ_REGISTERS_REQUEST, Envelope.BodyCase.READ_MEMORY_REQUEST,
            Envelope.BodyCase.LIST_EVENTS_REQUEST, Envelope.BodyCase.LIST_BREAKPOINTS_REQUEST,
            Envelope.BodyCase.LIST_SYMBOLS_REQUEST, Envelope.BodyCase.LIST_MODULES_REQUEST,
            Envelope.BodyCase.DETACH_REQUEST, Envelope.BodyCase.HELLO_REQUEST, Envelope.BodyCase.PING_REQUEST);

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Debugger debugger;
    private final HostSession session;
    /** Replies still being prepared (on the execution thread), so a Detach is answered after them. */
    private final Set<CompletableFuture<Void>> unanswered = ConcurrentHashMap.newKeySet();
    /** The host pings while idle (protocol 1.5), so its silence means a dead link rather than a user thinking. */
    private final boolean hostPings;

    RequestDispatcher(Debugger debugger, HostSession session, boolean hostPings) {
        this.debugger = debugger;
        this.session = session;
        this.hostPings = hostPings;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Envelope request) {
        if (request.hasRecordsAck()) {
            session.acknowledge(request.getRecordsAck().getThroughSeq()); // a notice: no reply
            return;
        }
        long id = request.getRequestId();
        if (request.hasPingRequest()) {
            ctx.writeAndFlush(Envelope.newBuilder().setRequestId(id).setPingReply(PingReply.getDefaultInstance()).build());
            return;
        }
        if (request.hasDetachRequest()) {
            // Released before the reply: a host started right after this one ends finds the agent free.
            session.end();
            // Every request sent before the Detach is answered first; then the reply, then the close. Replies prepared
            // on the execution thread reach the channel as tasks of the event loop: the Detach reply queues behind them.
            CompletableFuture.allOf(unanswered.toArray(CompletableFuture[]::new)).whenComplete((v, f) -> ctx.executor()
                    .execute(() -> ctx.writeAndFlush(Envelope.newBuilder().setRequestId(id)
                            .setDetachReply(DetachReply.getDefaultInstance()).build()).addListener(ChannelFutureListener.CLOSE)));
            return;
        }
        CompletableFuture<Envelope.Builder> reply;
        try {
            reply = session.observing() && !READ_ONLY_REQUESTS.contains(request.getBodyCase())
                    ? CompletableFuture.completedFuture(Envelope.newBuilder().setErrorReply(ErrorMapping.reply(
                            ErrorCode.ERROR_CODE_READ_ONLY, "this host is observing (--observe): it may read the target's "
                                    + "state but not change it; attach without --observe, or with --takeover, to control it")))
                    : dispatch(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> written = reply.handle((builder, failure) -> {
            Envelope.Builder out = failure == null ? builder : Envelope.newBuilder().setErrorReply(ErrorMapping.toReply(failure));
            ctx.writeAndFlush(Replies.fitted(out.setRequestId(id).build()));
            return null;
        });
        if (!written.isDone()) {
            unanswered.add(written);
            written.whenComplete((v, f) -> unanswered.remove(written));
        }
    }

    private CompletableFuture<Envelope.Builder> dispatch(Envelope request) {
        return switch (request.getBodyCase()) {
            case ADD_EVENT_REQUEST -> debugger.addEvent(EventCodec.decode(request.getAddEventRequest().getEvent()))
                    .thenApply(info -> Envelope.newBuilder().setAddEventReply(
                            AddEventReply.newBuilder().setEventId(info.id()).addAllActionIds(info.actionIds())));
            case ADD_ACTION_REQUEST -> debugger.addActionToEvent(request.getAddActionRequest().getEventId(),
                            EventCodec.decode(request.getAddActionRequest().getAction()))
                    .thenApply(id -> Envelope.newBuilder().setAddActionReply(AddActionReply.newBuilder().setActionId(id)));
            case MODIFY_EVENT_REQUEST -> modify(request.getModifyEventRequest());
            case LIST_EVENTS_REQUEST -> debugger.listEvents().thenApply(RequestDispatcher::listReply);
            case CONTINUE_REQUEST -> (request.getContinueRequest().getHasRunTo()
                    ? debugger.runTo(request.getContinueRequest().getRunTo()) : debugger.cont())
                    .thenApply(v -> Envelope.newBuilder().setContinueReply(ContinueReply.getDefaultInstance()));
            case STEP_REQUEST -> debugger.step(stepMode(request.getStepRequest().getMode()))
                    .thenApply(v -> Envelope.newBuilder().setStepReply(StepReply.getDefaultInstance()));
            case ADD_BREAKPOINT_REQUEST -> debugger.addBreakpoint(request.getAddBreakpointRequest().getAddress(),
                            request.getAddBreakpointRequest().getCondition().isEmpty() ? null
                                    : MachineCode.of(request.getAddBreakpointRequest().getCondition().toByteArray()))
                    .thenApply(id -> Envelope.newBuilder().setAddBreakpointReply(
                            AddBreakpointReply.newBuilder().setBreakpointId(id)));
            case MODIFY_BREAKPOINT_REQUEST -> modifyBreakpoints(request.getModifyBreakpointRequest());
            case LIST_SYMBOLS_REQUEST -> debugger.listSymbols(request.getListSymbolsRequest().getPattern()).thenApply(list -> {
                var b = ListSymbolsReply.newBuilder();
                list.forEach(sym -> b.addSymbols(SymbolInfo.newBuilder().setName(sym.name())
                        .setAddress(sym.address()).setSize(sym.size()).setKind(sym.kind())));
                return Envelope.newBuilder().setListSymbolsReply(b);
            });
            case LIST_MODULES_REQUEST -> debugger.listModules().thenApply(list -> {
                var b = ListModulesReply.newBuilder();
                for (var m : list) {
                    var mb = ModuleInfo.newBuilder().setName(m.name()).setBase(m.base()).setEnd(m.end());
                    m.sections().forEach(sec -> mb.addSections(SectionInfo.newBuilder().setName(sec.name())
                            .setAddress(sec.address()).setSize(sec.size()).setFlags(sec.flags())));
                    b.addModules(mb);
                }
                return Envelope.newBuilder().setListModulesReply(b);
            });
            case LIST_BREAKPOINTS_REQUEST -> debugger.listBreakpoints().thenApply(list -> {
                var b = ListBreakpointsReply.newBuilder();
                list.forEach(bp -> b.addBreakpoints(BreakpointInfo.newBuilder().setBreakpointId(bp.id())
                        .setAddress(bp.address()).setEnabled(bp.enabled()).setConditional(bp.conditional()).setHits(bp.hits())));
                return Envelope.newBuilder().setListBreakpointsReply(b);
            });
            case PAUSE_REQUEST -> debugger.pause()
                    .thenApply(v -> Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance()));
            // Not held up by a guest waiting for room in a full record queue: a prompt asks for the status constantly.
            case STATUS_REQUEST -> debugger.statusWithin(Debugger.STATUS_WAIT)
                    .thenApply(s -> Envelope.newBuilder().setStatusReply(Replies.status(s)));
            case READ_REGISTERS_REQUEST -> readRegisters(request.getReadRegistersRequest().getNamesList());
            case WRITE_REGISTER_REQUEST -> writeRegister(request.getWriteRegisterRequest())
                    .thenApply(v -> Envelope.newBuilder().setWriteRegisterReply(WriteRegisterReply.getDefaultInstance()));
            case READ_MEMORY_REQUEST -> readMemory(request.getReadMemoryRequest().getAddress(),
                    request.getReadMemoryRequest().getLength());
            case WRITE_MEMORY_REQUEST -> writeMemory(request.getWriteMemoryRequest().getAddress(),
                    request.getWriteMemoryRequest().getData());
            case HELLO_REQUEST -> CompletableFuture.completedFuture(Envelope.newBuilder().setErrorReply(
                    ErrorMapping.reply(ErrorCode.ERROR_CODE_BAD_STATE, "already said hello")));
            default -> CompletableFuture.completedFuture(Envelope.newBuilder().setErrorReply(ErrorMapping.reply(
                    ErrorCode.ERROR_CODE_MALFORMED, "not a request this agent serves: " + request.getBodyCase())));
        };
    }

    private static dev.hdbg.agent.debugger.StepMode stepMode(dev.hdbg.proto.v1.StepMode mode) {
        return switch (mode) {
            case STEP_MODE_INTO -> dev.hdbg.agent.debugger.StepMode.INTO;
            case STEP_MODE_OVER -> dev.hdbg.agent.debugger.StepMode.OVER;
            case STEP_MODE_OUT -> dev.hdbg.agent.debugger.StepMode.OUT;
            case STEP_MODE_UNSPECIFIED, UNRECOGNIZED -> throw new WireFormatException("step mode is missing: into, over or out");
        };
    }

    private CompletableFuture<Envelope.Builder> modifyBreakpoints(ModifyBreakpointRequest request) {
        if (!request.getAll() && request.getBreakpointId() == 0) {
            throw new WireFormatException("name a breakpoint id, or all");
        }
        return debugger.modifyBreakpoints(request.getAll() ? null : request.getBreakpointId(), modification(request.getModification()))
                .thenApply(ids -> Envelope.newBuilder().setModifyBreakpointReply(
                        ModifyBreakpointReply.newBuilder().addAllBreakpointIds(ids)));
    }

    private static EventModification modification(dev.hdbg.proto.v1.EventModification m) {
        return switch (m) {
            case EVENT_MODIFICATION_ENABLE -> EventModification.ENABLE;
            case EVENT_MODIFICATION_DISABLE -> EventModification.DISABLE;
            case EVENT_MODIFICATION_CLEAR -> EventModification.CLEAR;
            case EVENT_MODIFICATION_UNSPECIFIED, UNRECOGNIZED ->
                    throw new WireFormatException("modification is missing: enable, disable or clear");
        };
    }

    private CompletableFuture<Envelope.Builder> modify(ModifyEventRequest request) {
        EventModification modification = modification(request.getModification());
        if (!request.getAll() && request.getEventId() == 0) {
            throw new WireFormatException("name an event id, or all");
        }
        return debugger.modifyEvents(request.getAll() ? null : request.getEventId(), modification)
                .thenApply(ids -> Envelope.newBuilder().setModifyEventReply(ModifyEventReply.newBuilder().addAllEventIds(ids)));
    }

    private static Envelope.Builder listReply(List<EventInfo> events) {
        ListEventsReply.Builder b = ListEventsReply.newBuilder();
        for (EventInfo e : events) {
            b.addEvents(dev.hdbg.proto.v1.EventInfo.newBuilder().setEventId(e.id()).setSpec(EventCodec.encode(e.spec()))
                    .addAllActionIds(e.actionIds()).setEnabled(e.enabled()).setHits(e.hits()));
        }
        return Envelope.newBuilder().setListEventsReply(b);
    }

    private CompletableFuture<Void> writeRegister(WriteRegisterRequest request) {
        int xmm = xmmIndex(request.getName());
        if (xmm >= 0) {
            if (request.getWide().size() != 16) {
                throw new WireFormatException(request.getName() + " takes 16 bytes, got " + request.getWide().size());
            }
            return debugger.writeXmm(xmm, request.getWide().toByteArray());
        }
        return debugger.writeRegister(register(request.getName()), request.getValue());
    }

    /** 0 .. 15 for xmm0 .. xmm15 (any case), else -1. */
    private static int xmmIndex(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("@")) {
            n = n.substring(1);
        }
        if (n.matches("xmm([0-9]|1[0-5])")) {
            return Integer.parseInt(n.substring(3));
        }
        return -1;
    }

    private CompletableFuture<Envelope.Builder> readRegisters(List<String> names) {
        if (names.size() == 1 && xmmIndex(names.getFirst()) >= 0) {
            String name = names.getFirst().toLowerCase(Locale.ROOT).replace("@", "");
            return debugger.readXmm(xmmIndex(name)).thenApply(bytes -> {
                long low = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
                return Envelope.newBuilder().setReadRegistersReply(ReadRegistersReply.newBuilder().addRegisters(
                        RegisterValue.newBuilder().setName(name).setValue(low).setWide(ByteString.copyFrom(bytes))));
            });
        }
        List<GuestRegister> registers = names.isEmpty() ? defaultRegisters()
                : names.stream().map(RequestDispatcher::register).toList();
        return debugger.readRegisters(registers).thenApply(values -> {
            ReadRegistersReply.Builder b = ReadRegistersReply.newBuilder();
            values.forEach((r, v) -> b.addRegisters(RegisterValue.newBuilder().setName(r.wireName()).setValue(v)));
            return Envelope.newBuilder().setReadRegistersReply(b);
        });
    }

    private static List<GuestRegister> defaultRegisters() {
        var list = new ArrayList<>(DEFAULT_REGISTERS);
        list.add(GuestRegister.RIP);
        list.add(GuestRegister.RFLAGS);
        return list;
    }

    private static GuestRegister register(String name) {
        return GuestRegister.parse(name);
    }

    private CompletableFuture<Envelope.Builder> readMemory(long address, int length) {
        if (length <= 0 || length > Protocol.MAX_MEMORY_READ) {
            throw new WireFormatException("read length must be 1.." + Protocol.MAX_MEMORY_READ + " bytes, got "
                    + Integer.toUnsignedString(length) + "; read larger ranges in pages");
        }
        return debugger.readMemory(address, length).thenApply(data -> Envelope.newBuilder().setReadMemoryReply(
                ReadMemoryReply.newBuilder().setAddress(address).setData(ByteString.copyFrom(data))));
    }

    private CompletableFuture<Envelope.Builder> writeMemory(long address, ByteString data) {
        if (data.isEmpty()) {
            throw new WireFormatException("nothing to write");
        }
        return debugger.writeMemory(address, data.toByteArray())
                .thenApply(v -> Envelope.newBuilder().setWriteMemoryReply(WriteMemoryReply.getDefaultInstance()));
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Replies.malformed(ctx, cause);
    }
}
