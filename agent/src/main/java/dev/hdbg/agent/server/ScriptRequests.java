package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.script.ScriptLimits;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.EvaluateReply;
import dev.hdbg.proto.v1.EvaluateRequest;
import java.util.concurrent.CompletableFuture;

/** Since 1.7: {@code ?} and {@code print}, a script run once on the target. Script actions come with their events. */
final class ScriptRequests {
    private final Debugger debugger;

    ScriptRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.EVALUATE_REQUEST, this::evaluate);
    }

    private CompletableFuture<Envelope.Builder> evaluate(Envelope envelope) {
        EvaluateRequest request = envelope.getEvaluateRequest();
        if (request.getScript().isBlank()) {
            throw new WireFormatException("nothing to evaluate: give an expression or a script");
        }
        if (request.getScript().length() > ScriptLimits.DEFAULT.maxSourceChars()) {
            throw new WireFormatException("the script has " + request.getScript().length() + " characters; at most "
                    + ScriptLimits.DEFAULT.maxSourceChars() + " are taken");
        }
        return debugger.evaluate(request.getScript(), request.getExpression())
                .thenApply(e -> Envelope.newBuilder().setEvaluateReply(EvaluateReply.newBuilder()
                        .setValue(e.value()).addAllOutput(e.output())));
    }
}
