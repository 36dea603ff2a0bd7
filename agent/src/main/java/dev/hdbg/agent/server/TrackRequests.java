package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.TrackRequest;
import java.util.concurrent.CompletableFuture;

/** Since 1.8: HyperDbg's {@code !track}, a run whose calls and returns come back in the reply. */
final class TrackRequests {
    private final Debugger debugger;

    TrackRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.TRACK_REQUEST, this::track);
    }

    /** The most instructions one {@code !track} runs: enough for a program's start, few enough to answer in seconds. */
    static final long MAX_TRACK = 0x1000_0000L;

    private CompletableFuture<Envelope.Builder> track(Envelope envelope) {
        TrackRequest request = envelope.getTrackRequest();
        if (request.getCount() == 0 || Long.compareUnsigned(request.getCount(), MAX_TRACK) > 0) {
            throw new WireFormatException("track count 0x" + Long.toHexString(request.getCount())
                    + " is out of range (1 .. 0x" + Long.toHexString(MAX_TRACK) + " instructions)");
        }
        return debugger.track(request.getCount(), request.getRegisters())
                .thenApply(track -> Envelope.newBuilder().setTrackReply(ExecutionCodec.encode(track)));
    }
}
