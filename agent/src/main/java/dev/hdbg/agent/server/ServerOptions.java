package dev.hdbg.agent.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * How the agent listens.
 *
 * @param token required from hosts when present; mandatory on a non-loopback address
 * @param once  exit after the first host session ends
 * @param hostTimeout how long a host that pings (protocol 1.5) may stay silent before its connection is taken as
 *                    dead and closed; also how long a new connection has to say Hello
 */
public record ServerOptions(String host, int port, Optional<String> token, boolean once, Duration hostTimeout) {
    public static final Duration DEFAULT_HOST_TIMEOUT = Duration.ofSeconds(60);

    public ServerOptions(String host, int port, Optional<String> token, boolean once) {
        this(host, port, token, once, DEFAULT_HOST_TIMEOUT);
    }

    public ServerOptions {
        if (hostTimeout.isNegative() || hostTimeout.isZero()) {
            throw new IllegalArgumentException("the host timeout must be positive, got " + hostTimeout);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (token.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("listening on " + host + " makes the agent reachable from other machines, "
                    + "and it runs code hosts send: pass --token SECRET (hosts then pass the same --token)");
        }
    }

    /** Whether other machines can reach the agent: what the token and the clear-text warning are about. */
    public boolean reachableFromOtherMachines() {
        return !isLoopback(host);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
