package dev.hdbg.agent.server;

import dev.hdbg.proto.v1.Envelope;
import java.util.concurrent.CompletableFuture;

/**
 * Serves one kind of request: decodes it with the common codecs, asks the debugger, and encodes the answer as the
 * reply's body (the dispatcher adds the request id). Runs on the event loop and never blocks it: the debugger's
 * calls return futures completed on the execution thread.
 */
@FunctionalInterface
interface RequestHandler {
    /**
     * @return the reply's body, or a future failed with what went wrong
     * @throws IllegalArgumentException (often a {@code WireFormatException}) when the request is malformed; the
     *                                  dispatcher answers it through {@link ErrorMapping} like a failed future
     */
    CompletableFuture<Envelope.Builder> handle(Envelope request);
}
