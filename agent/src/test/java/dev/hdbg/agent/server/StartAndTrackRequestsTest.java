package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.StartRequest;
import dev.hdbg.proto.v1.TrackRequest;
import org.junit.jupiter.api.Test;

/** What a host sends for .start and !track is checked before the debugger sees it (protocol 1.8). */
class StartAndTrackRequestsTest {
    // The checks come first: the debugger, null here, is never reached by a refused request.
    private final RequestRoutes routes = RequestRoutes.of((dev.hdbg.agent.debugger.Debugger) null);

    private void refused(Envelope.Builder request, String message) {
        assertThatThrownBy(() -> routes.route(request.build())).isInstanceOf(WireFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aStartWithArgumentsNeedsAPathAndNoNulOrHugeText() {
        refused(Envelope.newBuilder().setStartRequest(StartRequest.newBuilder().addArgs("-l")), "need the program's path");
        refused(Envelope.newBuilder().setStartRequest(StartRequest.newBuilder().setPath("/bin/ls\0x")), "NUL");
        refused(Envelope.newBuilder().setStartRequest(StartRequest.newBuilder().setPath("/" + "a".repeat(5000))),
                "longer than 4096");
        StartRequest.Builder many = StartRequest.newBuilder().setPath("/bin/ls");
        for (int i = 0; i < 1025; i++) {
            many.addArgs("x");
        }
        refused(Envelope.newBuilder().setStartRequest(many), "1025 arguments; at most 1024");
    }

    @Test
    void aTrackCountIsOneToTheMost() {
        refused(Envelope.newBuilder().setTrackRequest(TrackRequest.newBuilder().setCount(0)), "out of range");
        refused(Envelope.newBuilder().setTrackRequest(TrackRequest.newBuilder().setCount(-1L)), "out of range");
        refused(Envelope.newBuilder().setTrackRequest(TrackRequest.newBuilder().setCount(0x1000_0001L)),
                "out of range (1 .. 0x10000000 instructions)");
    }
}
