package dev.hdbg.host.cli;

import dev.hdbg.common.wire.Protocol;
import dev.hdbg.host.client.AttachMode;
import dev.hdbg.host.client.ConnectSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the agent is and how to authenticate; shared by the host's modes. */
public final class ConnectOptions {
    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "the agent to attach to (default: ${DEFAULT-VALUE})")
    String connect = "127.0.0.1:" + Protocol.DEFAULT_PORT;

    @Option(names = "--token", paramLabel = "SECRET", description = "the agent's token, when it was started with --token")
    String token;

    @Option(names = "--takeover", description = "take control even when another host is attached; that host is told and disconnected")
    boolean takeover;

    @Option(names = "--observe", description = "watch without control: receive the records from now on and read state; "
            + "commands that would change anything are refused; any number of hosts may observe")
    boolean observe;

    @Option(names = "--dead-after", paramLabel = "SECONDS", description = "with nothing from the agent for this long "
            + "(the host pings it every quarter of this while idle), take the connection as dead, e.g. a dropped network "
            + "(default: ${DEFAULT-VALUE})")
    double deadAfterSeconds = ConnectSettings.DEFAULT_DEAD_AFTER.toSeconds();

    /** Everything the options say about connecting, but where to resume. */
    public ConnectSettings settings() {
        return ConnectSettings.defaults().withToken(token).withMode(mode())
                .withDeadAfter(Duration.ofMillis(Math.round(deadAfterSeconds * 1000)));
    }

    /** How to attach: --takeover and --observe exclude each other. */
    public AttachMode mode() {
        if (takeover && observe) {
            throw new IllegalArgumentException("--takeover and --observe exclude each other: take control, or watch");
        }
        return takeover ? AttachMode.TAKEOVER : observe ? AttachMode.OBSERVE : AttachMode.CONTROL;
    }

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
