package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An event loop polls before it blocks, bounded and adaptive (docs/benchmarks.md, "Cross-core wake-ups, wave 12"):
 * a clock of the test's and a selector of the test's that says what each look and each blocking select find, so every
 * count here is exact and nothing is timed.
 */
class PollBeforeBlockTest {
    private static final long MICROS = 1_000;
    private static final long MAX = 200 * MICROS;
    private static final long GROW_START = 25 * MICROS;
    private static final long LOST_CORE = 50 * MICROS;

    /** Time, moved by the test's selector and yield. */
    private long now = 1_000_000_000L;
    /** When the other side's answer is there to be read. */
    private long answerAt = Long.MAX_VALUE;
    /** What a blocking select returns: 1, the answer's channel; 0, a wake-up for a task or a timeout. */
    private int blockHandled = 1;
    /** Time a yield takes. */
    private long yieldNanos = MICROS;
    /** After how many looks a task comes for the loop (-1: never). */
    private int taskAfterPolls = -1;
    private int looks;
    private int blockingSelects;
    private int nonBlockingRuns;

    private final IoHandler selector = new IoHandler() {
        @Override
        public int run(IoHandlerContext context) {
            if (context == PollBeforeBlock.POLL) {
                looks++;
                now += 500; // a selectNow
                return now >= answerAt ? 1 : 0;
            }
            if (!context.canBlock()) {
                nonBlockingRuns++;
                return 0;
            }
            blockingSelects++;
            now = Math.max(now, answerAt);
            return blockHandled;
        }

        @Override
        public IoRegistration register(IoHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wakeup() {
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
            return true;
        }
    };

    /** The loop's context: it may block unless the test's task has come. */
    private final IoHandlerContext loop = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
            return taskAfterPolls < 0 || looks < taskAfterPolls;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return 1_000_000_000L;
        }

