package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's framing: which frames its record reader is asked about. */
class ClientFramingTest {
    @Test
    void aReplyIsParsedWithoutAskingTheRecordReaderAndABatchIsAsked() {
        // The record reader copies a frame out of direct memory before it looks at it; a reply never is a batch.
        List<Integer> asked = new ArrayList<>();
        RecordBatchDecoder records = new RecordBatchDecoder();
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientChannelInitializer.addFraming(channel.pipeline(), frame -> {
            asked.add(frame.readableBytes());
            return records.read(frame);
        });
        Envelope reply = Envelope.newBuilder().setRequestId(7).setStatusReply(StatusReply.getDefaultInstance()).build();
        Envelope batch = Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                .addRecords(RecordCodec.encode(new DebuggerRecord.ActionError(1, 1, 1, "r1")))).build();

        channel.writeInbound(Framing.frame(reply), Framing.frame(batch));

        assertThat((Envelope) channel.readInbound()).isEqualTo(reply);
        assertThat((Object) channel.readInbound()).isInstanceOf(RecordBatchDecoder.RecordsRead.class);
        assertThat(asked).containsExactly(batch.getSerializedSize());
        assertThat(records.batchesRead()).isEqualTo(1);
    }

    @Test
    void aBatchTheReaderIsNotSureOfIsParsedAsAnEnvelope() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientChannelInitializer.addFraming(channel.pipeline(), frame -> null);
        Envelope batch = Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                .addRecords(RecordCodec.encode(new DebuggerRecord.ActionError(1, 1, 1, "r1")))).build();
        channel.writeInbound(Framing.frame(batch));
        assertThat((Envelope) channel.readInbound()).isEqualTo(batch);
    }
}
