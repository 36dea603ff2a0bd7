package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.Loopback;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An Internet socket address, IPv4 or IPv6, as sockaddr_in (16 bytes) and sockaddr_in6 (28 bytes) hold it: the
 * address in network order (4 or 16 bytes) and the port. The machine has one network interface, its loopback: an
 * address is local when it is a loopback one (127.0.0.0/8, ::1) or the any address (0.0.0.0, ::), which a connect
 * takes for the machine itself, as Linux does; an IPv4 address inside an IPv6 socket is v4-mapped (::ffff:a.b.c.d).
 *
 * @param ip   4 bytes (IPv4) or 16 (IPv6), network order
 * @param port host order, 0 to 65535
 */
record InetEndpoint(byte[] ip, int port) {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** sizeof(struct sockaddr_in). */
    static final int SOCKADDR_IN = 16;
    /** sizeof(struct sockaddr_in6). */
    static final int SOCKADDR_IN6 = 28;
    /** The shortest sockaddr_in6 Linux takes (RFC 2133's, without sin6_scope_id). */
    static final int SOCKADDR_IN6_RFC2133 = 24;
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

    /** The any address of {@code domain}, port 0: an unnamed socket's getsockname. */
    static InetEndpoint unnamed(int domain) {
        return new InetEndpoint(new byte[domain == AF_INET ? 4 : 16], 0);
    }

    /** The loopback address of {@code domain} ({@code 127.0.0.1} or {@code ::1}) with {@code port}. */
    static InetEndpoint loopback(int domain, int port) {
        return new InetEndpoint(domain == AF_INET ? Loopback.IPV4 : Loopback.IPV6, port);
    }

    /**
     * The sockaddr in {@code raw}, given to a socket of {@code domain}: EINVAL when too short for the domain's, as
     * Linux says; EAFNOSUPPORT for another family.
     */
    static InetEndpoint parse(byte[] raw, int domain) {
        int shortest = domain == AF_INET ? SOCKADDR_IN : SOCKADDR_IN6_RFC2133;
        if (raw.length < shortest) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (SocketFile.family(raw) != domain) {
            throw new SyscallException(Errno.EAFNOSUPPORT);
        }
        int port = (raw[2] & 0xff) << 8 | raw[3] & 0xff;
        return new InetEndpoint(Arrays.copyOfRange(raw, domain == AF_INET ? 4 : 8, domain == AF_INET ? 8 : 24), port);
    }

    boolean v6() {
        return ip.length == 16;
    }

    /** An IPv6 address that holds an IPv4 one (::ffff:a.b.c.d). */
    boolean v4Mapped() {
        return v6() && Arrays.equals(ip, 0, 12, V4_MAPPED_PREFIX, 0, 12);
    }

    /** Whether it reaches IPv4 sockets: an IPv4 address, or a v4-mapped one. */
    boolean ipv4() {
        return !v6() || v4Mapped();
    }

    /** Its IPv4 address: itself, or the one a v4-mapped address holds. */
    InetEndpoint asIpv4() {
        return v6() ? new InetEndpoint(Arrays.copyOfRange(ip, 12, 16), port) : this;
    }

    /** 0.0.0.0, ::, or ::ffff:0.0.0.0. */
    boolean any() {
        byte[] address = ipv4() ? asIpv4().ip : ip;
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** 127.0.0.0/8 (also v4-mapped) or ::1. */
    boolean loopback() {
        return ipv4() ? asIpv4().ip[0] == 127 : Arrays.equals(ip, Loopback.IPV6);
    }

    /** Whether it names this machine: a loopback address, or the any address. */
    boolean local() {
        return loopback() || any();
    }

    /** Whether the two name the same IP address, an IPv4 one v4-mapped or not, whatever their ports. */
    boolean sameAddress(InetEndpoint other) {
        if (ipv4() != other.ipv4()) {
            return false;
        }
        return ipv4() ? Arrays.equals(asIpv4().ip, other.asIpv4().ip) : Arrays.equals(ip, other.ip);
    }

    /** The loopback address of its IP version (127.0.0.1, a v4-mapped one's too, or ::1) with {@code newPort}. */
    InetEndpoint loopbackOfItsVersion(int newPort) {
        return loopback(ipv4() ? AF_INET : AF_INET6, newPort);
    }

    InetEndpoint withPort(int newPort) {
        return new InetEndpoint(ip, newPort);
    }

    /** The sockaddr bytes of it for a socket of {@code domain}: an IPv4 address v4-mapped for an IPv6 socket. */
    byte[] sockaddr(int domain) {
        ByteBuffer out = ByteBuffer.allocate(domain == AF_INET ? SOCKADDR_IN : SOCKADDR_IN6);
        out.order(ByteOrder.LITTLE_ENDIAN).putShort((short) domain);
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (domain == AF_INET) {
            out.put(asIpv4().ip);
        } else {
            out.putInt(0); // sin6_flowinfo
            if (v6()) {
                out.put(ip);
            } else {
                out.put(V4_MAPPED_PREFIX).put(ip);
            }
        }
        return out.array();
    }

    /** How a notice names it: {@code 127.0.0.1:80}, {@code [::1]:80}. */
    @Override
    public String toString() {
        if (!v6()) {
            return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff) + ":" + port;
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < 16; i += 2) {
            text.append(i == 0 ? "" : ":").append(Integer.toHexString((ip[i] & 0xff) << 8 | ip[i + 1] & 0xff));
        }
        return text.append("]:").append(port).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InetEndpoint that && port == that.port && Arrays.equals(ip, that.ip);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ip) * 31 + port;
    }
}