        @Override
        public long deadlineNanos() {
            return now + delayNanos(now);
        }
    };

    /** What the compiler signal says. */
    private boolean compiling;

    private final PollBeforeBlock handler = new PollBeforeBlock(selector, new PollWindow(MAX, GROW_START),
            () -> now, () -> now += yieldNanos, LOST_CORE, () -> compiling);

    /** One wait of the loop, the other side answering {@code answerNanos} after it began. */
    private int waitFor(long answerNanos) {
        answerAt = now + answerNanos;
        return handler.run(loop);
    }

    /** Waits answered after 150 µs, until the limit is {@code limit}. */
    private void growTo(long limit) {
        while (handler.window().limitNanos() < limit) {
            waitFor(150 * MICROS);
        }
        assertThat(handler.window().limitNanos()).isEqualTo(limit);
        looks = 0;
    }

    @Test
    void aFreshLoopBlocksAtOnceAndGrowsWhenTheAnswerCameWithinTheMaximum() {
        assertThat(waitFor(60 * MICROS)).isEqualTo(1);

        assertThat(looks).isZero();
        assertThat(blockingSelects).isEqualTo(1);
        assertThat(handler.window().limitNanos()).isEqualTo(GROW_START);
        assertThat(handler.window().grows()).isEqualTo(1);
    }

    /**
     * What the loop's owner does before it blocks (a batch flushes the output it kept) runs once before each blocking
     * select, with the selects it precedes counted, and never for a wait that a poll answered or a task ended.
     */
    @Test
    void theActionBeforeBlockingRunsBeforeEachBlockingSelectAndNotWhenAPollCatches() {
        List<Integer> selectsSeenByTheAction = new ArrayList<>();
        handler.beforeBlocking(() -> selectsSeenByTheAction.add(blockingSelects));
        waitFor(60 * MICROS); // a fresh loop blocks at once
        growTo(GROW_START);
        int actions = selectsSeenByTheAction.size();

        waitFor(10 * MICROS); // a poll takes it
        taskAfterPolls = looks + 2;
        waitFor(MAX); // a task ends the poll
        taskAfterPolls = -1;

        assertThat(selectsSeenByTheAction).hasSize(actions);
        waitFor(150 * MICROS); // past the limit: the loop blocks
        assertThat(selectsSeenByTheAction).hasSize(blockingSelects);
        for (int i = 0; i < selectsSeenByTheAction.size(); i++) {
            assertThat(selectsSeenByTheAction.get(i)).as("the action before select %d", i + 1).isEqualTo(i);
        }
    }

    @Test
    void anAnswerThatComesWhileItPollsIsTakenWithoutBlocking() {
        growTo(GROW_START);
        int blocked = blockingSelects;

        assertThat(waitFor(10 * MICROS)).isEqualTo(1);

        assertThat(looks).isEqualTo(8); // a look and a yield take 1.5 µs: the 8th look ends at 11 µs, the 7th at 9.5
        assertThat(blockingSelects).isEqualTo(blocked);
        assertThat(handler.caught()).isEqualTo(1);
        assertThat(handler.window().limitNanos()).as("a poll that caught changes nothing").isEqualTo(GROW_START);
    }

    @Test
    void aPollEndsAtItsLimitAndBlocksThenTheLimitDoubles() {
        growTo(GROW_START);
        int blocked = blockingSelects;

        waitFor(150 * MICROS);

        assertThat(looks).isEqualTo(17); // 17 looks and yields of 1.5 µs pass 25 µs
        assertThat(blockingSelects).isEqualTo(blocked + 1);
        assertThat(handler.window().limitNanos()).isEqualTo(2 * GROW_START);
    }

    @Test
    void theLimitGrowsToTheMaximumAndNoFurtherAndThenThePollsTakeTheAnswers() {
        for (int i = 0; i < 20; i++) {
            waitFor(150 * MICROS);
        }

        assertThat(handler.window().limitNanos()).isEqualTo(MAX);
        assertThat(handler.window().grows()).isEqualTo(4); // 25, 50, 100, 200 µs
        assertThat(handler.window().shrinks()).isZero();
        assertThat(blockingSelects).as("with limits 0, 25, 50 and 100 µs").isEqualTo(4);
        assertThat(handler.caught()).isEqualTo(16);
    }

    @Test
    void anIdleSessionShrinksTheLimitToNothingAndThenCostsOneBlockingSelectAWait() {
        growTo(MAX);

        for (int i = 0; i < 4; i++) {
            waitFor(5_000_000_000L); // a user typing, a `g` running the guest
        }
        assertThat(handler.window().limitNanos()).isZero();
        assertThat(handler.window().shrinks()).isEqualTo(4); // 100, 50, 25, 0 µs
        looks = 0;
        int blocked = blockingSelects;

        waitFor(5_000_000_000L);

        assertThat(looks).isZero();
        assertThat(blockingSelects).isEqualTo(blocked + 1);
    }

    @Test
    void aWakeUpForATaskOrATimeoutGrowsNothing() {
        blockHandled = 0;

        waitFor(60 * MICROS);
        waitFor(60 * MICROS);

        assertThat(handler.window().limitNanos()).isZero();
        assertThat(handler.window().grows()).isZero();
    }

    @Test
    void aTaskForTheLoopEndsThePollWithoutBlocking() {
        growTo(MAX);
        int blocked = blockingSelects;
        taskAfterPolls = 2;

        assertThat(waitFor(150 * MICROS)).isZero();

        assertThat(looks).isEqualTo(2);
        assertThat(blockingSelects).isEqualTo(blocked);
    }

    @Test
    void aYieldThatReturnsLateEndsThePollAndTheLoopBlocks() {
        growTo(MAX);
        int blocked = blockingSelects;
        yieldNanos = 2 * LOST_CORE; // another process had the core: a loaded machine

        waitFor(150 * MICROS);

        assertThat(looks).isEqualTo(1);
        assertThat(handler.coresLost()).isEqualTo(1);
        assertThat(blockingSelects).isEqualTo(blocked + 1);
        assertThat(handler.window().limitNanos()).isZero();
    }

    @Test
    void afterALostCoreTheLoopHoldsOffPollingForWaitsThatDoubleWithEachLossAndHalveWithEachCatch() {
        growTo(MAX);
        yieldNanos = 2 * LOST_CORE;
        waitFor(150 * MICROS); // the core is lost: no poll in the next 8 waits
        yieldNanos = MICROS;

        assertThat(waitsUntilTheLimitGrows()).isEqualTo(PollWindow.FIRST_HOLD_OFF);

        yieldNanos = 2 * LOST_CORE;
        waitFor(150 * MICROS); // lost again: 16
        yieldNanos = MICROS;
        assertThat(waitsUntilTheLimitGrows()).isEqualTo(2 * PollWindow.FIRST_HOLD_OFF);

        growTo(MAX);
        waitFor(10 * MICROS); // a poll catches: the next loss holds off half of 32 waits
        yieldNanos = 2 * LOST_CORE;
        waitFor(150 * MICROS);
        yieldNanos = MICROS;
        assertThat(waitsUntilTheLimitGrows()).isEqualTo(2 * PollWindow.FIRST_HOLD_OFF);

        growTo(MAX);
        for (int i = 0; i < 3; i++) {
            waitFor(10 * MICROS); // three catches: 16 halves to 8, and no lower
        }
        yieldNanos = 2 * LOST_CORE;
        waitFor(150 * MICROS);
        yieldNanos = MICROS;
        assertThat(waitsUntilTheLimitGrows()).isEqualTo(PollWindow.FIRST_HOLD_OFF);
    }

    /** Waits answered after 150 µs, counted with the one that lost the core, until the limit is above 0 again. */
    private int waitsUntilTheLimitGrows() {
        int waits = 1;
        looks = 0;
        while (handler.window().limitNanos() == 0) {
            waitFor(150 * MICROS);
            waits++;
        }
        assertThat(looks).as("no poll while holding off").isZero();
        return waits - 1;
    }

    @Test
    void withTasksWaitingTheLoopLooksOnceAsNettyDoes() {
        growTo(MAX);
        int blocked = blockingSelects;
        taskAfterPolls = 0;

        waitFor(150 * MICROS);

        assertThat(nonBlockingRuns).isEqualTo(1);
        assertThat(looks).isZero();
        assertThat(blockingSelects).isEqualTo(blocked);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pollingSwitchedOffLeavesNettysOwnHandler(Transport transport) {
        IoHandler off = PollBeforeBlock.of(transport, new PollBeforeBlock.Settings(0, GROW_START, LOST_CORE))
                .newHandler(THIS_THREAD);
        IoHandler on = PollBeforeBlock.of(transport, new PollBeforeBlock.Settings(MAX, GROW_START, LOST_CORE))
                .newHandler(THIS_THREAD);
        try {
            assertThat(off).isInstanceOf(transport == Transport.EPOLL ? EpollIoHandler.class : NioIoHandler.class);
            assertThat(on).isInstanceOf(PollBeforeBlock.class);
        } finally {
            off.destroy();
            on.destroy();
        }
    }

    /**
     * A look must not wait: epoll's handler takes NIO's look (a context that may block, with no deadline) as "block
     * until something comes", which would hang every poll of an idle connection.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLookAtAnIdleLoopOfEitherTransportReturnsWithNothingHandled(Transport transport) {
        IoHandler handler = transport.handlers().newHandler(THIS_THREAD);
        try {
            handler.initialize();
            for (int i = 0; i < 3; i++) {
                assertThat(handler.run(transport.lookWithoutWaiting())).isZero();
            }
        } finally {
            handler.destroy();
        }
    }

    private static final ThreadAwareExecutor THIS_THREAD = new ThreadAwareExecutor() {
        @Override
        public boolean isExecutorThread(Thread thread) {
            return true;
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    @Test
    void theSystemPropertySetsTheMaximumInMicroseconds() {
        String old = System.getProperty(PollBeforeBlock.PROPERTY);
        try {
            System.setProperty(PollBeforeBlock.PROPERTY, "0");
            assertThat(PollBeforeBlock.Settings.fromSystemProperties().maxNanos()).isZero();
            System.setProperty(PollBeforeBlock.PROPERTY, "80");
            assertThat(PollBeforeBlock.Settings.fromSystemProperties().maxNanos()).isEqualTo(80 * MICROS);
            System.clearProperty(PollBeforeBlock.PROPERTY);
            assertThat(PollBeforeBlock.Settings.fromSystemProperties().maxNanos()).isEqualTo(MAX);
        } finally {
            if (old == null) {
                System.clearProperty(PollBeforeBlock.PROPERTY);
            } else {
                System.setProperty(PollBeforeBlock.PROPERTY, old);
            }
        }
    }

    /**
     * A fresh JVM's compilers are runnable beside the loop: a poll's yield would hand them the core. While they are
     * busy the loop blocks at once, and it polls again when they are done, with the limit it learnt meanwhile.
     */
    @Test
    void whileTheCompilersAreBusyTheLoopBlocksWithoutAPollAndPollsWhenTheyAreDone() {
        growTo(GROW_START);
        compiling = true;
        int blocked = blockingSelects;

        for (int i = 0; i < 5; i++) {
            assertThat(waitFor(10 * MICROS)).isEqualTo(1);
        }

        assertThat(looks).isZero();
        assertThat(blockingSelects).isEqualTo(blocked + 5);
        assertThat(handler.skippedWhileCompiling()).isEqualTo(5);
        assertThat(handler.coresLost()).as("no yield, so no core lost and no hold-off").isZero();

        compiling = false;
        assertThat(waitFor(10 * MICROS)).isEqualTo(1);
        assertThat(handler.caught()).isEqualTo(1);
        assertThat(blockingSelects).isEqualTo(blocked + 5);
    }

    @Test
    void theCompilersAreBusyUntilTheirTotalTimeHasNotMovedForTheQuietTime() {
        long[] total = {0};
        long[] clock = {0};
        CompilerActivity compilers = new CompilerActivity(() -> total[0], () -> clock[0], 10 * MICROS * 1_000);
        assertThat(compilers.getAsBoolean()).as("the first look sees the total move from nothing").isTrue();
        clock[0] += 9_999_999;
        assertThat(compilers.getAsBoolean()).isTrue();
        clock[0] += 1;
        assertThat(compilers.getAsBoolean()).as("10 ms without a change").isFalse();
        total[0] = 3;
        assertThat(compilers.getAsBoolean()).as("a compile ended").isTrue();
        clock[0] += 10_000_000;
        assertThat(compilers.getAsBoolean()).isFalse();
    }

    @Test
    void theSystemPropertyTurnsPollingWhileCompilingOff() {
        String before = System.getProperty(PollBeforeBlock.WHILE_COMPILING_PROPERTY);
        try {
            System.setProperty(PollBeforeBlock.WHILE_COMPILING_PROPERTY, "false");
            assertThat(PollBeforeBlock.Settings.fromSystemProperties().notWhileCompiling()).isTrue();
            System.setProperty(PollBeforeBlock.WHILE_COMPILING_PROPERTY, "true");
            assertThat(PollBeforeBlock.Settings.fromSystemProperties().notWhileCompiling()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(PollBeforeBlock.WHILE_COMPILING_PROPERTY);
            } else {
                System.setProperty(PollBeforeBlock.WHILE_COMPILING_PROPERTY, before);
            }
        }
    }
}
