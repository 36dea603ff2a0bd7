package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.proto.v1.ContinueReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.PauseReply;
import dev.hdbg.proto.v1.StepReply;
import java.util.concurrent.CompletableFuture;

/** Running the target: continue ({@code g}, {@code g ADDR}), step ({@code t}, {@code p}, {@code gu}), pause. */
final class ExecutionRequests {
    private final Debugger debugger;

    ExecutionRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.CONTINUE_REQUEST, this::cont);
        table.route(Envelope.BodyCase.STEP_REQUEST, this::step);
        table.route(Envelope.BodyCase.PAUSE_REQUEST, this::pause);
    }

    private CompletableFuture<Envelope.Builder> cont(Envelope envelope) {
        var request = envelope.getContinueRequest();
        return (request.getHasRunTo() ? debugger.runTo(request.getRunTo()) : debugger.cont())
                .thenApply(v -> Envelope.newBuilder().setContinueReply(ContinueReply.getDefaultInstance()));
    }

    private CompletableFuture<Envelope.Builder> step(Envelope request) {
        return debugger.step(ExecutionCodec.decode(request.getStepRequest().getMode()))
                .thenApply(v -> Envelope.newBuilder().setStepReply(StepReply.getDefaultInstance()));
    }

    private CompletableFuture<Envelope.Builder> pause(Envelope request) {
        return debugger.pause().thenApply(v -> Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance()));
    }
}
