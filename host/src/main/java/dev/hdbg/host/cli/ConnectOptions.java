package dev.hdbg.host.cli;

import dev.hdbg.common.auth.Tokens;
import dev.hdbg.common.text.HostPort;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.tls.Fingerprints;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the agent is and how to authenticate and encrypt; shared by the host's modes and {@code .connect}. */
public final class ConnectOptions {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--connect", paramLabel = "HOST:PORT", description = "the agent to attach to (default: ${DEFAULT-VALUE})")
    String connect = "127.0.0.1:" + Protocol.DEFAULT_PORT;

    @Option(names = "--token", paramLabel = "SECRET", description = "the agent's token, when it was started with --token "
            + "or --token-file (visible to other users in ps: prefer --token-file)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the agent's token from FILE (one line)")
    Path tokenFile;

    @Option(names = "--takeover", description = "take control even when another host is attached; that host is told and disconnected")
    boolean takeover;

    @Option(names = "--observe", description = "watch without control: receive the records from now on and read state; "
            + "commands that would change anything are refused; any number of hosts may observe")
    boolean observe;

    @Option(names = "--dead-after", paramLabel = "SECONDS", description = "with nothing from the agent for this long "
            + "(the host pings it every quarter of this while idle), take the connection as dead, e.g. a dropped network "
            + "(default: ${DEFAULT-VALUE})")
    double deadAfterSeconds = ConnectSettings.DEFAULT_DEAD_AFTER.toSeconds();

    /** A day: a longer silence is no dead-link detection, and larger values overflow a Duration in milliseconds. */
    private static final long MAX_DEAD_AFTER_SECONDS = 86_400;

    /** An option's value as the user typed it (picocli has converted it), for messages in the user's own units. */
    private String typed(String option) {
        CommandLine.Model.OptionSpec spec = mixee.findOption(option);
        return spec == null || spec.originalStringValues().isEmpty() ? "?" : spec.originalStringValues().getLast();
    }

    /**
     * Everything the options say about connecting, but where to resume.
     *
     * @param notices where trust on first use says that it recorded an agent (standard error)
     */
    public ConnectSettings settings(Consumer<String> notices) {
        // NaN and infinity are doubles too; "!(x > 0)" refuses NaN where "x <= 0" would not
        if (!(deadAfterSeconds > 0) || deadAfterSeconds > MAX_DEAD_AFTER_SECONDS) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--dead-after " + typed("--dead-after")
                    + ": give a number of seconds above 0 and at most " + MAX_DEAD_AFTER_SECONDS + ", e.g. --dead-after 20");
        }
        return ConnectSettings.defaults().withToken(token()).withTls(tls(notices)).withMode(mode())
                .withDeadAfter(Duration.ofMillis(Math.round(deadAfterSeconds * 1000)));
    }

    /** How to attach: --takeover and --observe exclude each other. */
    public AttachMode mode() {
        if (takeover && observe) {
            throw new IllegalArgumentException("--takeover and --observe exclude each other: take control, or watch");
        }
        return takeover ? AttachMode.TAKEOVER : observe ? AttachMode.OBSERVE : AttachMode.CONTROL;
    }

    @Option(names = "--tls", description = "connect with TLS, to an agent started with --tls; without --fingerprint the agent's "
            + "certificate is trusted on first use: recorded in --known-agents, and checked on later connections")
    boolean tls;

    @Option(names = "--fingerprint", paramLabel = "SHA256:...", description = "trust only the agent whose certificate has this "
            + "fingerprint, as hdbg-agent --tls prints it at its start (implies --tls; known_agents is not used)")
    String fingerprint;

    @Option(names = "--known-agents", paramLabel = "FILE", description = "the agents trusted on first use, one 'HOST:PORT "
            + "SHA256:...' a line (default: $XDG_CONFIG_HOME/hdbg/known_agents, or ~/.config/hdbg/known_agents; implies --tls)")
    Path knownAgents;

    @Option(names = "--cert", paramLabel = "FILE", description = "for an agent started with --client-ca: this host's "
            + "certificate chain (PEM), issued by that CA; with --key (implies --tls)")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE", description = "the private key of --cert (PEM, unencrypted PKCS#8)")
    Path key;

    /** The agent's host; a --connect without a port means the default port. */
    public String host() {
        return address().host();
    }

    public int port() {
        return address().port();
    }

    private HostPort address() {
        return HostPort.parse("--connect", connect.indexOf(':') < 0 ? connect + ":" + Protocol.DEFAULT_PORT : connect);
    }

    public String token() {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give the token once: --token or --token-file, not both");
        }
        // The agent refuses to start with a token shorter than Tokens.MIN_LENGTH: such a token cannot be its own.
        if (tokenFile != null) {
            return Tokens.requireUsable(Tokens.read(tokenFile), "--token-file " + tokenFile);
        }
        return token == null ? null : Tokens.requireUsable(token, "--token");
    }

    /**
     * The TLS settings the options ask for, or null for clear text. Any TLS option implies {@code --tls}: a
     * fingerprint, a known_agents file or a client certificate means nothing over clear text.
     *
     * @param notices where trust on first use says that it recorded an agent (standard error)
     * @throws CommandLine.ParameterException for a malformed fingerprint, or --cert without --key or the reverse
     */
    public TlsSettings tls(Consumer<String> notices) {
        if (!tls && fingerprint == null && knownAgents == null && certificate == null && key == null) {
            return null;
        }
        if ((certificate == null) != (key == null)) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--cert FILE and --key FILE go together: the "
                    + "certificate and its private key");
        }
        TlsSettings settings;
        if (fingerprint != null) {
            try {
                settings = TlsSettings.pinned(Fingerprints.require(fingerprint, "--fingerprint"));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
            }
        } else {
            settings = TlsSettings.trustOnFirstUse(knownAgents != null ? knownAgents
                    : defaultKnownAgents(System.getenv(), Path.of(System.getProperty("user.home"))), notices);
        }
        return certificate == null ? settings : settings.withClientCertificate(certificate, key);
    }

    /** {@code $XDG_CONFIG_HOME/hdbg/known_agents}, or {@code HOME/.config/hdbg/known_agents} (XDG ignores a relative one). */
    static Path defaultKnownAgents(Map<String, String> environment, Path home) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("hdbg/known_agents");
    }
}
