package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * setsockopt and getsockopt. A socket of the machine keeps what setsockopt set and getsockopt gives it back, switches
 * normalized to 1 as Linux does; the options that act here are SO_REUSEADDR, SO_REUSEPORT ({@link InetPorts}) and
 * IPV6_V6ONLY. The others (buffer sizes, keep-alive, TCP_NODELAY ...) change nothing a machine-local connection has,
 * and are taken. The levels a socket's family has: SOL_SOCKET for any, IPPROTO_IP and TCP's or UDP's for an Internet
 * socket, IPPROTO_IPV6 for an IPv6 one, SOL_NETLINK for a netlink one; ENOPROTOOPT for others, as Linux says. getsockopt also reports what a
 * socket is: SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR, SO_PEERCRED.
 */
final class SocketOptions {
    static final int SOL_SOCKET = 1;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    private static final int SO_TYPE = 3;
    private static final int SO_ERROR = 4;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_PEERCRED = 17;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    /**
     * SOL_NETLINK's switches, off until set: NETLINK_PKTINFO, NETLINK_BROADCAST_ERROR, NETLINK_NO_ENOBUFS,
     * NETLINK_LISTEN_ALL_NSID, NETLINK_CAP_ACK (which {@link NetlinkSocket} acts on), NETLINK_EXT_ACK,
     * NETLINK_GET_STRICT_CHK. NETLINK_ADD_MEMBERSHIP and NETLINK_DROP_MEMBERSHIP (1, 2) are taken by setsockopt alone.
     */
    private static final Map<Integer, Integer> NETLINK_DEFAULTS = Map.of(3, 0, 4, 0, 5, 0, 8, 0,
            NetlinkSocket.NETLINK_CAP_ACK, 0, 11, 0, 12, 0);
    /** Linux's default socket buffer size, which getsockopt reports for both directions. */
    private static final int BUFFER_SIZE = 212_992;
    /**
     * The options getsockopt gives back, by level, with their values before any setsockopt: SO_REUSEADDR,
     * SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE, SO_REUSEPORT; IP_TOS and IP_TTL; TCP_NODELAY, TCP_CORK,
     * TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_QUICKACK; IPV6_UNICAST_HOPS and IPV6_V6ONLY (net.ipv6.bindv6only's
     * default).
     */
    private static final Map<Integer, Map<Integer, Integer>> DEFAULTS = Map.of(
            SOL_SOCKET, Map.of(2, 0, 5, 0, 6, 0, 9, 0, 10, 0, 15, 0),
            IPPROTO_IP, Map.of(1, 0, 2, 64),
            IPPROTO_TCP, Map.of(1, 0, 3, 0, 4, 7200, 5, 75, 6, 9, 12, 1),
            IPPROTO_IPV6, Map.of(16, 64, IPV6_V6ONLY, 0),
            NetlinkSocket.SOL_NETLINK, NETLINK_DEFAULTS);
    /** The options that are switches: any value but 0 reads back as 1. */
    private static final Map<Integer, Set<Integer>> SWITCHES = Map.of(
            SOL_SOCKET, Set.of(2, 5, 6, 9, 10, 15),
            IPPROTO_TCP, Set.of(1, 3, 12),
            IPPROTO_IPV6, Set.of(IPV6_V6ONLY),
            NetlinkSocket.SOL_NETLINK, NETLINK_DEFAULTS.keySet());

    private final LinuxProcess process;

    SocketOptions(LinuxProcess process) {
        this.process = process;
    }

    /** setsockopt: kept on a socket of the machine (IPV6_V6ONLY only before bind: EINVAL after, as Linux says). */
    long set(int fd, int level, int option, long value, int length) {
        SocketFile socket = SocketSyscalls.socketOf(process.fds(), fd);
        checkLevel(socket, level);
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (level == SOL_SOCKET && SocketTimeouts.isTimeout(option)) {
            if (length < SocketTimeouts.TIMEVAL) {
                throw new SyscallException(Errno.EINVAL);
            }
            ByteBuffer timeval = UserMemory.struct(SocketTimeouts.TIMEVAL).put(process.user().read(value,
                    SocketTimeouts.TIMEVAL));
            socket.setTimeout(SocketTimeouts.receives(option), SocketTimeouts.jiffies(timeval.getLong(0),
                    timeval.getLong(8)));
        } else if (length >= 4) {
            if (level == IPPROTO_IPV6 && option == IPV6_V6ONLY && socket instanceof GuestSocket s
                    && s.address() != null) {
                throw new SyscallException(Errno.EINVAL);
            }
            int given = process.user().readInt(value);
            boolean isSwitch = SWITCHES.getOrDefault(level, Set.of()).contains(option);
            socket.setOption(level, option, isSwitch && given != 0 ? 1 : given);
        }
        return 0;
    }

