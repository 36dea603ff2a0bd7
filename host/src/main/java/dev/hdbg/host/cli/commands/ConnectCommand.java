package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.DebuggerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = ".connect", description = {"Connects to an agent, dropping the current connection first; the command line's --token",
        "and TLS options (--tls, --fingerprint, --known-agents, --cert, --key) are reused.",
        "On failure the session stays disconnected.", "Example: .connect 127.0.0.1:7321"})
final class ConnectCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "HOST:PORT")
    String target;

    ConnectCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() throws InterruptedException {
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(".connect wants HOST:PORT, e.g. .connect 127.0.0.1:7321, not '" + target + "'");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(".connect wants a decimal port, e.g. .connect 127.0.0.1:7321, not '" + target + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        DebuggerClient client = session.connect(target.substring(0, colon), port);
        out().connected(target, session.await(client.status()));
    }
}
