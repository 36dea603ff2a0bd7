package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.TargetStarter;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.KillReply;
import dev.hdbg.proto.v1.StartReply;
import dev.hdbg.proto.v1.StartRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Since 1.8: HyperDbg's {@code .start}, {@code .restart} and {@code .kill}. */
final class StartRequests {
    /** A path or an argument longer than Linux's PATH_MAX is no program's. */
    private static final int MAX_TEXT = 4096;
    /** As many arguments as a host may send: far more than a debugging session needs, few enough to keep small. */
    private static final int MAX_ARGS = 1024;

    private final Debugger debugger;

    StartRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.START_REQUEST, this::start);
        table.route(Envelope.BodyCase.KILL_REQUEST, this::kill);
    }

    private CompletableFuture<Envelope.Builder> start(Envelope envelope) {
        StartRequest request = envelope.getStartRequest();
        if (request.getPath().isEmpty() && request.getArgsCount() > 0) {
            throw new WireFormatException("arguments need the program's path: .start path PATH [ARGS]");
        }
        if (request.getArgsCount() > MAX_ARGS) {
            throw new WireFormatException(request.getArgsCount() + " arguments; at most " + MAX_ARGS + " are taken");
        }
        if (request.getPath().length() > MAX_TEXT || request.getArgsList().stream().anyMatch(a -> a.length() > MAX_TEXT)) {
            throw new WireFormatException("a path or argument is longer than " + MAX_TEXT + " characters");
        }
        if (request.getPath().indexOf('\0') >= 0 || request.getArgsList().stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            throw new WireFormatException("a path or argument contains a NUL character");
        }
        Optional<TargetStarter.Program> program = request.getPath().isEmpty() ? Optional.empty()
                : Optional.of(new TargetStarter.Program(request.getPath(), request.getArgsList()));
        return debugger.start(program).thenApply(status -> Envelope.newBuilder()
                .setStartReply(StartReply.newBuilder().setStatus(ExecutionCodec.encode(status))));
    }

    private CompletableFuture<Envelope.Builder> kill(Envelope request) {
        return debugger.kill().thenApply(v -> Envelope.newBuilder().setKillReply(KillReply.getDefaultInstance()));
    }
}
