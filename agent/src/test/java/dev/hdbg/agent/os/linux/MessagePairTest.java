package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * socketpair's datagram and seqpacket sockets through the system calls: one message a send, one a receive, and where
 * the two types part. ProcessProgramsIT compares a C program's whole run with Linux's ({@code msgpair.c}).
 */
class MessagePairTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_NOSIGNAL = 0x4000;

    @TempDir
    Path root;

    /** The two ends of a new pair of {@code type}. */
    private static long[] pair(Guest g, int type) {
        long fds = g.buffer(8);
        assertThat(g.rax(53, AF_UNIX, type, 0, fds)).isZero();
        return new long[] {g.read(fds, 4).getInt(0), g.read(fds + 4, 4).getInt(0)};
    }

    /** Linux's count of what a sender has in flight: how many messages of each size a pair took natively. */
    @Test
    void aSenderHasInFlightWhatLinuxCounts() {
        int[][] measured = {{0, 278}, {100, 278}, {500, 167}, {1000, 93}, {4000, 26}, {10_000, 13}, {50_000, 4},
                {100_000, 3}, {212_960, 1}};
        for (int[] row : measured) {
            int cost = MessagePair.cost(row[0]);
            int fits = (212_992 + cost - 1) / cost; // sends go on while less than the buffer is in flight
            assertThat(fits).as("messages of %d bytes", row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void eachSendIsOneMessageAndAReceiveTakesOneWhole() {
        try (Guest g = new Guest(root, false)) {
            long[] ends = pair(g, SOCK_DGRAM | SOCK_NONBLOCK);
            long buffer = g.buffer(64);
            assertThat(g.rax(1, ends[0], g.string("hello"), 5)).isEqualTo(5);
            assertThat(g.rax(1, ends[0], g.string(""), 0)).as("an empty message").isZero();
            assertThat(g.rax(44, ends[0], g.string("0123456789"), 10, 0, 0, 0)).isEqualTo(10);

            assertThat(g.rax(0, ends[1], buffer, 64)).isEqualTo(5);
            assertThat(g.rax(0, ends[1], buffer, 64)).as("the empty message, not end of file").isZero();
            assertThat(g.rax(45, ends[1], buffer, 4, MSG_TRUNC, 0, 0)).as("MSG_TRUNC: the whole length").isEqualTo(10);
            assertThat(new String(g.machine.memory().read(buffer, 4))).isEqualTo("0123");
            assertThat(g.rax(0, ends[1], buffer, 64)).as("the rest was dropped").isEqualTo(-Errno.EAGAIN);

            assertThat(g.rax(44, ends[0], buffer, MessagePair.MAX_MESSAGE + 1, 0, 0, 0))
                    .as("too long: refused before a byte is read").isEqualTo(-Errno.EMSGSIZE);
            int sent = 0;
            long hundred = g.buffer(100);
            while (g.rax(1, ends[0], hundred, 100) == 100) {
                sent++;
            }
            assertThat(sent).as("100-byte messages in flight, as natively").isEqualTo(278);
        }
    }

    @Test
    void aDatagramPeersCloseRefusesTheNextSendThenItIsNotConnectedAndReadsNeverEnd() {
        try (Guest g = new Guest(root, false)) {
            long[] ends = pair(g, SOCK_RAW | SOCK_NONBLOCK); // a datagram pair for Linux's Unix family
            assertThat(g.rax(1, ends[1], g.string("last"), 4)).isEqualTo(4);
            assertThat(g.rax(3, ends[1])).isZero();
            long buffer = g.buffer(16);
            assertThat(g.rax(0, ends[0], buffer, 16)).isEqualTo(4);
            assertThat(g.rax(0, ends[0], buffer, 16)).as("no end of file").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(44, ends[0], g.string("x"), 1, MSG_NOSIGNAL, 0, 0)).isEqualTo(-Errno.ECONNREFUSED);
            assertThat(g.rax(44, ends[0], g.string("x"), 1, MSG_NOSIGNAL, 0, 0))
                    .isEqualTo(-SocketSyscalls.ENOTCONN);
        }
    }

    @Test
    void aSeqpacketPeersCloseIsEndOfFileAndBrokenPipe() {
        try (Guest g = new Guest(root, false)) {
            long[] ends = pair(g, SOCK_SEQPACKET);
            assertThat(g.rax(1, ends[1], g.string("last"), 4)).isEqualTo(4);
            assertThat(g.rax(3, ends[1])).isZero();
            long buffer = g.buffer(16);
            assertThat(g.rax(0, ends[0], buffer, 16)).isEqualTo(4);
            assertThat(g.rax(0, ends[0], buffer, 16)).as("end of file, without waiting").isZero();
            assertThat(g.rax(44, ends[0], g.string("x"), 1, MSG_NOSIGNAL, 0, 0)).isEqualTo(-Errno.EPIPE);
        }
    }
}
