package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ReadMsrReply;
import dev.hdbg.proto.v1.ReadMsrRequest;
import dev.hdbg.proto.v1.WriteMsrReply;
import dev.hdbg.proto.v1.WriteMsrRequest;
import java.util.concurrent.CompletableFuture;

/** Since 1.11: HyperDbg's {@code rdmsr} and {@code wrmsr}. */
final class MsrRequests {
    private final Debugger debugger;

    MsrRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.READ_MSR_REQUEST, this::read);
        table.route(Envelope.BodyCase.WRITE_MSR_REQUEST, this::write);
    }

    private CompletableFuture<Envelope.Builder> read(Envelope envelope) {
        ReadMsrRequest request = envelope.getReadMsrRequest();
        return debugger.readMsr(request.getMsr(), request.getCore())
                .thenApply(value -> Envelope.newBuilder().setReadMsrReply(ReadMsrReply.newBuilder().setValue(value)));
    }

    private CompletableFuture<Envelope.Builder> write(Envelope envelope) {
        WriteMsrRequest request = envelope.getWriteMsrRequest();
        return debugger.writeMsr(request.getMsr(), request.getValue(), request.getCore())
                .thenApply(done -> Envelope.newBuilder().setWriteMsrReply(WriteMsrReply.getDefaultInstance()));
    }
}
