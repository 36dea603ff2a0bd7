package dev.hdbg.agent.server;

import com.google.protobuf.UnsafeByteOperations;
import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ReadFileReply;
import dev.hdbg.proto.v1.ReadFileRequest;

/** Since 1.17: a file of the target's file system, read-only (gdb's host I/O through the bridge). */
final class FileRequests {
    private final Debugger debugger;

    FileRequests(Debugger debugger) {
        this.debugger = debugger;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.READ_FILE_REQUEST, request -> {
            ReadFileRequest read = request.getReadFileRequest();
            return debugger.readFile(read.getPath(), read.getOffset(), Integer.toUnsignedLong(read.getLength()))
                    .thenApply(part -> Envelope.newBuilder().setReadFileReply(ReadFileReply.newBuilder()
                            .setSize(part.size()).setData(UnsafeByteOperations.unsafeWrap(part.data()))));
        });
    }
}
