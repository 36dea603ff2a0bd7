package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** epoll over pipes and socket pairs: level-triggered readiness, one-shot, the closed descriptor dropped. */
class EpollSyscallsTest {
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLLOUT = 0x4;
    private static final int EPOLLHUP = 0x10;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLLET = 1 << 31;
    private static final int O_RDONLY = 0;

    @TempDir
    Path root;

    /** struct epoll_event, packed: events, then data. */
    private static long event(Guest g, int events, long data) {
        return g.put(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(events).putLong(data).array());
    }

    private static long[] pipe(Guest g) {
        long fds = g.buffer(8);
        assertThat(g.rax(22, fds)).isZero();
        return new long[] {g.read(fds, 4).getInt(0), g.read(fds + 4, 4).getInt(0)};
    }

    @Test
    void aPipeIsReportedWhileItHasDataAndItsWritersHangUpIsReportedUnasked() {
        try (Guest g = new Guest(root, false)) {
            long epfd = g.rax(291, 0);
            long[] pipe = pipe(g);
            long out = g.buffer(12 * 4);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[0], event(g, EPOLLIN | EPOLLET, 0x1111))).isZero();
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[1], event(g, EPOLLOUT, 0x2222))).isZero();
            assertThat(g.rax(232, epfd, out, 4, 0)).as("only the write end").isEqualTo(1);
            assertThat(g.read(out, 12).getInt(0)).isEqualTo(EPOLLOUT);
            assertThat(g.read(out, 12).getLong(4)).isEqualTo(0x2222);

            assertThat(g.rax(1, pipe[1], g.string("x"), 1)).isEqualTo(1);
            assertThat(g.rax(232, epfd, out, 4, 0)).isEqualTo(2);
            assertThat(g.read(out, 12).getInt(0)).isEqualTo(EPOLLIN);
            assertThat(g.read(out, 12).getLong(4)).isEqualTo(0x1111);
            assertThat(g.rax(232, epfd, out, 1, 0)).as("maxevents").isEqualTo(1);
            assertThat(g.rax(232, epfd, out, 4, 0)).as("level-triggered, EPOLLET or not").isEqualTo(2);

            assertThat(g.rax(233, epfd, EPOLL_CTL_DEL, pipe[1], 0)).isZero();
            assertThat(g.rax(3, pipe[1])).isZero();
            assertThat(g.rax(232, epfd, out, 4, 0)).isEqualTo(1);
            assertThat(g.read(out, 12).getInt(0)).as("data, and the writers gone").isEqualTo(EPOLLIN | EPOLLHUP);
        }
    }

    @Test
    void aOneShotDescriptorIsReportedOnceUntilModifiedAndAClosedOneLeavesTheSet() {
        try (Guest g = new Guest(root, false)) {
            long epfd = g.rax(291, 0);
            long[] pipe = pipe(g);
            long out = g.buffer(12 * 4);
            assertThat(g.rax(1, pipe[1], g.string("x"), 1)).isEqualTo(1);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[0], event(g, EPOLLIN | EPOLLONESHOT, 7))).isZero();
            assertThat(g.rax(232, epfd, out, 4, 0)).isEqualTo(1);
            assertThat(g.rax(232, epfd, out, 4, 0)).as("disarmed").isZero();
            assertThat(g.rax(233, epfd, EPOLL_CTL_MOD, pipe[0], event(g, EPOLLIN, 8))).isZero();
            assertThat(g.rax(232, epfd, out, 4, 0)).isEqualTo(1);
            assertThat(g.read(out, 12).getLong(4)).isEqualTo(8);

            assertThat(g.rax(3, pipe[0])).isZero();
            assertThat(g.rax(232, epfd, out, 4, 0)).isZero();
            assertThat(g.rax(233, epfd, EPOLL_CTL_DEL, pipe[1], 0)).as("never added").isEqualTo(-Errno.ENOENT);
        }
    }

    @Test
    void whatEpollRefusesItRefusesWithLinuxsErrors() throws Exception {
        Files.writeString(root.resolve("f"), "data");
        try (Guest g = new Guest(root, false)) {
            long epfd = g.rax(291, 0);
            long[] pipe = pipe(g);
            long file = g.rax(2, g.string("/f"), O_RDONLY);
            long ev = event(g, EPOLLIN, 0);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, file, ev)).as("a regular file").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, epfd, ev)).as("itself").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(233, pipe[0], EPOLL_CTL_ADD, pipe[1], ev)).as("not an epoll").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, 99, ev)).isEqualTo(-Errno.EBADF);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[0], ev)).isZero();
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[0], ev)).isEqualTo(-Errno.EEXIST);
            assertThat(g.rax(233, epfd, 9, pipe[0], ev)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(232, epfd, g.buffer(12), 0, 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(291, 1)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(213, 0)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(213, 1)).isPositive();
        }
    }

    /** As poll's: a thread alone sleeps the timeout on the guest clock, nothing being able to make a descriptor ready. */
    @Test
    void aWaitWithNothingReadySleepsItsTimeoutWhenAlone() {
        try (Guest g = new Guest(root, false)) {
            long epfd = g.rax(291, 0);
            long[] pipe = pipe(g);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, pipe[0], event(g, EPOLLIN, 0))).isZero();
            long before = g.process.table().clock().monotonic();
            assertThat(g.rax(232, epfd, g.buffer(12), 1, 250)).isZero();
            assertThat(g.process.table().clock().monotonic() - before).isGreaterThanOrEqualTo(250_000_000L);
        }
    }

    @Test
    void aSocketPairCarriesBytesBothWaysAndItsNonBlockingEndSaysEagain() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            assertThat(g.rax(53, 1, 1 | 04000, 0, pair)).isZero(); // AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK
            long a = g.read(pair, 4).getInt(0);
            long b = g.read(pair + 4, 4).getInt(0);
            long buffer = g.buffer(16);
            assertThat(g.rax(45, b, buffer, 16, 0, 0, 0)).as("recv of nothing").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(44, a, g.string("ping"), 4, 0, 0, 0)).isEqualTo(4);
            long epfd = g.rax(291, 0);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, b, event(g, EPOLLIN, 0))).isZero();
            assertThat(g.rax(232, epfd, g.buffer(12), 1, 0)).isEqualTo(1);
            assertThat(g.rax(45, b, buffer, 16, 0, 0, 0)).isEqualTo(4);
            assertThat(new String(g.machine.memory().read(buffer, 4))).isEqualTo("ping");
            assertThat(g.rax(1, b, g.string("pong"), 4)).as("write works on a socket too").isEqualTo(4);
            assertThat(g.rax(44, b, g.string("!"), 1, 0x8000, 0, 0)).as("MSG_MORE: taken, as Linux takes it")
                    .isEqualTo(1);
            assertThat(g.rax(45, a, buffer, 16, 0x1, 0, 0)).as("MSG_OOB: no out-of-band data")
                    .isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(45, a, buffer, 16, 0x100 | 0x40, 0, 0)).as("MSG_WAITALL | MSG_DONTWAIT: what is there")
                    .isEqualTo(5);

            assertThat(g.rax(48, a, 1)).as("shutdown(SHUT_WR)").isZero();
            assertThat(g.rax(45, b, buffer, 16, 0, 0, 0)).as("end of file").isZero();
            assertThat(g.rax(44, a, g.string("x"), 1, 0x4000, 0, 0)).as("MSG_NOSIGNAL: EPIPE, no SIGPIPE")
                    .isEqualTo(-Errno.EPIPE);
            assertThat(g.rax(53, 1, 4, 0, pair)).as("SOCK_RDM").isEqualTo(-Errno.ESOCKTNOSUPPORT);
            assertThat(g.rax(53, 2, 1, 0, pair)).as("AF_INET, which has no socketpair").isEqualTo(-Errno.EOPNOTSUPP);
            assertThat(g.rax(53, 17, 1, 0, pair)).as("AF_PACKET, which the machine lacks").isEqualTo(-97);
        }
    }

    @Test
    void fionbioMakesAPipesReadFailWithEagainInsteadOfWaiting() {
        try (Guest g = new Guest(root, false)) {
            long[] pipe = pipe(g);
            long on = g.put(new byte[] {1, 0, 0, 0});
            assertThat(g.rax(16, pipe[0], 0x5421, on)).isZero();
            assertThat(g.rax(0, pipe[0], g.buffer(4), 4)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(72, pipe[0], 3)).as("F_GETFL shows O_NONBLOCK").isEqualTo(04000);
            assertThat(g.rax(16, pipe[0], 0x5451, 0)).as("FIOCLEX").isZero();
            assertThat(g.rax(72, pipe[0], 1)).as("F_GETFD: FD_CLOEXEC").isEqualTo(1);
            assertThat(g.rax(16, pipe[0], 0x5401, g.buffer(64))).as("TCGETS: not a terminal").isEqualTo(-Errno.ENOTTY);
        }
    }

    /** eventfd: writes add, a read takes the count (one with EFD_SEMAPHORE), epoll sees it while it is not 0. */
    @Test
    void anEventCounterAddsWritesAndAReadTakesThemAsEpollSees() {
        try (Guest g = new Guest(root, false)) {
            long efd = g.rax(290, 0, 04000); // EFD_NONBLOCK
            long epfd = g.rax(291, 0);
            assertThat(g.rax(233, epfd, EPOLL_CTL_ADD, efd, event(g, EPOLLIN, 5))).isZero();
            long value = g.buffer(8);
            assertThat(g.rax(0, efd, value, 8)).as("nothing counted").isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(232, epfd, g.buffer(12), 1, 0)).isZero();
            long three = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(3).array());
            assertThat(g.rax(1, efd, three, 8)).isEqualTo(8);
            assertThat(g.rax(1, efd, three, 8)).isEqualTo(8);
            assertThat(g.rax(232, epfd, g.buffer(12), 1, 0)).isEqualTo(1);
            assertThat(g.rax(0, efd, value, 8)).isEqualTo(8);
            assertThat(g.read(value, 8).getLong(0)).isEqualTo(6);
            assertThat(g.rax(0, efd, value, 4)).as("a buffer under 8 bytes").isEqualTo(-Errno.EINVAL);

            long semaphore = g.rax(290, 2, 1 | 04000); // EFD_SEMAPHORE | EFD_NONBLOCK
            assertThat(g.rax(0, semaphore, value, 8)).isEqualTo(8);
            assertThat(g.read(value, 8).getLong(0)).isEqualTo(1);
            assertThat(g.rax(0, semaphore, value, 8)).isEqualTo(8);
            assertThat(g.rax(0, semaphore, value, 8)).isEqualTo(-Errno.EAGAIN);
            long max = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
            assertThat(g.rax(1, semaphore, max, 8)).as("0xffffffffffffffff").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(290, 0, 0x100)).isEqualTo(-Errno.EINVAL);
        }
    }
}
