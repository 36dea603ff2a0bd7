package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NETLINK_ROUTE sockets through the system calls a program makes on them (glibc's getifaddrs, iproute2): port ids
 * as Linux's autobind gives them, the kernel's answers received as datagrams from port 0, the options iproute2 sets,
 * and the interface ioctls every socket takes. What the answers say is {@code RouteNetlinkTest}'s.
 */
class NetlinkSocketsTest {
    private static final int AF_NETLINK = 16;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOL_SOCKET = 1;
    private static final int SOL_NETLINK = 270;
    private static final int MSG_PEEK = 2;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;

    @TempDir
    Path root;

    private static long sockaddr(Guest g, int portId, int groups) {
        return g.put(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_NETLINK)
                .putShort((short) 0).putInt(portId).putInt(groups).array());
    }

    private static int portIdOf(Guest g, long fd) {
        long name = g.buffer(12);
        long length = g.put(new byte[] {12, 0, 0, 0});
        assertThat(g.rax(51, fd, name, length)).isZero();
        assertThat(g.read(length, 4).getInt(0)).isEqualTo(12);
        return g.read(name, 12).getInt(4);
    }

    /** An RTM_GETLINK dump request. */
    private static long linkDump(Guest g, int sequence) {
        return g.put(ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(32).putShort((short) 18)
                .putShort((short) 0x301).putInt(sequence).putInt(0).array());
    }

    @Test
    void portIdsAreThePidFirstThenTheMachinesChoiceAndOnlyOneSocketHasEach() {
        try (Guest g = new Guest(root, false)) {
            long first = g.rax(41, AF_NETLINK, SOCK_RAW | 02000000, 0);
            assertThat(portIdOf(g, first)).as("unbound").isZero();
            assertThat(g.rax(49, first, sockaddr(g, 0, 0), 12)).isZero();
            int pid = (int) g.process.config().pid();
            assertThat(portIdOf(g, first)).isEqualTo(pid);
            long second = g.rax(41, AF_NETLINK, SOCK_DGRAM, 0);
            assertThat(g.rax(44, second, linkDump(g, 1), 32, 0, 0, 0)).as("a send binds it").isEqualTo(32);
            assertThat(portIdOf(g, second)).isEqualTo(-4096);
            long third = g.rax(41, AF_NETLINK, SOCK_RAW, 0);
            assertThat(g.rax(49, third, sockaddr(g, pid, 0), 12)).isEqualTo(-Errno.EADDRINUSE);
            assertThat(g.rax(49, third, sockaddr(g, 5000, 1), 11)).as("too short").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(49, third, sockaddr(g, 5000, 1), 12)).isZero();
            assertThat(g.rax(49, third, sockaddr(g, 5001, 0), 12)).as("named already").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(3, first)).isZero();
            long fourth = g.rax(41, AF_NETLINK, SOCK_RAW, 0);
            assertThat(g.rax(49, fourth, sockaddr(g, pid, 0), 12)).as("free again once closed").isZero();
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void theKernelsAnswersArriveAsDatagramsFromPortZero() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(41, AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, 0);
            assertThat(g.rax(45, fd, g.buffer(64), 64, 0, 0, 0)).as("nothing asked yet").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(44, fd, linkDump(g, 7), 32, 0, sockaddr(g, 0, 0), 12)).isEqualTo(32);
            // iproute2: a peek with no room learns the length, then the read.
            long iov = g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(0).array());
            long from = g.buffer(12);
            long msghdr = g.put(ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN).putLong(from).putInt(12)
                    .putInt(0).putLong(iov).putLong(1).array());
            long length = g.rax(47, fd, msghdr, MSG_PEEK | MSG_TRUNC);
            assertThat(length).isGreaterThan(100);
            assertThat(g.read(msghdr + 48, 4).getInt(0)).as("msg_flags").isEqualTo(MSG_TRUNC);
            assertThat(g.read(msghdr + 8, 4).getInt(0)).as("msg_namelen").isEqualTo(12);
            assertThat(g.read(from, 12).getShort(0)).isEqualTo((short) AF_NETLINK);
            assertThat(g.read(from, 12).getInt(4)).as("the kernel's port").isZero();
            long buffer = g.buffer((int) length);
            assertThat(g.rax(45, fd, buffer, length, 0, 0, 0)).isEqualTo(length);
            ByteBuffer link = g.read(buffer, 16);
            assertThat(link.getShort(4)).as("RTM_NEWLINK").isEqualTo((short) 16);
            assertThat(link.getInt(8)).isEqualTo(7);
            assertThat(link.getInt(12)).isEqualTo((int) g.process.config().pid());
            assertThat(g.rax(0, fd, buffer, 64)).as("read takes the NLMSG_DONE").isEqualTo(20);
            assertThat(g.rax(45, fd, buffer, 64, MSG_DONTWAIT, 0, 0)).isEqualTo(-Errno.EAGAIN);
        }
    }

    @Test
    void onlyTheKernelIsReachedAndNetlinkSocketsNeitherListenNorPair() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(41, AF_NETLINK, SOCK_RAW, 0);
            assertThat(g.rax(44, fd, linkDump(g, 1), 32, 0, sockaddr(g, 5000, 0), 12))
                    .isEqualTo(-Errno.ECONNREFUSED);
            assertThat(g.rax(42, fd, sockaddr(g, 0, 0), 12)).as("connect to the kernel").isZero();
            assertThat(g.rax(1, fd, linkDump(g, 2), 32)).as("write goes to it").isEqualTo(32);
            assertThat(g.rax(50, fd, 1)).isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(48, fd, 2)).as("shutdown").isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(43, fd, 0, 0)).isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(53, AF_NETLINK, SOCK_RAW, 0, g.buffer(8))).isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(41, AF_NETLINK, SOCK_RAW, 4)).as("NETLINK_SOCK_DIAG")
                    .isEqualTo(-Errno.EPROTONOSUPPORT);
            assertThat(g.rax(41, AF_NETLINK, 1, 0)).as("a stream").isEqualTo(-Errno.ESOCKTNOSUPPORT);
            assertThat(g.notices).singleElement().asString().contains("netlink protocol 4", "NETLINK_ROUTE");
        }
    }

    @Test
    void theOptionsIproute2SetsAreKeptAndTheSocketSaysWhatItIs() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(41, AF_NETLINK, SOCK_RAW, 0);
            long one = g.put(new byte[] {1, 0, 0, 0});
            assertThat(g.rax(54, fd, SOL_NETLINK, 11, one, 4)).as("NETLINK_EXT_ACK").isZero();
            assertThat(g.rax(54, fd, SOL_NETLINK, 12, one, 4)).as("NETLINK_GET_STRICT_CHK").isZero();
            assertThat(g.rax(54, fd, SOL_NETLINK, 1, one, 4)).as("NETLINK_ADD_MEMBERSHIP").isZero();
            assertThat(get(g, fd, SOL_NETLINK, 12)).isEqualTo(1);
            assertThat(get(g, fd, SOL_NETLINK, 10)).as("NETLINK_CAP_ACK, unset").isZero();
            assertThat(get(g, fd, SOL_SOCKET, 3)).as("SO_TYPE").isEqualTo(SOCK_RAW);
            assertThat(get(g, fd, SOL_SOCKET, 39)).as("SO_DOMAIN").isEqualTo(AF_NETLINK);
            assertThat(get(g, fd, SOL_SOCKET, 38)).as("SO_PROTOCOL").isZero();
            long inet = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            assertThat(g.rax(54, inet, SOL_NETLINK, 11, one, 4)).isEqualTo(-Errno.ENOPROTOOPT);
        }
    }

    private static int get(Guest g, long fd, int level, int option) {
        long value = g.buffer(4);
        long length = g.put(new byte[] {4, 0, 0, 0});
        assertThat(g.rax(55, fd, level, option, value, length)).isZero();
        return g.read(value, 4).getInt(0);
    }

    @Test
    void interfaceIoctlsDescribeTheLoopbackOnAnySocket() {
        try (Guest g = new Guest(root, false)) {
            long inet = g.rax(41, AF_INET, SOCK_DGRAM, 0);
            long unix = g.rax(41, 1, 1, 0);
            assertThat(ifreq(g, unix, 0x8933, "lo").getInt(16)).as("SIOCGIFINDEX").isEqualTo(1);
            assertThat(ifreq(g, unix, 0x8913, "lo").getShort(16)).as("SIOCGIFFLAGS").isEqualTo((short) 0x49);
            assertThat(ifreq(g, inet, 0x8921, "lo").getInt(16)).as("SIOCGIFMTU").isEqualTo(65536);
            assertThat(ifreq(g, inet, 0x8915, "lo").getInt(20)).as("SIOCGIFADDR 127.0.0.1")
                    .isEqualTo(0x0100007f);
            assertThat(ifreq(g, inet, 0x891b, "lo").getInt(20)).as("SIOCGIFNETMASK 255.0.0.0")
                    .isEqualTo(0x000000ff);
            long request = g.put(ifreqBytes("eth0"));
            assertThat(g.rax(16, inet, 0x8933, request)).isEqualTo(-Errno.ENODEV);
            assertThat(g.rax(16, unix, 0x8915, g.put(ifreqBytes("lo")))).as("addresses: IPv4 sockets'")
                    .isEqualTo(-Errno.ENOTTY);
            assertThat(g.rax(16, inet, 0x8922, g.put(ifreqBytes("lo")))).as("SIOCSIFMTU").isEqualTo(-Errno.EPERM);
            long byIndex = g.put(ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 1).array());
            assertThat(g.rax(16, inet, 0x8910, byIndex)).as("SIOCGIFNAME").isZero();
            assertThat(g.read(byIndex, 3).get(0)).isEqualTo((byte) 'l');

            long list = g.buffer(80);
            long ifconf = g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(80).putInt(0)
                    .putLong(list).array());
            assertThat(g.rax(16, inet, 0x8912, ifconf)).as("SIOCGIFCONF").isZero();
            assertThat(g.read(ifconf, 4).getInt(0)).as("one ifreq").isEqualTo(40);
            assertThat(g.read(list + 20, 4).getInt(0)).isEqualTo(0x0100007f);
            assertThat(g.rax(16, g.rax(41, AF_INET, SOCK_DGRAM, 0), 0x5401, g.buffer(64))).as("TCGETS")
                    .isEqualTo(-Errno.ENOTTY);
        }
    }

    private static byte[] ifreqBytes(String name) {
        return ByteBuffer.allocate(40).put(name.getBytes()).array();
    }

    private static ByteBuffer ifreq(Guest g, long fd, int request, String name) {
        long address = g.put(ifreqBytes(name));
        assertThat(g.rax(16, fd, request, address)).isZero();
        return g.read(address, 40);
    }
}
