package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix stream sockets between the machine's processes: a server binds a socket file and listens, a client connects,
 * the server accepts, and bytes go both ways (bind was ENOSYS: Python's socket servers, asyncio's unix servers and
 * multiprocessing's Listener all failed). Names, queues and their errors are Linux's.
 */
class ConnectionSyscallsTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int EADDRINUSE = 98;
    private static final int ECONNREFUSED = 111;
    private static final int EISCONN = 106;
    private static final int EPROTOTYPE = 91;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_PEERCRED = 17;

    @TempDir
    Path root;

    /** A sockaddr_un of {@code path} (a leading NUL: an abstract name) and its length. */
    private static long[] address(Guest g, String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.startsWith("\0");
        ByteBuffer b = ByteBuffer.allocate(2 + name.length + (abstractName ? 0 : 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) AF_UNIX).put(name);
        return new long[] {g.put(b.array()), b.capacity()};
    }

    private static String bytes(Guest g, long fd, int n) {
        long buffer = g.buffer(64);
        long got = g.rax(0, fd, buffer, n);
        return new String(g.machine.memory().read(buffer, (int) got), StandardCharsets.UTF_8);
    }

    @Test
    void aServerAcceptsAConnectionAndBytesGoBothWays() throws Exception {
        Files.createDirectories(root.resolve("run"));
        try (Guest g = new Guest(root, false, java.util.List.of("/run"))) {
            long server = g.rax(41, AF_UNIX, SOCK_STREAM, 0);
            long[] name = address(g, "/run/s.sock");
            assertThat(g.rax(50, server, 5)).as("listen before bind").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(49, server, name[0], name[1])).isZero();
            assertThat(Files.readAttributes(root.resolve("run/s.sock"), "unix:mode").get("mode"))
                    .as("a socket file on the host").matches(m -> ((int) m & 0170000) == 0140000);
            assertThat(g.rax(50, server, 5)).isZero();
            long other = g.rax(41, AF_UNIX, SOCK_STREAM, 0);
            assertThat(g.rax(49, other, name[0], name[1])).as("the name is taken").isEqualTo(-EADDRINUSE);
            long datagram = g.rax(41, AF_UNIX, SOCK_DGRAM, 0);
            assertThat(g.rax(42, datagram, name[0], name[1])).as("another type of socket at a path")
                    .isEqualTo(-EPROTOTYPE);

            long client = g.rax(41, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertThat(g.rax(42, client, name[0], name[1])).isZero();
            assertThat(g.rax(42, client, name[0], name[1])).isEqualTo(-EISCONN);
            long peer = g.put(new byte[] {16, 0, 0, 0});
            long peerName = g.buffer(32);
            long accepted = g.rax(288, server, peerName, peer, SOCK_NONBLOCK);
            assertThat(accepted).isPositive();
            assertThat(g.read(peer, 4).getInt(0)).as("the client is unnamed").isEqualTo(2);

            long message = g.string("ping");
            assertThat(g.rax(1, client, message, 4)).isEqualTo(4);
            assertThat(bytes(g, accepted, 16)).isEqualTo("ping");
            assertThat(g.rax(44, accepted, g.string("pong"), 4, 0, 0)).as("send").isEqualTo(4);
            assertThat(bytes(g, client, 16)).isEqualTo("pong");
            assertThat(g.rax(0, client, g.buffer(8), 8)).as("nothing more, non-blocking").isEqualTo(-Errno.EAGAIN);

            long length = g.put(new byte[] {64, 0, 0, 0});
            long got = g.buffer(64);
            assertThat(g.rax(52, client, got, length)).isZero();
            assertThat(new String(g.machine.memory().read(got + 2, 11), StandardCharsets.UTF_8))
                    .isEqualTo("/run/s.sock");
            assertThat(g.read(length, 4).getInt(0)).as("family, path and NUL").isEqualTo(14);

            long value = g.buffer(4);
            long valueLength = g.put(new byte[] {4, 0, 0, 0});
            assertThat(g.rax(55, server, SOL_SOCKET, SO_ACCEPTCONN, value, valueLength)).isZero();
            assertThat(g.read(value, 4).getInt(0)).isEqualTo(1);
            assertThat(g.rax(55, client, SOL_SOCKET, SO_TYPE, value, valueLength)).isZero();
            assertThat(g.read(value, 4).getInt(0)).isEqualTo(SOCK_STREAM);
            long credentials = g.buffer(12);
            long credentialsLength = g.put(new byte[] {12, 0, 0, 0});
            assertThat(g.rax(55, accepted, SOL_SOCKET, SO_PEERCRED, credentials, credentialsLength)).isZero();
            assertThat(g.read(credentials, 4).getInt(0)).as("the client: this process").isEqualTo(
                    (int) g.process.config().pid());
            assertThat(g.rax(55, other, SOL_SOCKET, SO_PEERCRED, credentials, credentialsLength)).isZero();
            assertThat(g.read(credentials, 12).getInt(4)).as("no peer: pid 0, ids -1").isEqualTo(-1);
            assertThat(g.read(credentials, 4).getInt(0)).isZero();

            assertThat(g.rax(3, accepted)).isZero();
            assertThat(g.rax(0, client, g.buffer(8), 8)).as("end of file once the server's end closed").isZero();
            assertThat(g.rax(3, server)).isZero();
            long late = g.rax(41, AF_UNIX, SOCK_STREAM, 0);
            assertThat(g.rax(42, late, name[0], name[1])).as("the file stays, no one listens")
                    .isEqualTo(-ECONNREFUSED);
            long[] missing = address(g, "/run/none.sock");
            assertThat(g.rax(42, late, missing[0], missing[1])).isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void aFullQueueAndAnEmptyOneTellANonBlockingCallerToTryAgain() {
        try (Guest g = new Guest(root, false)) {
            long[] name = address(g, "\0hdbg-test");
            long server = g.rax(41, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertThat(g.rax(49, server, name[0], name[1])).as("an abstract name needs no writable place").isZero();
            assertThat(g.rax(50, server, 0)).as("a backlog of 0 holds one connection, as Linux's does").isZero();
            assertThat(g.rax(43, server, 0, 0)).as("accept, nothing waiting").isEqualTo(-Errno.EAGAIN);
            assertThat(g.process.fds().get((int) server)).as("what a deadlock's notice calls it")
                    .hasToString("listening unix socket @hdbg-test");
            long first = g.rax(41, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertThat(g.rax(42, first, name[0], name[1])).isZero();
            long second = g.rax(41, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertThat(g.rax(42, second, name[0], name[1])).as("the queue full").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(43, server, 0, 0)).isPositive();
            assertThat(g.rax(42, second, name[0], name[1])).as("room again").isZero();

            long datagram = g.rax(41, AF_UNIX, SOCK_DGRAM, 0);
            assertThat(g.rax(42, datagram, name[0], name[1]))
                    .as("another type of socket: Linux keeps abstract names apart by type").isEqualTo(-ECONNREFUSED);
            assertThat(g.rax(50, datagram, 1)).isEqualTo(-Errno.EOPNOTSUPP);
        }
    }

    /** A seqpacket server's connection keeps each message apart, as a seqpacket socketpair does (stop 51). */
    @Test
    void aSeqpacketServersConnectionKeepsItsMessagesApart() {
        try (Guest g = new Guest(root, false)) {
            int seqpacket = 5;
            long[] name = address(g, "\0hdbg-seqpacket");
            long server = g.rax(41, AF_UNIX, seqpacket, 0);
            assertThat(g.rax(49, server, name[0], name[1])).isZero();
            assertThat(g.rax(50, server, 1)).as("listen").isZero();
            long client = g.rax(41, AF_UNIX, seqpacket, 0);
            assertThat(g.rax(42, client, name[0], name[1])).isZero();
            long accepted = g.rax(43, server, 0, 0);
            assertThat(accepted).isPositive();
            assertThat(g.rax(1, client, g.string("one"), 3)).isEqualTo(3);
            assertThat(g.rax(1, client, g.string("two!"), 4)).isEqualTo(4);
            assertThat(bytes(g, accepted, 2)).as("one message, cut to the buffer").isEqualTo("on");
            assertThat(bytes(g, accepted, 16)).as("the next message, whole").isEqualTo("two!");
            long value = g.buffer(4);
            long valueLength = g.put(new byte[] {4, 0, 0, 0});
            assertThat(g.rax(55, accepted, SOL_SOCKET, SO_TYPE, value, valueLength)).isZero();
            assertThat(g.read(value, 4).getInt(0)).as("the listener's type").isEqualTo(seqpacket);
            assertThat(g.rax(3, client)).isZero();
            assertThat(g.rax(0, accepted, g.buffer(8), 8)).as("end of file once the client closed").isZero();
        }
    }

    /** A named datagram socket hears any datagram socket that sends to its name, with the sender's name (stop 51). */
    @Test
    void aDatagramSentToANameArrivesWithItsSendersName() {
        try (Guest g = new Guest(root, false)) {
            long[] server = address(g, "\0hdbg-server");
            long[] client = address(g, "\0hdbg-client");
            long serverFd = g.rax(41, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            assertThat(g.rax(49, serverFd, server[0], server[1])).isZero();
            long clientFd = g.rax(41, AF_UNIX, SOCK_DGRAM, 0);
            assertThat(g.rax(44, clientFd, g.string("x"), 1, 0, 0, 0)).as("no address, unconnected")
                    .isEqualTo(-SocketSyscalls.ENOTCONN);
            assertThat(g.rax(49, clientFd, client[0], client[1])).isZero();
            assertThat(g.rax(44, clientFd, g.string("hello"), 5, 0, server[0], server[1])).isEqualTo(5);

            long buffer = g.buffer(16);
            long from = g.buffer(32);
            long fromLength = g.put(new byte[] {32, 0, 0, 0});
            assertThat(g.rax(45, serverFd, buffer, 16, 0, from, fromLength)).isEqualTo(5);
            assertThat(new String(g.machine.memory().read(buffer, 5))).isEqualTo("hello");
            assertThat(g.read(fromLength, 4).getInt(0)).as("the sender's name's length").isEqualTo((int) client[1]);
            assertThat(g.machine.memory().read(from, (int) client[1]))
                    .isEqualTo(g.machine.memory().read(client[0], (int) client[1]));
            assertThat(g.rax(45, serverFd, buffer, 16, 0, from, fromLength)).as("nothing more")
                    .isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(3, serverFd)).isZero();
            assertThat(g.rax(44, clientFd, g.string("x"), 1, 0, server[0], server[1])).as("its name is gone")
                    .isEqualTo(-ECONNREFUSED);

            long automatic = g.rax(41, AF_UNIX, SOCK_DGRAM, 0);
            long familyOnly = g.put(new byte[] {AF_UNIX, 0});
            assertThat(g.rax(49, automatic, familyOnly, 2)).as("autobind").isZero();
            long nameLength = g.put(new byte[] {32, 0, 0, 0});
            assertThat(g.rax(51, automatic, g.buffer(32), nameLength)).isZero();
            assertThat(g.read(nameLength, 4).getInt(0)).as("the family, a NUL and five hex digits").isEqualTo(8);
            assertThat(g.rax(49, automatic, familyOnly, 2)).as("again: nothing changes").isZero();
        }
    }

    @Test
    void aSocketFileIsMadeOnlyWhereTheProgramMayWrite() {
        try (Guest g = new Guest(root, false)) {
            long server = g.rax(41, AF_UNIX, SOCK_STREAM, 0);
            long[] name = address(g, "/s.sock");
            assertThat(g.rax(49, server, name[0], name[1])).isEqualTo(-Errno.EROFS);
            assertThat(root.resolve("s.sock")).doesNotExist();
        }
    }
}
