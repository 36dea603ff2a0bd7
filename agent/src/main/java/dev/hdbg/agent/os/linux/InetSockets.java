package dev.hdbg.agent.os.linux;

import java.util.List;

/**
 * One process's Internet sockets (IPv4 and IPv6, TCP and UDP) on the machine's one network interface, its loopback:
 * the addresses it passes read and checked, bind and the ports the machine chooses ({@link InetPorts}), a TCP
 * connect to a socket of the machine listening there, a UDP socket's connect. An address beyond the machine is
 * unreachable (ENETUNREACH, with a notice): like the files beneath the root, the machine's network is its own, so a
 * program's run stays the same from one run to the next, and a client and a server of the same program meet.
 */
final class InetSockets {
    private final LinuxProcess process;
    private boolean toldUnreachable;

    InetSockets(LinuxProcess process) {
        this.process = process;
    }

    private InetPorts ports() {
        return process.table().sockets().inet();
    }

    /** The sockaddr at {@code address} given to a socket of {@code domain} ({@link InetEndpoint#parse}). */
    InetEndpoint read(long address, int length, int domain) {
        if (length < 0 || length > 128) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] raw = process.user().read(address, length);
        if (domain == InetEndpoint.AF_INET && raw.length >= InetEndpoint.SOCKADDR_IN && SocketFile.family(raw) == 0) {
            InetEndpoint unspecified = InetEndpoint.parse(withFamily(raw), domain);
            if (unspecified.any()) {
                return unspecified; // AF_UNSPEC with INADDR_ANY: Linux's bind takes it as AF_INET's, port and all
            }
        }
        return InetEndpoint.parse(raw, domain);
    }

    private static byte[] withFamily(byte[] raw) {
        byte[] copy = raw.clone();
        copy[0] = InetEndpoint.AF_INET;
        return copy;
    }

    /**
     * Where a connect or a send of a socket of {@code domain} goes: the machine itself for a loopback or any address
     * (the any address reaching the loopback, as on Linux); ENETUNREACH beyond it, and for a v4-mapped address on an
     * IPv6-only socket, as Linux says.
     */
    InetEndpoint destination(GuestSocket socket, long address, int length) {
        InetEndpoint to = read(address, length, socket.domain);
        if (to.v4Mapped() && v6Only(socket)) {
            throw new SyscallException(Errno.ENETUNREACH);
        }
        if (!to.local()) {
            if (!toldUnreachable) {
                toldUnreachable = true;
                process.io().notice("a connect or send went to " + to + ", beyond the machine: its only network is "
                        + "its loopback (127.0.0.1, ::1), so it returned ENETUNREACH");
            }
            throw new SyscallException(Errno.ENETUNREACH);
        }
        return to.any() ? to.loopbackOfItsVersion(to.port()) : to;
    }

    /** IPV6_V6ONLY, as setsockopt left it (net.ipv6.bindv6only's default: off). */
    static boolean v6Only(GuestSocket socket) {
        return socket.domain == InetEndpoint.AF_INET6 && socket.option(SocketOptions.IPPROTO_IPV6,
                SocketOptions.IPV6_V6ONLY, 0) != 0;
    }

    /**
     * bind: an address of the machine (EADDRNOTAVAIL for others), port 0 for one the machine chooses; EINVAL when
     * named already, or for a v4-mapped address on an IPv6-only socket.
     */
    void bind(GuestSocket socket, long address, int length) {
        if (socket.address() != null) {
            throw new SyscallException(Errno.EINVAL);
        }
        InetEndpoint local = read(address, length, socket.domain);
        if (local.v4Mapped() && v6Only(socket)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (!local.local()) {
            throw new SyscallException(Errno.EADDRNOTAVAIL);
        }
        bindAt(socket, local, ports());
    }

    private static void bindAt(GuestSocket socket, InetEndpoint local, InetPorts ports) {
        boolean stream = socket.type == SocketSyscalls.SOCK_STREAM;
        List<Boolean> versions = InetPorts.versions(socket.domain, local, v6Only(socket));
        InetPorts.Bound bound = ports.bind(socket, stream, local, versions);
        socket.bind(local.withPort(bound.port()).sockaddr(socket.domain), bound.unbind());
    }

    /** An unnamed socket gets a port the machine chooses at the any address: at listen, connect and a first send. */
    static void autobind(GuestSocket socket, InetPorts ports) {
        if (socket.address() == null) {
            bindAt(socket, InetEndpoint.unnamed(socket.domain), ports);
        }
    }

    void autobind(GuestSocket socket) {
        autobind(socket, ports());
    }

    /** Before a TCP socket listens: a port if it has none, and none it shares by SO_REUSEADDR alone (EADDRINUSE). */
    void beforeListen(GuestSocket socket) {
        autobind(socket);
        InetEndpoint local = local(socket);
        ports().checkListen(socket, local, InetPorts.versions(socket.domain, local, v6Only(socket)));
    }

    /** The socket's own address: the any address and port 0 while unnamed. */
    static InetEndpoint local(GuestSocket socket) {
        return socket.address() == null ? InetEndpoint.unnamed(socket.domain)
                : InetEndpoint.parse(socket.address(), socket.domain);
    }

    /**
     * What a socket sending to {@code to} sends from: its own address, or where it is the any address, the loopback
     * address of {@code to}'s IP version, as Linux chooses a source address by route.
     */
    static InetEndpoint source(GuestSocket socket, InetEndpoint to) {
        InetEndpoint local = local(socket);
        if (!local.any()) {
            return local;
        }
        return to.loopbackOfItsVersion(local.port());
    }

    /**
     * A TCP connect: to the socket of the machine listening at the destination, through a new stream pair whose other
     * end waits in the listener's queue; ECONNREFUSED when none listens there. An unnamed client gets a port first;
     * its address becomes the one it sends from.
     */
    void connectStream(GuestSocket socket, long address, int length) {
        if (socket.connecting()) {
            socket.finishConnect();
            return;
        }
        if (socket.connection() != null || socket.listening()) {
            throw new SyscallException(Errno.EISCONN);
        }
        InetEndpoint to = destination(socket, address, length);
        GuestSocket listener = ports().find(true, to);
        boolean nonBlocking = socket.nonBlocking();
        if (listener == null) {
            if (nonBlocking) { // Linux's handshake is under way when connect returns, and ends refused
                socket.connectingWith(Errno.ECONNREFUSED);
                throw new SyscallException(Errno.EINPROGRESS);
            }
            throw new SyscallException(Errno.ECONNREFUSED);
        }
        if (!listener.hasRoom()) {
            throw Blocked.unlessNonBlocking(socket, listener);
        }
        autobind(socket);
        InetEndpoint from = source(socket, to);
        socket.rename(from.sockaddr(socket.domain));
        Scheduler scheduler = process.scheduler();
        Connection[] ends = Connection.tcpPair(scheduler);
        GuestSocket.Pending theirs = new GuestSocket.Pending(ends[1], to.sockaddr(listener.domain),
                from.sockaddr(listener.domain));
        socket.connectTo(listener, ends[0], theirs, to.sockaddr(socket.domain), process.config().pid());
        scheduler.wakeAll(listener, ReadyWait.CHANNEL); // an accept waiting, a poll on the listener
        if (nonBlocking) { // as on Linux, even on the loopback: connect again, or SO_ERROR, says it connected
            socket.connectingWith(0);
            throw new SyscallException(Errno.EINPROGRESS);
        }
    }

    /**
     * A UDP socket's connect: its sends without an address go to the destination and it hears only it; an unnamed
     * socket gets a port first. (AF_UNSPEC, which undoes it, is every datagram socket's: ConnectionSyscalls.)
     */
    void connectDatagrams(GuestSocket socket, long address, int length) {
        InetEndpoint to = destination(socket, address, length);
        autobind(socket);
        InetEndpoint from = source(socket, to);
        socket.rename(from.sockaddr(socket.domain));
        socket.connectDatagrams(to.sockaddr(socket.domain));
    }

    /** A new UDP socket's end routes its datagrams through the machine's ports. */
    void route(GuestSocket socket) {
        socket.datagrams().routeThrough(new InetDatagrams(socket, ports()));
    }
}
