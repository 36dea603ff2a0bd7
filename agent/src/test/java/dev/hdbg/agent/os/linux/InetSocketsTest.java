package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP and UDP on the machine's loopback, where Linux's answers cannot be compared natively (inet.c in
 * ProcessProgramsIT compares the rest): addresses beyond the machine, ports two sockets share, datagrams a receiver
 * drops, and the families the machine does not have.
 */
class InetSocketsTest {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_PACKET = 17;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_REUSEPORT = 15;
    private static final int SO_PEERCRED = 17;
    private static final int MSG_DONTWAIT = 0x40;

    @TempDir
    Path root;

    /** A sockaddr_in of {@code a.b.c.d:port} in guest memory, and its length. */
    private static long[] ipv4(Guest g, int a, int b, int c, int d, int port) {
        ByteBuffer address = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET);
        address.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put((byte) a).put((byte) b).put((byte) c)
                .put((byte) d);
        return new long[] {g.put(address.array()), 16};
    }

    /** A sockaddr_in6 of {@code ::} (or {@code ::1}) and {@code port}. */
    private static long[] ipv6(Guest g, boolean loopback, int port) {
        ByteBuffer address = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET6);
        address.order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0);
        address.put(new byte[15]).put((byte) (loopback ? 1 : 0));
        return new long[] {g.put(address.array()), 28};
    }

    /** The port getsockname gives {@code fd}. */
    private static int portOf(Guest g, long fd) {
        long name = g.buffer(28);
        long length = g.put(new byte[] {28, 0, 0, 0});
        assertThat(g.rax(51, fd, name, length)).isZero();
        return g.read(name + 2, 2).order(ByteOrder.BIG_ENDIAN).getShort(0) & 0xffff;
    }

    private static void set(Guest g, long fd, int option) {
        assertThat(g.rax(54, fd, SOL_SOCKET, option, g.put(new byte[] {1, 0, 0, 0}), 4)).isZero();
    }

    @Test
    void anAddressBeyondTheMachineIsUnreachableWithOneNotice() {
        try (Guest g = new Guest(root, false)) {
            long[] away = ipv4(g, 192, 0, 2, 1, 80);
            long tcp = g.rax(41, AF_INET, SOCK_STREAM, 0);
            assertThat(g.rax(42, tcp, away[0], away[1])).isEqualTo(-Errno.ENETUNREACH);
            long udp = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            assertThat(g.rax(44, udp, g.string("x"), 1, 0, away[0], away[1])).isEqualTo(-Errno.ENETUNREACH);
            assertThat(g.rax(49, udp, away[0], away[1])).as("bind").isEqualTo(-Errno.EADDRNOTAVAIL);
            assertThat(g.notices).singleElement().asString().contains("192.0.2.1:80", "loopback", "ENETUNREACH");
        }
    }

    @Test
    void familiesTheMachineLacksAreRefusedWithANotice() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(41, AF_PACKET, SOCK_DGRAM, 0)).isEqualTo(-Errno.EAFNOSUPPORT);
            assertThat(g.rax(41, AF_INET, 3, 1)).as("a raw socket").isEqualTo(-Errno.ESOCKTNOSUPPORT);
            assertThat(g.rax(53, AF_INET, SOCK_STREAM, 0, g.buffer(8))).as("socketpair")
                    .isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.notices).singleElement().asString().contains("family 17");
        }
    }

    @Test
    void twoSocketsShareAPortOnlyAsLinuxLetsThem() {
        try (Guest g = new Guest(root, false)) {
            long first = g.rax(41, AF_INET, SOCK_STREAM, 0);
            long second = g.rax(41, AF_INET, SOCK_STREAM, 0);
            set(g, first, SO_REUSEADDR);
            set(g, second, SO_REUSEADDR);
            long[] any = ipv4(g, 127, 0, 0, 1, 0);
            assertThat(g.rax(49, first, any[0], any[1])).isZero();
            long[] same = ipv4(g, 127, 0, 0, 1, portOf(g, first));
            assertThat(g.rax(49, second, same[0], same[1])).as("both SO_REUSEADDR, neither listening").isZero();
            assertThat(g.rax(50, first, 1)).isZero();
            long third = g.rax(41, AF_INET, SOCK_STREAM, 0);
            set(g, third, SO_REUSEADDR);
            assertThat(g.rax(49, third, same[0], same[1])).as("one listens").isEqualTo(-Errno.EADDRINUSE);

            long dualStack = g.rax(41, AF_INET6, SOCK_STREAM, 0);
            long[] anySix = ipv6(g, false, 0);
            assertThat(g.rax(49, dualStack, anySix[0], anySix[1])).isZero();
            long[] thatPort = ipv4(g, 127, 0, 0, 1, portOf(g, dualStack));
            long four = g.rax(41, AF_INET, SOCK_STREAM, 0);
            assertThat(g.rax(49, four, thatPort[0], thatPort[1])).as(":: holds IPv4's port too")
                    .isEqualTo(-Errno.EADDRINUSE);

            long shareOne = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            long shareTwo = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            set(g, shareOne, SO_REUSEPORT);
            set(g, shareTwo, SO_REUSEPORT);
            assertThat(g.rax(49, shareOne, any[0], any[1])).isZero();
            long[] shared = ipv4(g, 127, 0, 0, 1, portOf(g, shareOne));
            assertThat(g.rax(49, shareTwo, shared[0], shared[1])).as("both SO_REUSEPORT").isZero();
        }
    }

    @Test
    void aConnectedUdpSocketHearsOnlyItsPeerAndAFullOneDrops() {
        try (Guest g = new Guest(root, false)) {
            long receiver = g.rax(41, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            long peer = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            long stranger = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            long[] loopback = ipv4(g, 127, 0, 0, 1, 0);
            assertThat(g.rax(49, receiver, loopback[0], loopback[1])).isZero();
            assertThat(g.rax(49, peer, loopback[0], loopback[1])).isZero();
            long[] peerName = ipv4(g, 127, 0, 0, 1, portOf(g, peer));
            assertThat(g.rax(42, receiver, peerName[0], peerName[1])).isZero();
            long[] to = ipv4(g, 127, 0, 0, 1, portOf(g, receiver));
            assertThat(g.rax(44, stranger, g.string("x"), 1, 0, to[0], to[1])).as("sent, and dropped").isEqualTo(1);
            assertThat(g.rax(45, receiver, g.buffer(8), 8, MSG_DONTWAIT, 0, 0)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(44, peer, g.string("y"), 1, 0, to[0], to[1])).isEqualTo(1);
            assertThat(g.rax(45, receiver, g.buffer(8), 8, 0, 0, 0)).isEqualTo(1);

            long big = g.buffer(60_000);
            int sent = 0;
            while (sent < 100) {
                assertThat(g.rax(44, peer, big, 60_000, 0, to[0], to[1])).as("a sender never waits")
                        .isEqualTo(60_000);
                sent++;
            }
            int received = 0;
            while (g.rax(45, receiver, big, 60_000, MSG_DONTWAIT, 0, 0) == 60_000) {
                received++;
            }
            assertThat(received).as("what the receive buffer held").isBetween(1, 4);
        }
    }

    @Test
    void aTcpConnectionRecordsNoPeerCredentials() {
        try (Guest g = new Guest(root, false)) {
            long server = g.rax(41, AF_INET, SOCK_STREAM, 0);
            assertThat(g.rax(50, server, 1)).as("listen names it").isZero();
            long client = g.rax(41, AF_INET, SOCK_STREAM, 0);
            long[] to = ipv4(g, 127, 0, 0, 1, portOf(g, server));
            assertThat(g.rax(42, client, to[0], to[1])).isZero();
            long credentials = g.buffer(12);
            assertThat(g.rax(55, client, SOL_SOCKET, SO_PEERCRED, credentials, g.put(new byte[] {12, 0, 0, 0})))
                    .isZero();
            assertThat(g.read(credentials, 12).getInt(0)).as("pid").isZero();
            assertThat(g.read(credentials, 12).getInt(4)).as("uid").isEqualTo(-1);
        }
    }

    @Test
    void eachSocketHasItsOwnInodeAndProcNamesItASocket() {
        try (Guest g = new Guest(root, false)) {
            long tcp = g.rax(41, AF_INET, SOCK_STREAM, 0);
            long unix = g.rax(41, 1, SOCK_STREAM, 0);
            long first = g.buffer(144);
            long second = g.buffer(144);
            assertThat(g.rax(5, tcp, first)).isZero();
            assertThat(g.rax(5, unix, second)).isZero();
            long inode = g.read(first + 8, 8).getLong(0);
            assertThat(g.read(second + 8, 8).getLong(0)).as("fstat's st_ino").isNotEqualTo(inode);
            long link = g.buffer(64);
            long length = g.rax(89, g.string("/proc/self/fd/" + tcp), link, 64);
            assertThat(new String(g.machine.memory().read(link, (int) length), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("socket:[" + inode + "]");
        }
    }
}
