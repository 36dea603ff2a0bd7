package dev.hdbg.agent.debugger;

import dev.hdbg.common.model.FilePart;
import dev.hdbg.common.wire.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Reads the target's files for a host (since protocol 1.17): what gdb's host I/O asks of the bridge, as gdbserver
 * serves it, so that gdb reads a dynamically linked program's libraries (and their symbols) as the target has them.
 * A path is the target's, resolved as the program's own {@code open} would resolve it, beneath its root; only regular
 * files, only reading. The reads run on a thread of their own, never the execution thread or an event loop.
 */
final class TargetFiles {
    /** Linux's PATH_MAX. */
    static final int MAX_PATH = 4096;

    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "hdbg-files");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code length} bytes (at most {@link Protocol#MAX_FILE_READ}; 0 for the size alone) of {@code path} from
     * {@code offset}.
     *
     * @param files the target's files by their absolute path (empty where there is no regular file); null for a target
     *              without files (a raw image)
     * @return a future failing with a {@link DebuggerException}: INVALID_ARGUMENT for a path that is not absolute or
     *         too long, NOT_FOUND where no regular file is, BAD_STATE for a target without files
     */
    CompletableFuture<FilePart> read(Function<String, Optional<Path>> files, String path, long offset, long length) {
        if (files == null) {
            return CompletableFuture.failedFuture(DebuggerException.badState("a raw image has no files (start the agent"
                    + " with --elf to debug a program with its file system)"));
        }
        if (!path.startsWith("/") || path.length() > MAX_PATH || path.indexOf('\0') >= 0) {
            return CompletableFuture.failedFuture(DebuggerException.invalid("a target's file is named by an absolute"
                    + " path of at most " + MAX_PATH + " characters, not '" + shortened(path) + "'"));
        }
        if (offset < 0 || length < 0) {
            return CompletableFuture.failedFuture(DebuggerException.invalid("offset and length are never negative"));
        }
        int wanted = (int) Math.min(length, Protocol.MAX_FILE_READ);
        return CompletableFuture.supplyAsync(() -> {
            Path host = files.apply(path).orElseThrow(() -> DebuggerException.notFound("the target has no regular file "
                    + shortened(path)));
            return readPart(host, path, offset, wanted);
        }, reader);
    }

    private static FilePart readPart(Path host, String path, long offset, int wanted) {
        try (FileChannel file = FileChannel.open(host, StandardOpenOption.READ)) {
            long size = file.size();
            int count = (int) Math.max(0, Math.min(wanted, size - offset));
            ByteBuffer data = ByteBuffer.allocate(count);
            while (data.hasRemaining() && file.read(data, offset + data.position()) > 0) {
                // a short read goes on where it stopped; 0 or -1 at the end (the file shrank meanwhile)
            }
            byte[] bytes = data.position() == count ? data.array() : java.util.Arrays.copyOf(data.array(), data.position());
            return new FilePart(size, bytes);
        } catch (IOException e) {
            throw DebuggerException.notFound("the target's file " + shortened(path) + " cannot be read: " + e.getMessage());
        }
    }

    /** {@code length} bytes (at most {@link Protocol#MAX_FILE_READ}) of {@code content} from {@code offset}. */
    static FilePart part(byte[] content, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw DebuggerException.invalid("offset and length are never negative");
        }
        int from = (int) Math.min(offset, content.length);
        int to = (int) Math.min(content.length, from + Math.min(length, Protocol.MAX_FILE_READ));
        return new FilePart(content.length, java.util.Arrays.copyOfRange(content, from, to));
    }

    private static String shortened(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
