package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.forward.EventForwarding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "output", description = {"Event forwarding (HyperDbg's output command): an event with output {NAME, ...}",
        "sends its log and buffer records to up to five outputs, one JSON object a line, instead of the screen.",
        "  output                              lists the outputs and their states",
        "  output create NAME file PATH        a file, appended to",
        "  output create NAME namedpipe FIFO   a named pipe (mkfifo FIFO)",
        "  output create NAME tcp HOST:PORT    a TCP connection",
        "  output open NAME                    opens the file or pipe, or connects",
        "  output close NAME                   closes it for good (records of its events are then dropped, said once)",
        "Example: output create MyOutput1 tcp 127.0.0.1:5000"})
final class OutputCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    OutputCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        EventForwarding forwarding = session.forwarding();
        if (args.isEmpty()) {
            List<String> lines = forwarding.list();
            out().note(lines.isEmpty() ? "no output sources (create one: output create NAME file PATH)" : String.join("\n", lines));
            return;
        }
        String verb = args.get(0).toLowerCase(Locale.ROOT);
        switch (verb) {
            case "create" -> {
                want(4, "output create NAME file PATH, output create NAME namedpipe FIFO or output create NAME tcp HOST:PORT");
                forwarding.create(args.get(1), args.get(2), args.get(3));
                out().note("output " + args.get(1) + " created (" + args.get(2).toLowerCase(Locale.ROOT) + " "
                        + args.get(3) + "); output open " + args.get(1) + " opens it");
            }
            case "open" -> {
                want(2, "output open NAME");
                String what = forwarding.open(args.get(1));
                out().note("output " + args.get(1) + " opened (" + what + ")");
            }
            case "close" -> {
                want(2, "output close NAME");
                String what = forwarding.close(args.get(1));
                out().note("output " + args.get(1) + " closed (" + what + ")");
            }
            default -> throw new IllegalArgumentException("output takes create, open or close, e.g. output create MyOutput1 file events.jsonl");
        }
        out().ok("output");
    }

    private void want(int count, String syntax) {
        if (args.size() != count) {
            throw new IllegalArgumentException("write " + syntax);
        }
    }
}
