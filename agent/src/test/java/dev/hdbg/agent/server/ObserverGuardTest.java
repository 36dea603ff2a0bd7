package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.ContinueRequest;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.RecordsAck;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ObserverGuardTest {
    @Test
    void anObserverMayReadButEveryChangeIsRefusedAsReadOnly() {
        EmbeddedChannel channel = new EmbeddedChannel(new ObserverGuard());
        Envelope read = Envelope.newBuilder().setRequestId(1).setReadMemoryRequest(ReadMemoryRequest.getDefaultInstance()).build();
        Envelope ack = Envelope.newBuilder().setRecordsAck(RecordsAck.newBuilder().setThroughSeq(3)).build();

        channel.writeInbound(read, ack,
                Envelope.newBuilder().setRequestId(2).setContinueRequest(ContinueRequest.getDefaultInstance()).build(),
                Envelope.newBuilder().setRequestId(3).setAddEventRequest(AddEventRequest.getDefaultInstance()).build());

        assertThat((Envelope) channel.readInbound()).isEqualTo(read);
        assertThat((Envelope) channel.readInbound()).isEqualTo(ack);
        assertThat((Object) channel.readInbound()).isNull();
        for (long id : new long[] {2, 3}) {
            Envelope refusal = channel.readOutbound();
            assertThat(refusal.getRequestId()).isEqualTo(id);
            assertThat(refusal.getErrorReply()).isEqualTo(ErrorMapping.reply(ErrorCode.ERROR_CODE_READ_ONLY,
                    "this host is observing (--observe): it may read the target's state but not change it; attach "
                            + "without --observe, or with --takeover, to control it"));
        }
        channel.finishAndReleaseAll();
    }
}
