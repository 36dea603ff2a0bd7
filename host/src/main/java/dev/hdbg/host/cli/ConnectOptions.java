package dev.hdbg.host.cli;

import dev.hdbg.common.wire.Protocol;
import picocli.CommandLine.Option;

/** Where the agent is and how to authenticate; shared by the host's modes. */
public final class ConnectOptions {
    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "the agent to attach to (default: ${DEFAULT-VALUE})")
    String connect = "127.0.0.1:" + Protocol.DEFAULT_PORT;

    @Option(names = "--token", paramLabel = "SECRET", description = "the agent's token, when it was started with --token")
    String token;

    public String host() {
        int colon = connect.lastIndexOf(':');
        return colon < 0 ? connect : connect.substring(0, colon);
    }

    public int port() {
        int colon = connect.lastIndexOf(':');
        if (colon < 0) {
            return Protocol.DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(connect.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--connect wants HOST:PORT with a decimal port, got '" + connect + "'");
        }
    }

    public String token() {
        return token;
    }
}
