package dev.hdbg.host.cli.commands;

import dev.hdbg.common.wire.Protocol;
import dev.hdbg.host.cli.DebugSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code .dump FROM TO [pid PID] path PATH}: guest memory [FROM, TO) into a file on the host, read a page
 * of {@link Protocol#MAX_MEMORY_READ} at a time. The range must be mapped throughout; nothing is written otherwise.
 */
@Command(name = ".dump", description = {"Saves guest memory [FROM, TO) into a file on the host: .dump FROM TO path"
        + " PATH (pid PID is accepted: the agent has one process).", "Example: .dump 400000 401000 path code.bin"})
final class DumpCommand extends SessionCommand {
    /** A dump larger than this is refused: 1 GiB, the most a target image may map. */
    private static final long MAX_BYTES = 1L << 30;
    private static final String EXAMPLE = "e.g. .dump 400000 401000 path code.bin";

    @Parameters(arity = "4..6", paramLabel = "FROM TO [pid PID] path PATH")
    List<String> args = new ArrayList<>();

    DumpCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() throws IOException {
        int path = args.size() - 2;
        if (!args.get(path).equalsIgnoreCase("path") || args.size() == 6 && !args.get(2).equalsIgnoreCase("pid")
                || args.size() == 5) {
            throw new IllegalArgumentException(".dump takes FROM TO [pid PID] path PATH, " + EXAMPLE);
        }
        long from = session.evaluate(args.get(0));
        long to = session.evaluate(args.get(1));
        long length = to - from;
        if (Long.compareUnsigned(to, from) <= 0 || Long.compareUnsigned(length, MAX_BYTES) > 0) {
            throw new IllegalArgumentException(".dump needs FROM below TO and at most 1 GiB between them, " + EXAMPLE);
        }
        Path file = Path.of(args.get(path + 1)).toAbsolutePath();
        // Written beside the file and moved over it at the end: an unmapped page leaves no half dump behind.
        Path partial;
        try {
            partial = Files.createTempFile(file.getParent(), ".dump", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(".dump: cannot write in " + file.getParent() + " (" + e.getMessage() + ")", e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                for (long done = 0; done < length; done += Protocol.MAX_MEMORY_READ) {
                    int n = (int) Math.min(Protocol.MAX_MEMORY_READ, length - done);
                    out.write(session.await(session.client().readMemory(from + done, n)));
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(".dump: cannot write " + file + " (" + e.getMessage() + ")", e);
        } finally {
            Files.deleteIfExists(partial);
        }
        out().dumped(file.toString(), length);
    }
}
