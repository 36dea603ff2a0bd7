package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.RecordBatchReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;

/**
 * Before the protobuf parse: a frame that is a batch of records is read straight into records
 * ({@link RecordBatchReader}) and handed on as {@link RecordsRead}; every other frame, and any batch the reader is not
 * sure of, is parsed as an Envelope as before. The host's framing asks it first ({@link Framing.FrameReader}); as a
 * handler it does the same in front of a decoder of frames.
 */
final class RecordBatchDecoder extends ChannelInboundHandlerAdapter implements Framing.FrameReader {
    /** A batch's records, read. */
    record RecordsRead(List<DebuggerRecord> records) {
    }

    private long batchesRead;

    @Override
    public RecordsRead read(ByteBuf frame) {
        List<DebuggerRecord> records = RecordBatchReader.read(frame);
        if (records == null) {
            return null;
        }
        batchesRead++;
        return new RecordsRead(records);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf frame) {
            RecordsRead read = read(frame);
            if (read != null) {
                frame.release();
                ctx.fireChannelRead(read);
                return;
            }
        }
        ctx.fireChannelRead(message);
    }

    /** For the tests: batches this decoder read (the others took the general path). */
    long batchesRead() {
        return batchesRead;
    }
}
