package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The routing table: which handler serves each kind of request, one group of requests per handler class, as the
 * JDK's JDWP agent keeps one file per command set. Requests the table does not name are answered here.
 */
final class RequestRoutes {
    private final Map<Envelope.BodyCase, RequestHandler> routes;

    private RequestRoutes(Map<Envelope.BodyCase, RequestHandler> routes) {
        this.routes = routes;
    }

    /** Every request group of the protocol, served by {@code debugger}, for a host that takes no stop in a reply. */
    static RequestRoutes of(Debugger debugger) {
        return of(debugger, null);
    }

    /** Every request group of the protocol, served by {@code debugger} to {@code session} (null: none in particular). */
    static RequestRoutes of(Debugger debugger, HostSession session) {
        Table table = new Table();
        new EventRequests(debugger).addTo(table);
        new ExecutionRequests(debugger, session).addTo(table);
        new BreakpointRequests(debugger).addTo(table);
        new StateRequests(debugger).addTo(table);
        new TargetRequests(debugger).addTo(table);
        new ScriptRequests(debugger).addTo(table);
        new StartRequests(debugger).addTo(table);
        new TrackRequests(debugger).addTo(table);
        new MsrRequests(debugger).addTo(table);
        new TypeRequests(debugger).addTo(table);
        new FileRequests(debugger).addTo(table);
        table.route(Envelope.BodyCase.HELLO_REQUEST, request -> CompletableFuture.completedFuture(
                Envelope.newBuilder().setErrorReply(ErrorMapping.reply(ErrorCode.ERROR_CODE_BAD_STATE, "already said hello"))));
        return new RequestRoutes(table.routes);
    }

    /** A table of the given handlers only, for tests of the pieces around it. */
    static RequestRoutes of(Map<Envelope.BodyCase, RequestHandler> handlers) {
        Map<Envelope.BodyCase, RequestHandler> table = new EnumMap<>(Envelope.BodyCase.class);
        table.putAll(handlers);
        return new RequestRoutes(table);
    }

    /** Whether a handler serves {@code request}. */
    boolean serves(Envelope.BodyCase request) {
        return routes.containsKey(request);
    }

    /**
     * The reply's body for {@code request}.
     *
     * @throws IllegalArgumentException as its handler does
     */
    CompletableFuture<Envelope.Builder> route(Envelope request) {
        RequestHandler handler = routes.get(request.getBodyCase());
        if (handler == null) {
            return CompletableFuture.completedFuture(Envelope.newBuilder().setErrorReply(ErrorMapping.reply(
                    ErrorCode.ERROR_CODE_MALFORMED, "not a request this agent serves: " + request.getBodyCase())));
        }
        return handler.handle(request);
    }

    /** The table as the request groups fill it: each kind of request has one handler. */
    static final class Table {
        private final Map<Envelope.BodyCase, RequestHandler> routes = new EnumMap<>(Envelope.BodyCase.class);

        void route(Envelope.BodyCase request, RequestHandler handler) {
            if (routes.putIfAbsent(request, handler) != null) {
                throw new IllegalStateException(request + " has two handlers");
            }
        }
    }
}
