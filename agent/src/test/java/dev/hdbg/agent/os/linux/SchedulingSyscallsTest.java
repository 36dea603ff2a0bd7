package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chrt, ionice and Python's os.sched_* under the rules Linux has for a process without CAP_SYS_NICE: the normal
 * policies and I/O classes are kept and reported and inherited by a fork, the real-time ones are EPERM.
 */
class SchedulingSyscallsTest {
    private static final int SETSCHEDULER = 144;
    private static final int GETSCHEDULER = 145;
    private static final int GETPARAM = 143;
    private static final int PRIORITY_MAX = 146;
    private static final int PRIORITY_MIN = 147;
    private static final int SETATTR = 314;
    private static final int GETATTR = 315;
    private static final int IOPRIO_SET = 251;
    private static final int IOPRIO_GET = 252;
    private static final int FORK = 57;
    private static final int RESET_ON_FORK = 0x40000000;

    @TempDir
    Path root;

    @Test
    void theNormalPoliciesAreKeptAndTheRealTimeOnesRefused() {
        try (Guest g = new Guest(root, false)) {
            long zero = g.put(new byte[4]);
            long ten = g.put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(10).array());
            assertThat(g.rax(GETSCHEDULER, 0)).as("SCHED_OTHER").isZero();
            assertThat(g.rax(PRIORITY_MAX, 1)).isEqualTo(99);
            assertThat(g.rax(PRIORITY_MIN, 2)).isEqualTo(1);
            assertThat(g.rax(PRIORITY_MAX, 0)).isZero();
            assertThat(g.rax(PRIORITY_MAX, 7)).isEqualTo(-Errno.EINVAL);

            assertThat(g.rax(SETSCHEDULER, 0, 1, ten)).as("SCHED_FIFO without RLIMIT_RTPRIO").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(SETSCHEDULER, 0, 1, zero)).as("SCHED_FIFO at 0").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(SETSCHEDULER, 0, 3, ten)).as("SCHED_BATCH at 10").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(SETSCHEDULER, 0, 6, zero)).as("SCHED_DEADLINE is sched_setattr's").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(SETSCHEDULER, 0, 3, 0)).as("no param").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(SETSCHEDULER, -1, 3, zero)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(SETSCHEDULER, 9999, 3, zero)).isEqualTo(-Errno.ESRCH);

            assertThat(g.rax(SETSCHEDULER, 0, 3 | RESET_ON_FORK, zero)).isZero();
            assertThat(g.rax(GETSCHEDULER, 4242)).isEqualTo(3 | RESET_ON_FORK);
            long param = g.put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).array());
            assertThat(g.rax(GETPARAM, 0, param)).isZero();
            assertThat(g.machine.memory().read(param, 4)).containsOnly(0);
            long child = g.spawn(FORK);
            assertThat(g.rax(GETSCHEDULER, child)).as("the child's: the policy, not the flag").isEqualTo(3);
            assertThat(g.rax(SETSCHEDULER, 0, 3, zero)).as("clearing the flag needs privilege").isEqualTo(-Errno.EPERM);

            assertThat(g.rax(SETSCHEDULER, 0, 5 | RESET_ON_FORK, zero)).as("SCHED_IDLE").isZero();
            assertThat(g.rax(SETSCHEDULER, 0, RESET_ON_FORK, zero)).as("leaving SCHED_IDLE").isEqualTo(-Errno.EPERM);

            long attr = g.buffer(64);
            assertThat(g.rax(GETATTR, 0, attr, 48, 0)).isZero();
            ByteBuffer read = ByteBuffer.wrap(g.machine.memory().read(attr, 48)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(read.getInt(0)).as("size").isEqualTo(48);
            assertThat(read.getInt(4)).as("policy").isEqualTo(5);
            assertThat(read.getLong(8)).as("SCHED_FLAG_RESET_ON_FORK").isEqualTo(1);
            assertThat(g.rax(GETATTR, 0, attr, 40, 0)).isEqualTo(-Errno.EINVAL);
        }
    }

    @Test
    void schedSetattrSetsANormalPolicyAndARaisedNiceValue() {
        try (Guest g = new Guest(root, false)) {
            long attr = g.put(ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 56).putInt(4, 3)
                    .putInt(16, 7).array());
            assertThat(g.rax(SETATTR, 0, attr, 0)).isZero();
            assertThat(g.rax(GETSCHEDULER, 0)).isEqualTo(3);
            assertThat(g.rax(140, 0, 0)).as("getpriority: 20 - nice").isEqualTo(13);
            long lower = g.put(ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 56).putInt(4, 0)
                    .putInt(16, 2).array());
            assertThat(g.rax(SETATTR, 0, lower, 0)).as("a lower nice value").isEqualTo(-Errno.EPERM);
            long deadline = g.put(ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 56).putInt(4, 6)
                    .putInt(16, 7).array());
            assertThat(g.rax(SETATTR, 0, deadline, 0)).isEqualTo(-Errno.EPERM);
        }
    }

    @Test
    void ioPrioritiesOfTheIdleAndBestEffortClassesAreKeptAndInherited() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(IOPRIO_GET, 1, 0)).as("IOPRIO_CLASS_NONE, as Linux starts").isZero();
            assertThat(g.rax(IOPRIO_SET, 1, 0, 1 << 13)).as("the real-time class").isEqualTo(-Errno.EPERM);
            assertThat(g.rax(IOPRIO_SET, 1, 0, 2 << 13 | 8)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(IOPRIO_SET, 1, 0, 4 << 13)).isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(IOPRIO_SET, 4, 0, 3 << 13)).as("which").isEqualTo(-Errno.EINVAL);
            assertThat(g.rax(IOPRIO_SET, 1, 9999, 3 << 13)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(IOPRIO_SET, 1, 0, 2 << 13 | 6)).isZero();
            long child = g.spawn(FORK);
            assertThat(g.rax(IOPRIO_GET, 1, child)).as("inherited").isEqualTo(2 << 13 | 6);
            assertThat(g.rax(IOPRIO_SET, 1, child, 3 << 13)).isZero();
            assertThat(g.rax(IOPRIO_GET, 1, child)).isEqualTo(3 << 13);
            assertThat(g.rax(IOPRIO_GET, 3, 0)).as("the user's: the most urgent, the parent's best effort 6")
                    .isEqualTo(2 << 13 | 6);
        }
    }
}
