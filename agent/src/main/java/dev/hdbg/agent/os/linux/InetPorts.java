package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's TCP and UDP ports, shared by its processes: which Internet sockets are bound to each, by protocol and
 * by IP version (an IPv6 socket bound to {@code ::} without IPV6_V6ONLY holds the port in both, as Linux's dual-stack
 * sockets do; one bound to a v4-mapped address holds it in IPv4's). Two sockets may share a port when their addresses
 * differ and neither is the any address, when both set SO_REUSEPORT, or when both set SO_REUSEADDR and (for TCP)
 * neither listens, as Linux decides; ports the machine chooses come from Linux's default
 * {@code net.ipv4.ip_local_port_range}, 32768 to 60999.
 */
final class InetPorts {
    static final int FIRST_EPHEMERAL = 32768;
    static final int LAST_EPHEMERAL = 60999;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_REUSEPORT = 15;

    /** Where a socket is bound: its protocol, IP version and port. */
    private record Slot(boolean stream, boolean ipv4, int port) {
    }

    /** A socket bound to a slot, at {@code local}. */
    private record Holder(GuestSocket socket, InetEndpoint local) {
    }

    private final Map<Slot, List<Holder>> bound = new HashMap<>();
    private int lastChosen = LAST_EPHEMERAL;

    /**
     * The IP versions a socket of {@code domain} bound to {@code local} holds its port in: IPv4 for an IPv4 socket or a
     * v4-mapped address, both for an IPv6 socket at {@code ::} that is not IPv6-only, else IPv6.
     */
    static List<Boolean> versions(int domain, InetEndpoint local, boolean v6Only) {
        if (domain == InetEndpoint.AF_INET || local.v4Mapped()) {
            return List.of(true);
        }
        return local.any() && !v6Only ? List.of(true, false) : List.of(false);
    }

    /**
     * Binds {@code socket} (of {@code stream} type) at {@code local} in {@code versions}: port 0 takes a free port the
     * machine chooses. EADDRINUSE when the port is taken, or no port is free. Returns the port, and what forgets it.
     */
    Bound bind(GuestSocket socket, boolean stream, InetEndpoint local, List<Boolean> versions) {
        int port = local.port();
        if (port == 0) {
            port = free(socket, stream, local, versions);
        } else if (!fits(socket, stream, local, versions, port)) {
            throw new SyscallException(Errno.EADDRINUSE);
        }
        List<Slot> slots = new ArrayList<>();
        for (boolean ipv4 : versions) {
            Slot slot = new Slot(stream, ipv4, port);
            Holder holder = new Holder(socket, local.withPort(port));
            bound.computeIfAbsent(slot, s -> new ArrayList<>()).add(holder);
            slots.add(slot);
        }
        return new Bound(port, () -> slots.forEach(slot -> {
            List<Holder> holders = bound.get(slot);
            holders.removeIf(h -> h.socket() == socket);
            if (holders.isEmpty()) {
                bound.remove(slot);
            }
        }));
    }

    /** A bind's port and what forgets it when its socket closes. */
    record Bound(int port, Runnable unbind) {
    }

    /** A free port of the ephemeral range, the next after the last chosen; EADDRINUSE when none is. */
    private int free(GuestSocket socket, boolean stream, InetEndpoint local, List<Boolean> versions) {
        int range = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        for (int tried = 0; tried < range; tried++) {
            lastChosen = lastChosen == LAST_EPHEMERAL ? FIRST_EPHEMERAL : lastChosen + 1;
            if (fits(socket, stream, local, versions, lastChosen)) {
                return lastChosen;
            }
        }
        throw new SyscallException(Errno.EADDRINUSE);
    }

    /** Whether {@code socket} may bind {@code port} beside the sockets already there, as Linux decides. */
    private boolean fits(GuestSocket socket, boolean stream, InetEndpoint local, List<Boolean> versions, int port) {
        for (boolean ipv4 : versions) {
            for (Holder holder : bound.getOrDefault(new Slot(stream, ipv4, port), List.of())) {
                if (overlap(holder.local(), local) && !shareable(holder.socket(), socket, stream)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * listen: EADDRINUSE when a socket that shares the port by SO_REUSEADDR alone already listens, as Linux checks
     * again at listen.
     */
    void checkListen(GuestSocket socket, InetEndpoint local, List<Boolean> versions) {
        for (boolean ipv4 : versions) {
            for (Holder holder : bound.getOrDefault(new Slot(true, ipv4, local.port()), List.of())) {
                if (holder.socket() != socket && overlap(holder.local(), local)
                        && !shareable(holder.socket(), socket, true)) {
                    throw new SyscallException(Errno.EADDRINUSE);
                }
            }
        }
    }

    /** Two addresses meet when either is the any address or they are the same. */
    private static boolean overlap(InetEndpoint a, InetEndpoint b) {
        return a.any() || b.any() || a.sameAddress(b);
    }

    private static boolean shareable(GuestSocket held, GuestSocket asking, boolean stream) {
        if (set(held, SO_REUSEPORT) && set(asking, SO_REUSEPORT)) {
            return true;
        }
        return set(held, SO_REUSEADDR) && set(asking, SO_REUSEADDR) && (!stream || !held.listening());
    }

    private static boolean set(GuestSocket socket, int option) {
        return socket.option(SOL_SOCKET, option, 0) != 0;
    }

    /**
     * The socket that a connect (a listening stream socket) or a datagram (the latest bound datagram socket) sent to
     * {@code destination} reaches, or null: one whose address is the destination's or the any address.
     */
    GuestSocket find(boolean stream, InetEndpoint destination) {
        List<Holder> holders = bound.getOrDefault(new Slot(stream, destination.ipv4(), destination.port()), List.of());
        GuestSocket found = null;
        for (Holder holder : holders) {
            boolean reached = holder.local().any() || holder.local().sameAddress(destination);
            if (reached && (!stream || holder.socket().listening())) {
                found = holder.socket();
                if (stream) {
                    break;
                }
            }
        }
        return found;
    }
}
