package dev.hdbg.agent.server;

import dev.hdbg.common.auth.Tokens;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * How the agent listens.
 *
 * @param token       required from hosts when present, and then at least {@link Tokens#MIN_LENGTH} characters; on a
 *                    non-loopback address a token or mutual TLS is mandatory
 * @param once        exit after the first host session ends
 * @param tls         speak TLS (and with a client CA, require host certificates) when present
 * @param hostTimeout how long a host that pings (protocol 1.5) may stay silent before its connection is taken as
 *                    dead and closed; also how long a new connection has to say Hello
 */
public record ServerOptions(String host, int port, Optional<String> token, boolean once, Optional<ServerTls> tls,
                            Duration hostTimeout) {
    public static final Duration DEFAULT_HOST_TIMEOUT = Duration.ofSeconds(60);

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (hostTimeout.isNegative() || hostTimeout.isZero()) {
            throw new IllegalArgumentException("the host timeout must be positive, got " + hostTimeout);
        }
        requireAuthentication(host, token, tls.map(ServerTls::mutual).orElse(false));
    }

    /**
     * What the agent demands of its authentication before it creates anything (a TLS key pair, a socket): a token, when
     * given, that could not be guessed, on every address; and on an address other machines reach, a token or mutual TLS.
     *
     * @throws IllegalArgumentException saying what to pass
     */
    public static void requireAuthentication(String host, Optional<String> token, boolean mutualTls) {
        token.ifPresent(t -> Tokens.requireUsable(t, "the token"));
        if (token.isEmpty() && !isLoopback(host) && !mutualTls) {
            throw new IllegalArgumentException("listening on " + host + " makes the agent reachable from other machines, "
                    + "and it runs code hosts send: pass --token-file FILE or --token SECRET (hosts then pass the same "
                    + "token), or require host certificates with --client-ca FILE");
        }
    }

    /** With the default host timeout. */
    public ServerOptions(String host, int port, Optional<String> token, boolean once, Optional<ServerTls> tls) {
        this(host, port, token, once, tls, DEFAULT_HOST_TIMEOUT);
    }

    /** Clear text, as before TLS, with the default host timeout. */
    public ServerOptions(String host, int port, Optional<String> token, boolean once) {
        this(host, port, token, once, Optional.empty());
    }

    /** Whether other machines can reach the agent: what the token and the clear-text warning are about. */
    public boolean reachableFromOtherMachines() {
        return !isLoopback(host);
    }

    /** Whether what hosts and the agent say crosses a network unencrypted: reachable, and no TLS. */
    public boolean clearTextToOtherMachines() {
        return reachableFromOtherMachines() && tls.isEmpty();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
