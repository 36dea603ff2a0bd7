package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordBatchReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;

/**
 * In front of the protobuf decoder: a frame that is a batch of records is read straight into records
 * ({@link RecordBatchReader}) and handed on as {@link RecordsRead}; every other frame, and any batch the reader is not
 * sure of, goes on to the protobuf decoder as before.
 */
final class RecordBatchDecoder extends ChannelInboundHandlerAdapter {
    /** A batch's records, read. */
    record RecordsRead(List<DebuggerRecord> records) {
    }

    private long batchesRead;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ByteBuf frame) {
            List<DebuggerRecord> records = RecordBatchReader.read(frame);
            if (records != null) {
                frame.release();
                batchesRead++;
                ctx.fireChannelRead(new RecordsRead(records));
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
