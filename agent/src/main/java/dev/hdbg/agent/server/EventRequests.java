package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.wire.EventCodec;
import dev.hdbg.proto.v1.AddActionReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ListEventsReply;
import dev.hdbg.proto.v1.ModifyEventReply;
import dev.hdbg.proto.v1.ModifyEventRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Events and their actions: add, add an action, enable, disable or clear, list. */
final class EventRequests {
    private final Debugger debugger;

    EventRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.ADD_EVENT_REQUEST, this::addEvent);
        table.route(Envelope.BodyCase.ADD_ACTION_REQUEST, this::addAction);
        table.route(Envelope.BodyCase.MODIFY_EVENT_REQUEST, this::modify);
        table.route(Envelope.BodyCase.LIST_EVENTS_REQUEST, this::list);
    }

    private CompletableFuture<Envelope.Builder> addEvent(Envelope request) {
        return debugger.addEvent(EventCodec.decode(request.getAddEventRequest().getEvent()))
                .thenApply(info -> Envelope.newBuilder().setAddEventReply(
                        EventCodec.encode(new AddedEvent(info.id(), info.actionIds()))));
    }

    private CompletableFuture<Envelope.Builder> addAction(Envelope request) {
        var add = request.getAddActionRequest();
        return debugger.addActionToEvent(add.getEventId(), EventCodec.decode(add.getAction()))
                .thenApply(id -> Envelope.newBuilder().setAddActionReply(AddActionReply.newBuilder().setActionId(id)));
    }

    private CompletableFuture<Envelope.Builder> modify(Envelope envelope) {
        ModifyEventRequest request = envelope.getModifyEventRequest();
        EventModification modification = EventCodec.decode(request.getModification());
        return debugger.modifyEvents(request.getAll() ? null : request.getEventId(), modification)
                .thenApply(ids -> Envelope.newBuilder().setModifyEventReply(ModifyEventReply.newBuilder().addAllEventIds(ids)));
    }

    private CompletableFuture<Envelope.Builder> list(Envelope request) {
        return debugger.listEvents().thenApply(EventRequests::listReply);
    }

    private static Envelope.Builder listReply(List<EventInfo> events) {
        ListEventsReply.Builder b = ListEventsReply.newBuilder();
        events.forEach(e -> b.addEvents(EventCodec.encode(e)));
        return Envelope.newBuilder().setListEventsReply(b);
    }
}
