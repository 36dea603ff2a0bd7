package dev.hdbg.host.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The agent's address as the user typed it for {@code --connect}, rather than InetSocketAddress's "name/address:port". */
final class AgentAddress {
    private AgentAddress() {
    }

    /** HOST:PORT. */
    static String of(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
    }
}
