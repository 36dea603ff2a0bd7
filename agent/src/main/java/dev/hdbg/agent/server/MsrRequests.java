package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.proto.v1.CpuidReply;
import dev.hdbg.proto.v1.CpuidRequest;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ReadMsrReply;
import dev.hdbg.proto.v1.ReadMsrRequest;
import dev.hdbg.proto.v1.WriteMsrReply;
import dev.hdbg.proto.v1.WriteMsrRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Since 1.11: HyperDbg's {@code rdmsr}, {@code wrmsr}, the CPUID leaves its {@code cpu} shows,
 * {@code flush} and {@code events sc}: the 1.11 requests of HyperDbg's leftover commands.
 */
final class MsrRequests {
    private final Debugger debugger;

    MsrRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.READ_MSR_REQUEST, this::read);
        table.route(Envelope.BodyCase.WRITE_MSR_REQUEST, this::write);
        table.route(Envelope.BodyCase.CPUID_REQUEST, this::cpuid);
        table.route(Envelope.BodyCase.SHORT_CIRCUIT_REQUEST, request -> debugger.shortCircuitEventInBreak(
                request.getShortCircuitRequest().getOn()).thenApply(done -> Envelope.newBuilder()
                .setShortCircuitReply(dev.hdbg.proto.v1.ShortCircuitReply.getDefaultInstance())));
        table.route(Envelope.BodyCase.FLUSH_REQUEST, request -> debugger.flushMessages()
                .thenApply(n -> Envelope.newBuilder().setFlushReply(dev.hdbg.proto.v1.FlushReply.newBuilder().setFlushed(n))));
    }

    private CompletableFuture<Envelope.Builder> cpuid(Envelope envelope) {
        CpuidRequest request = envelope.getCpuidRequest();
        return debugger.cpuid(Integer.toUnsignedLong(request.getLeaf()), Integer.toUnsignedLong(request.getSubleaf()))
                .thenApply(r -> Envelope.newBuilder().setCpuidReply(CpuidReply.newBuilder().setEax((int) r[0])
                        .setEbx((int) r[1]).setEcx((int) r[2]).setEdx((int) r[3])));
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
