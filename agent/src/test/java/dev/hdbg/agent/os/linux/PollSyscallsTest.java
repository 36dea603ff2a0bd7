package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * poll, ppoll, select and pselect6 on a real machine: a pipe's read end is ready once written, its write end always;
 * the ready sets are written back; a closed descriptor is EBADF (select) or POLLNVAL (poll); nothing ready with a
 * timeout sleeps it on the guest's clock, as nanosleep does (select as a sleep, a common idiom), when no other thread
 * could make a descriptor ready meanwhile.
 */
class PollSyscallsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    private static long fdSet(Guest g, int... fds) {
        long set = 0;
        for (int fd : fds) {
            set |= 1L << fd;
        }
        return g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(set).putLong(-1L).array());
    }

    @Test
    void selectKeepsTheReadyDescriptorsOfEachSet() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            assertThat(g.rax(22, pair)).as("pipe").isZero();
            int readEnd = g.read(pair, 4).getInt();
            int writeEnd = g.read(pair + 4, 4).getInt();
            long reads = fdSet(g, readEnd);
            long writes = fdSet(g, writeEnd, readEnd);
            long zero = g.put(new byte[16]);
            assertThat(g.rax(23, writeEnd + 1, reads, writes, 0, zero)).as("only the write end").isEqualTo(1);
            assertThat(g.read(reads, 8).getLong()).isZero();
            assertThat(g.read(writes, 8).getLong()).isEqualTo(1L << writeEnd);
            assertThat(g.read(writes + 8, 8).getLong()).as("past nfds untouched").isEqualTo(-1L);

            assertThat(g.rax(1, writeEnd, g.put(new byte[] {7}), 1)).isEqualTo(1);
            reads = fdSet(g, readEnd);
            assertThat(g.rax(270, readEnd + 1, reads, 0, 0, zero, 0)).as("pselect6, data waiting").isEqualTo(1);
            assertThat(g.read(reads, 8).getLong()).isEqualTo(1L << readEnd);
            assertThat(g.rax(23, 20, fdSet(g, 19), 0, 0, zero)).as("a closed descriptor").isEqualTo(-Errno.EBADF);

            long pollfds = g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(readEnd).putShort((short) 1)
                    .putShort((short) 0).putInt(30).putShort((short) 1).putShort((short) 0).array());
            assertThat(g.rax(7, pollfds, 2, -1)).as("poll: the pipe, and POLLNVAL for 30").isEqualTo(2);
            assertThat(g.read(pollfds + 6, 2).getShort()).isEqualTo((short) 1);
            assertThat(g.read(pollfds + 14, 2).getShort()).isEqualTo((short) 0x20);
        }
    }

    @Test
    void nothingReadyWithATimeoutSleepsItOnTheGuestClock() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            g.rax(22, pair);
            int readEnd = g.read(pair, 4).getInt();
            GuestClock clock = g.process.timers().clock();

            long before = clock.monotonic();
            long tenSeconds = g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(10).putLong(0).array());
            assertThat(g.rax(23, 0, 0, 0, 0, tenSeconds)).as("select as a sleep").isZero();
            assertThat(clock.monotonic() - before).isGreaterThanOrEqualTo(10 * SECOND);

            before = clock.monotonic();
            long pollfd = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(readEnd).putShort((short) 1)
                    .array());
            assertThat(g.rax(7, pollfd, 1, 3000)).as("poll of an empty pipe for 3 s").isZero();
            assertThat(clock.monotonic() - before).isBetween(3 * SECOND, 9 * SECOND);
            assertThat(g.rax(271, pollfd, 1, tenSeconds, 0, 8)).as("ppoll").isZero();
            assertThat(g.rax(7, pollfd, 1, 0)).as("a look").isZero();
        }
    }

    /**
     * Beside another thread the poll sleeps in the scheduler until a pipe changes: it looks again, and the data
     * another thread wrote ends it. It returned 0 at once before, and Python's select([pipe], [], [], 5) beside a
     * child took that for its timeout.
     */
    @Test
    void besideAnotherThreadAPollSleepsUntilThePipeItWatchesGetsData() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            g.rax(22, pair);
            int readEnd = g.read(pair, 4).getInt();
            int writeEnd = g.read(pair + 4, 4).getInt();
            long pollfd = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(readEnd).putShort((short) 1)
                    .array());
            g.spawn(56, 0x3d0f00, 0x7000_0000L, 0, 0, 0); // a second thread, which writes the pipe
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(7, pollfd, 1, 5000)).as("it sleeps").isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(186)).as("the second thread runs").isNotEqualTo(4242);
            assertThat(g.rax(1, writeEnd, g.string("x"), 1)).isEqualTo(1);
            assertThat(g.call(24)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the poll is made again").isEqualTo(SYSCALL_AT);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(7);
            assertThat(g.rax(7, pollfd, 1, 5000)).isEqualTo(1);
            assertThat(g.read(pollfd + 6, 2).getShort()).as("revents: POLLIN").isEqualTo((short) 1);
        }
    }

    /** A side gone for good is reported unasked, as Linux does: POLLHUP to a reader, POLLERR to a writer. */
    @Test
    void pollReportsAHangUpToTheReaderAndAnErrorToTheWriterUnasked() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            assertThat(g.rax(22, pair)).as("pipe").isZero();
            int readEnd = g.read(pair, 4).getInt();
            int writeEnd = g.read(pair + 4, 4).getInt();
            assertThat(g.rax(1, writeEnd, g.put(new byte[] {7}), 1)).isEqualTo(1);
            assertThat(g.rax(3, writeEnd)).isZero();
            long pollfd = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(readEnd).putShort((short) 1)
                    .array());
            assertThat(g.rax(7, pollfd, 1, 0)).isEqualTo(1);
            assertThat(g.read(pollfd + 6, 2).getShort()).as("POLLIN | POLLHUP").isEqualTo((short) 0x11);
            assertThat(g.rax(0, readEnd, g.buffer(1), 1)).isEqualTo(1);
            assertThat(g.rax(7, pollfd, 1, 0)).isEqualTo(1);
            assertThat(g.read(pollfd + 6, 2).getShort()).as("end of file: POLLHUP alone").isEqualTo((short) 0x10);

            assertThat(g.rax(22, pair)).as("pipe").isZero();
            readEnd = g.read(pair, 4).getInt();
            writeEnd = g.read(pair + 4, 4).getInt();
            assertThat(g.rax(3, readEnd)).isZero();
            pollfd = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(writeEnd).putShort((short) 0)
                    .array());
            assertThat(g.rax(7, pollfd, 1, 0)).isEqualTo(1);
            assertThat(g.read(pollfd + 6, 2).getShort()).as("POLLERR, nothing asked").isEqualTo((short) 0x8);
        }
    }

    /** When every thread sleeps the clock jumps to the poll's deadline: made again, it returns 0 there, not later. */
    @Test
    void besideAnotherThreadAPollNothingEndsReturnsZeroAtItsDeadline() {
        try (Guest g = new Guest(root, false)) {
            long pair = g.buffer(8);
            g.rax(22, pair);
            int readEnd = g.read(pair, 4).getInt();
            long pollfd = g.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(readEnd).putShort((short) 1)
                    .array());
            GuestClock clock = g.process.timers().clock();
            g.spawn(56, 0x3d0f00, 0x7000_0000L, 0, 0, 0);
            long before = clock.monotonic();
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(7, pollfd, 1, 3000)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            long word = g.put(new byte[8]);
            assertThat(g.call(202, word, 0, 0, 0)).as("the second thread waits for ever")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(clock.monotonic() - before).isBetween(3 * SECOND, 4 * SECOND);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("the poll made again").isEqualTo(7);
            assertThat(g.rax(7, pollfd, 1, 3000)).as("its deadline kept: 0, not 3 s more").isZero();
            assertThat(clock.monotonic() - before).isLessThan(4 * SECOND);
            assertThat(g.process.scheduler().current().waitUntil).isEqualTo(GuestThread.NO_WAIT);
        }
    }
}