    /** The levels the socket's family has: ENOPROTOOPT for others. */
    private static void checkLevel(OpenFile file, int level) {
        if (level == SOL_SOCKET || level == NetlinkSocket.SOL_NETLINK && file instanceof NetlinkSocket) {
            return;
        }
        boolean fits = file instanceof GuestSocket socket && socket.inet() && switch (level) {
            case IPPROTO_IP -> true;
            case IPPROTO_TCP -> socket.type == SocketSyscalls.SOCK_STREAM;
            case IPPROTO_UDP -> socket.type == MessagePair.SOCK_DGRAM;
            case IPPROTO_IPV6 -> socket.domain == InetEndpoint.AF_INET6;
            default -> false;
        };
        if (!fits) {
            throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    /** getsockopt: what setsockopt set, a default, or what the socket is; ENOPROTOOPT for an option not kept. */
    long get(int fd, int level, int option, long value, long lengthAddress) {
        SocketFile file = SocketSyscalls.socketOf(process.fds(), fd);
        checkLevel(file, level);
        boolean timeout = level == SOL_SOCKET && SocketTimeouts.isTimeout(option);
        ByteBuffer answer = UserMemory.struct(timeout ? SocketTimeouts.TIMEVAL
                : level == SOL_SOCKET && option == SO_PEERCRED ? 12 : 4);
        if (timeout) {
            long micros = SocketTimeouts.micros(file.timeout(SocketTimeouts.receives(option)));
            answer.putLong(micros / 1_000_000).putLong(micros % 1_000_000);
        } else if (level == SOL_SOCKET && !kept(level, option)) {
            describe(file, option, answer);
        } else if (kept(level, option)) {
            answer.putInt(file.option(level, option, DEFAULTS.get(level).get(option)));
        } else {
            throw new SyscallException(Errno.ENOPROTOOPT);
        }
        int room = process.user().readInt(lengthAddress);
        if (room < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] bytes = answer.array();
        process.user().write(value, Arrays.copyOf(bytes, Math.min(room, bytes.length)));
        process.user().writeInt(lengthAddress, Math.min(room, bytes.length));
        return 0;
    }

    private static boolean kept(int level, int option) {
        return DEFAULTS.getOrDefault(level, Map.of()).containsKey(option);
    }

    /** SOL_SOCKET's options that say what the socket is. */
    private static void describe(SocketFile file, int option, ByteBuffer answer) {
        GuestSocket socket = file instanceof GuestSocket s ? s : null;
        switch (option) {
            case SO_TYPE -> answer.putInt(switch (file) {
                case GuestSocket s -> s.type;
                case NetlinkSocket s -> s.type;
                case Connection c -> c.type();
                default -> SocketSyscalls.SOCK_STREAM;
            });
            case SO_DOMAIN -> answer.putInt(socket != null ? socket.domain
                    : file instanceof NetlinkSocket ? NetlinkSocket.AF_NETLINK : UnixAddresses.AF_UNIX);
            case SO_PROTOCOL -> answer.putInt(socket == null || !socket.inet() ? 0
                    : socket.type == SocketSyscalls.SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
            case SO_ERROR -> answer.putInt(file.takeError());
            case SO_ACCEPTCONN -> answer.putInt(socket != null && socket.listening() ? 1 : 0);
            case SO_SNDBUF, SO_RCVBUF -> answer.putInt(BUFFER_SIZE);
            case SO_PEERCRED -> peerCredentials(file, answer);
            default -> throw new SyscallException(Errno.ENOPROTOOPT);
        }
    }

    /**
     * SO_PEERCRED's struct ucred: the peer's pid ({@link Connection#peerPid}), running as the same user as every
     * process of the machine; a socket with no peer recorded (an Internet socket's) gives pid 0 and ids -1, as Linux's.
     */
    private static void peerCredentials(OpenFile file, ByteBuffer answer) {
        Connection connection = switch (file) {
            case Connection c -> c;
            case GuestSocket s when !s.inet() -> s.connection(); // Linux records no peer of an Internet socket
            default -> null;
        };
        long pid = connection == null ? 0 : connection.peerPid();
        if (pid == 0) {
            answer.putInt(0).putInt(-1).putInt(-1);
        } else {
            answer.putInt((int) pid).putInt(Credentials.UID).putInt(Credentials.GID);
        }
    }
}
