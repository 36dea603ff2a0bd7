package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.wire.EventCodec;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.AddBreakpointReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ListBreakpointsReply;
import dev.hdbg.proto.v1.ModifyBreakpointReply;
import dev.hdbg.proto.v1.ModifyBreakpointRequest;
import java.util.concurrent.CompletableFuture;

/** The debugger's own breakpoints: {@code bp}, {@code be}/{@code bd}/{@code bc}, {@code bl}. */
final class BreakpointRequests {
    private final Debugger debugger;

    BreakpointRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.ADD_BREAKPOINT_REQUEST, this::add);
        table.route(Envelope.BodyCase.MODIFY_BREAKPOINT_REQUEST, this::modify);
        table.route(Envelope.BodyCase.LIST_BREAKPOINTS_REQUEST, this::list);
    }

    private CompletableFuture<Envelope.Builder> add(Envelope envelope) {
        var request = envelope.getAddBreakpointRequest();
        MachineCode condition = request.getCondition().isEmpty() ? null : MachineCode.of(request.getCondition().toByteArray());
        return debugger.addBreakpoint(request.getAddress(), condition, ExecutionCodec.decode(request.getScope())).thenApply(id -> Envelope.newBuilder()
                .setAddBreakpointReply(AddBreakpointReply.newBuilder().setBreakpointId(id)));
    }

    private CompletableFuture<Envelope.Builder> modify(Envelope envelope) {
        ModifyBreakpointRequest request = envelope.getModifyBreakpointRequest();
        if (!request.getAll() && request.getBreakpointId() == 0) {
            throw new WireFormatException("name a breakpoint id, or all");
        }
        return debugger.modifyBreakpoints(request.getAll() ? null : request.getBreakpointId(),
                        EventCodec.decode(request.getModification()))
                .thenApply(ids -> Envelope.newBuilder().setModifyBreakpointReply(
                        ModifyBreakpointReply.newBuilder().addAllBreakpointIds(ids)));
    }

    private CompletableFuture<Envelope.Builder> list(Envelope request) {
        return debugger.listBreakpoints().thenApply(list -> {
            var b = ListBreakpointsReply.newBuilder();
            list.forEach(bp -> b.addBreakpoints(ExecutionCodec.encode(bp)));
            return Envelope.newBuilder().setListBreakpointsReply(b);
        });
    }
}
