package dev.hdbg.agent.os.linux;

/**
 * Where the machine's sockets are found by name, one table per family, shared by all its processes: Unix socket names
 * (paths and abstract names), TCP and UDP ports on the loopback, netlink port ids.
 */
record SocketNames(UnixSocketNames unix, InetPorts inet, NetlinkPorts netlink) {
    SocketNames() {
        this(new UnixSocketNames(), new InetPorts(), new NetlinkPorts());
    }
}
