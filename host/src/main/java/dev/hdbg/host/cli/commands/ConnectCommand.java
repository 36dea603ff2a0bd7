package dev.hdbg.host.cli.commands;

import dev.hdbg.common.wire.Protocol;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.DebuggerClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = ".connect", description = {"Connects to an agent, dropping the current connection first; the command line's --token",
        "and TLS options (--tls, --fingerprint, --known-agents, --cert, --key) are reused.",
        "On failure the session stays disconnected.",
        "  .connect IP [PORT]   HyperDbg's form: PORT decimal, hdbg's " + Protocol.DEFAULT_PORT + " when omitted",
        "  .connect HOST:PORT",
        "  .connect local       the agent on this machine, 127.0.0.1:" + Protocol.DEFAULT_PORT,
        "Examples: .connect 127.0.0.1 7321   .connect 127.0.0.1:7321"})
final class ConnectCommand extends SessionCommand {
    @Parameters(arity = "1..2", paramLabel = "IP [PORT]")
    List<String> target = new ArrayList<>();

    ConnectCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() throws InterruptedException {
        String host;
        String port;
        if (target.size() == 2) {
            host = target.get(0);
            port = target.get(1);
        } else if (target.getFirst().equalsIgnoreCase("local")) {
            // HyperDbg's local debugging: here, the agent listening on this machine's default address.
            host = "127.0.0.1";
            port = String.valueOf(Protocol.DEFAULT_PORT);
        } else {
            String given = target.getFirst();
            int colon = given.lastIndexOf(':');
            boolean hostPort = colon > 0 && (given.indexOf(':') == colon || given.startsWith("["));
            host = hostPort ? given.substring(0, colon) : given;
            port = hostPort ? given.substring(colon + 1) : String.valueOf(Protocol.DEFAULT_PORT);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(".connect wants a decimal port, e.g. .connect 127.0.0.1 7321, not '" + port + "'");
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port " + number + " is out of range 1..65535");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(".connect wants IP [PORT] or HOST:PORT, e.g. .connect 127.0.0.1 7321");
        }
        DebuggerClient client = session.connect(host, number);
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]:" + number : host + ":" + number;
        out().connected(shown, session.await(client.status()));
    }
}
