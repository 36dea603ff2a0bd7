package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nanosleep beside another thread sleeps in the scheduler while the other runs, instead of jumping the clock that
 * thread lives on: a background {@code sleep 0.2} of a shell took no time at all when it ran before the shell's
 * {@code date}.
 */
class SleepBesideOthersTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long SYSCALL_AT = 0x400100;

    @TempDir
    Path root;

    private static long timespec(Guest g, long seconds) {
        return g.put(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(seconds).putLong(0).array());
    }

    @Test
    void aSleepBesideARunningThreadLeavesTheClockAloneAndEndsWhenItReachesTheDeadline() {
        try (Guest g = new Guest(root, false)) {
            GuestClock clock = g.process.timers().clock();
            g.spawn(56, 0x3d0f00, 0x7000_0000L, 0, 0, 0);
            long before = clock.monotonic();
            g.machine.unicorn().regWrite(X86Reg.RIP, SYSCALL_AT);
            assertThat(g.call(35, timespec(g, 5), 0)).as("it sleeps").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(clock.monotonic() - before).as("no jump while another thread runs").isLessThan(SECOND);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            long tid = g.rax(186);
            assertThat(tid).as("the other thread runs").isNotEqualTo(4242);
            assertThat(g.rax(24)).as("a yield: the sleeper is not due yet, so this thread goes on").isZero();
            assertThat(g.syscalls.switchDue()).isFalse();
            assertThat(g.rax(186)).isEqualTo(tid);

            long word = g.put(new byte[8]);
            assertThat(g.call(202, word, 0, 0, 0)).as("the other thread waits for ever")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(clock.monotonic() - before).as("now every thread sleeps: the clock jumps to the deadline")
                    .isBetween(5 * SECOND, 6 * SECOND);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("the nanosleep made again").isEqualTo(35);
            assertThat(g.rax(35, timespec(g, 5), 0)).as("past its deadline: 0, not 5 s more").isZero();
            assertThat(clock.monotonic() - before).isLessThan(6 * SECOND);
            assertThat(g.process.scheduler().current().waitUntil).isEqualTo(GuestThread.NO_WAIT);
        }
    }
}
