package dev.hdbg.agent.os.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6} and {@code unix}: the machine's sockets in the kernel's
 * text, which {@code ss} (without sock_diag), {@code lsof -i}, netstat and psutil read and match to descriptors by
 * inode ({@code socket:[N]}). Addresses as the kernel prints them: each 32-bit word of the network-order address as a
 * little-endian number in hex, the port in hex.
 */
public final class SocketTables {
    /** TCP's states as the kernel numbers them (and UDP's: 01 connected, 07 not). */
    public static final int ESTABLISHED = 0x01;
    public static final int SYN_SENT = 0x02;
    public static final int CLOSE = 0x07;
    public static final int LISTEN = 0x0A;
    /** The width the kernel pads each line to (TMPSZ less the newline): tcp's 149, udp's 127; tcp6's and udp6's none. */
    private static final int TCP_WIDTH = 149;
    private static final int UDP_WIDTH = 127;

    /**
     * An Internet socket's line: its addresses (4 bytes, or 16 for tcp6 and udp6) and ports, state, queued bytes,
     * owner and inode.
     */
    public record Inet(byte[] local, int localPort, byte[] remote, int remotePort, int state, int receiveQueue,
            int uid, long inode) {
    }

    /** A Unix socket's line: its type (SOCK_STREAM ...), whether it listens or is connected, inode and name. */
    public record Unix(int type, boolean listening, boolean connected, long inode, String path) {
    }

    private SocketTables() {
    }

    /**
     * {@code /proc/net/tcp} ({@code ipv6}: tcp6) or udp: the header, then a line a socket, numbered in order (Linux's
     * udp numbers them by hash bucket, which no reader looks at).
     */
    public static String inet(boolean tcp, boolean ipv6, List<Inet> sockets) {
        StringBuilder text = new StringBuilder();
        if (ipv6) {
            text.append("  sl  local_address                         remote_address                        st "
                    + "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        } else {
            String header = (tcp ? "  sl" : "   sl") + "  local_address rem_address   st tx_queue rx_queue tr tm->when "
                    + "retrnsmt   uid  timeout inode" + (tcp ? "" : " ref pointer drops");
            text.append(pad(header, tcp ? TCP_WIDTH : UDP_WIDTH)).append('\n');
        }
        for (int i = 0; i < sockets.size(); i++) {
            Inet s = sockets.get(i);
            String line = String.format((tcp ? "%4d" : "%5d") + ": %s:%04X %s:%04X %02X %08X:%08X 00:00000000 00000000 "
                    + "%5d %8d %d", i,
                    hex(s.local()), s.localPort(), hex(s.remote()), s.remotePort(), s.state(), 0, s.receiveQueue(),
                    s.uid(), 0, s.inode());
            line += tcp ? " 1 0000000000000000 100 0 0 10 0" : " 2 0000000000000000 0";
            text.append(ipv6 ? line : pad(line, tcp ? TCP_WIDTH : UDP_WIDTH)).append('\n');
        }
        return text.toString();
    }

    /** {@code /proc/net/unix}: the header, then a line a socket (kernel addresses hidden, as to a process without them). */
    public static String unix(List<Unix> sockets) {
        StringBuilder text = new StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        for (Unix s : sockets) {
            text.append(String.format("0000000000000000: %08X %08X %08X %04X %02X %5d", 2, 0,
                    s.listening() ? 0x10000 : 0, s.type(), s.connected() ? 3 : 1, s.inode()));
            if (s.path() != null) {
                text.append(' ').append(s.path());
            }
            text.append('\n');
        }
        return text.toString();
    }

    /**
     * {@code /proc/net/sockstat}: the sockets of every family, the named IPv4 TCP ones and every TCP one, the named
     * IPv4 UDP ones; nothing orphaned, waiting or fragmented, no memory counted.
     */
    public static String sockstat(int sockets, int tcpInUse, int tcpAllocated, int udpInUse) {
        return "sockets: used " + sockets + "\nTCP: inuse " + tcpInUse + " orphan 0 tw 0 alloc " + tcpAllocated
                + " mem 0\nUDP: inuse " + udpInUse + " mem 0\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n";
    }

    /** {@code /proc/net/sockstat6}: the named IPv6 TCP and UDP sockets. */
    public static String sockstat6(int tcpInUse, int udpInUse) {
        return "TCP6: inuse " + tcpInUse + "\nUDP6: inuse " + udpInUse + "\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
                + "FRAG6: inuse 0 memory 0\n";
    }

    private static String hex(byte[] address) {
        StringBuilder text = new StringBuilder();
        ByteBuffer words = ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < address.length; i += 4) {
            text.append(String.format("%08X", words.getInt(i)));
        }
        return text.toString();
    }

    private static String pad(String line, int width) {
        return String.format("%-" + width + "s", line);
    }
}
