package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.SocketTables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The machine's sockets as {@code /proc/net} lists them ({@link SocketTables}): every socket some process of the machine
 * has open, once however many descriptors share it; an Internet socket once it has a name, as Linux lists only hashed
 * ones, a Unix socket always (socketpair's too).
 */
final class MachineSockets {
    private final List<SocketFile> sockets;

    private MachineSockets(List<SocketFile> sockets) {
        this.sockets = sockets;
    }

    /** The sockets open in {@code table}'s processes now, in process and descriptor order. */
    static MachineSockets of(ProcessTable table) {
        Set<SocketFile> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SocketFile> sockets = new ArrayList<>();
        for (LinuxProcess process : table.all()) {
            if (process.ended()) {
                continue;
            }
            for (int fd : process.fds().open()) {
                if (process.fds().get(fd) instanceof SocketFile s && seen.add(s)) {
                    sockets.add(s);
                }
            }
        }
        return new MachineSockets(sockets);
    }

    /**
     * The text of {@code /proc/net/NAME} for these sockets: tcp, tcp6, udp, udp6, unix, or the counts of sockstat and
     * sockstat6 ({@code ss -s}); null for another name.
     */
    String text(String name) {
        return switch (name) {
            case "tcp" -> SocketTables.inet(true, false, inet(true, InetEndpoint.AF_INET));
            case "tcp6" -> SocketTables.inet(true, true, inet(true, InetEndpoint.AF_INET6));
            case "udp" -> SocketTables.inet(false, false, inet(false, InetEndpoint.AF_INET));
            case "udp6" -> SocketTables.inet(false, true, inet(false, InetEndpoint.AF_INET6));
            case "unix" -> SocketTables.unix(unix());
            case "sockstat" -> SocketTables.sockstat(sockets.size(), inet(true, InetEndpoint.AF_INET).size(),
                    count(true), inet(false, InetEndpoint.AF_INET).size());
            case "sockstat6" -> SocketTables.sockstat6(inet(true, InetEndpoint.AF_INET6).size(),
                    inet(false, InetEndpoint.AF_INET6).size());
            default -> null;
        };
    }

    /** How many TCP ({@code tcp}) or UDP sockets there are, named or not, IPv4 and IPv6. */
    private int count(boolean tcp) {
        return (int) sockets.stream().filter(f -> f instanceof GuestSocket s && s.inet()
                && (s.type == SocketSyscalls.SOCK_STREAM) == tcp).count();
    }

    private List<SocketTables.Inet> inet(boolean tcp, int domain) {
        List<SocketTables.Inet> lines = new ArrayList<>();
        for (SocketFile file : sockets) {
            if (!(file instanceof GuestSocket s) || s.domain != domain || s.address() == null
                    || (s.type == SocketSyscalls.SOCK_STREAM) != tcp) {
                continue;
            }
            InetEndpoint local = InetEndpoint.parse(s.address(), domain);
            InetEndpoint remote = s.peerAddress() != null ? InetEndpoint.parse(s.peerAddress(), domain)
                    : InetEndpoint.unnamed(domain);
            int queued = s.connection() != null ? s.connection().available() : 0;
            lines.add(new SocketTables.Inet(local.ip(), local.port(), remote.ip(), remote.port(), state(s, tcp), queued,
                    Credentials.UID, Stat.inode(s.stat())));
        }
        return lines;
    }

    private static int state(GuestSocket s, boolean tcp) {
        if (!tcp) {
            return s.peerAddress() != null ? SocketTables.ESTABLISHED : SocketTables.CLOSE;
        }
        if (s.listening()) {
            return SocketTables.LISTEN;
        }
        if (s.connection() != null) {
            return SocketTables.ESTABLISHED;
        }
        return s.connecting() ? SocketTables.SYN_SENT : SocketTables.CLOSE;
    }

    private List<SocketTables.Unix> unix() {
        List<SocketTables.Unix> lines = new ArrayList<>();
        for (SocketFile file : sockets) {
            switch (file) {
                case GuestSocket s when !s.inet() -> lines.add(new SocketTables.Unix(s.type, s.listening(),
                        s.hasPeer(), Stat.inode(s.stat()), s.address() == null ? null : GuestSocket.unixName(s.address())));
                case Connection c -> lines.add(new SocketTables.Unix(c.type(), false, true, Stat.inode(c.stat()), null));
                default -> { }
            }
        }
        return lines;
    }
}
