package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.TypeLayoutReply;

/** Since 1.13: HyperDbg's {@code dt} and {@code struct}, a type of the program's DWARF debug information. */
final class TypeRequests {
    private final Debugger debugger;

    TypeRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.TYPE_LAYOUT_REQUEST, request -> debugger.typeLayout(
                request.getTypeLayoutRequest().getName()).thenApply(layout -> Envelope.newBuilder()
                .setTypeLayoutReply(TypeLayoutReply.newBuilder().setLayout(layout))));
    }
}
