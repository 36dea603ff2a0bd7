package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sockets a program that uses none still meets: nscd's Unix socket, and bash asking what its stdin is. */
class SocketSyscallsTest {
    private static final int AF_UNIX = 1;
    private static final int AF_NETLINK = 16;
    private static final int AF_PACKET = 17;
    private static final int SOCK_STREAM = 1;
    private static final int ENOTSOCK = 88;
    private static final int ENOTCONN = 107;
    private static final int ECONNREFUSED = 111;
    private static final int EAFNOSUPPORT = 97;

    @TempDir
    Path root;

    /**
     * bash -c asks getpeername whether its standard input is a network connection (sshd's way of running it) and
     * reads ~/.bashrc when the answer is not ENOTSOCK or EINVAL: ENOSYS made every bash -c read it.
     */
    @Test
    void aDescriptorThatIsNoSocketSaysSoToTheSocketCalls() {
        try (Guest g = new Guest(root, false)) {
            long address = g.buffer(16);
            long length = g.put(new byte[] {16, 0, 0, 0});
            assertThat(g.rax(52, 0, address, length)).isEqualTo(-ENOTSOCK);
            assertThat(g.rax(51, 1, address, length)).isEqualTo(-ENOTSOCK);
            assertThat(g.rax(48, 2, 2)).isEqualTo(-ENOTSOCK);
            assertThat(g.rax(52, 99, address, length)).isEqualTo(-Errno.EBADF);
        }
    }

    @Test
    void aUnixSocketIsUnnamedAndConnectedToNothing() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(41, AF_UNIX, SOCK_STREAM, 0);
            long address = g.put(new byte[] {9, 9, 9, 9});
            long length = g.put(new byte[] {16, 0, 0, 0});
            assertThat(g.rax(51, fd, address, length)).isZero();
            assertThat(g.read(address, 4).getShort(0)).as("sun_family alone").isEqualTo((short) AF_UNIX);
            assertThat(g.read(length, 4).getInt(0)).isEqualTo(2);
            assertThat(g.rax(52, fd, address, length)).isEqualTo(-ENOTCONN);
            assertThat(g.rax(48, fd, 2)).isEqualTo(-ENOTCONN);

            long nscd = g.put(new byte[] {AF_UNIX, 0, '/', 'n', 's', 'c', 'd', 0});
            assertThat(g.rax(42, fd, nscd, 8)).isEqualTo(-Errno.ENOENT);
            long abstractName = g.put(new byte[] {AF_UNIX, 0, 0, 'x'});
            assertThat(g.rax(42, fd, abstractName, 4)).isEqualTo(-ECONNREFUSED);
            assertThat(g.rax(41, AF_NETLINK, SOCK_STREAM, 0)).as("netlink has no streams")
                    .isEqualTo(-Errno.ESOCKTNOSUPPORT);
            assertThat(g.rax(41, AF_PACKET, SOCK_STREAM, 0)).isEqualTo(-EAFNOSUPPORT);
            assertThat(g.notices).singleElement().asString().contains("does not have");
        }
    }
    /** recv's MSG_PEEK leaves the bytes to be read again, and FIONREAD counts them, on a socket pair and a pipe. */
    @Test
    void aPeekLeavesTheBytesAndFionreadCountsThem() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            assertThat(g.rax(53, AF_UNIX, SOCK_STREAM, 0, pair)).isZero();
            int a = g.read(pair, 8).getInt(0);
            int b = g.read(pair, 8).getInt(4);
            assertThat(g.rax(1, a, g.string("xyz"), 3)).isEqualTo(3);
            long count = g.buffer(4);
            assertThat(g.rax(16, b, 0x541b, count)).isZero();
            assertThat(g.read(count, 4).getInt(0)).isEqualTo(3);
            long buffer = g.buffer(8);
            assertThat(g.rax(45, b, buffer, 2, 2, 0, 0)).as("recv MSG_PEEK").isEqualTo(2);
            assertThat(g.rax(45, b, buffer, 8, 0, 0, 0)).as("the peeked bytes are still there").isEqualTo(3);
            assertThat(g.rax(16, b, 0x541b, count)).isZero();
            assertThat(g.read(count, 4).getInt(0)).isZero();

            long fds = g.buffer(8);
            assertThat(g.rax(22, fds)).isZero();
            assertThat(g.rax(1, g.read(fds, 8).getInt(4), g.string("four"), 4)).isEqualTo(4);
            assertThat(g.rax(16, g.read(fds, 8).getInt(0), 0x541b, count)).isZero();
            assertThat(g.read(count, 4).getInt(0)).as("a pipe's FIONREAD").isEqualTo(4);
        }
    }
}
