package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;
import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clone, futex and exit of one thread as glibc's pthreads use them, on a real machine: each new thread gets a core
 * whose registers are the caller's but for RAX, RSP, RIP and FS_BASE; a futex wait gives up the CPU and the scheduler
 * puts the next thread on it; a thread's exit clears and wakes its CLONE_CHILD_CLEARTID word; nobody left to run is a
 * deadlock, and a lone timed wait expires at once on the guest's clock.
 */
class ThreadSyscallsTest {
    private static final long PTHREAD_FLAGS = 0x3d0f00; // what glibc 2.36's pthread_create passes
    private static final int FUTEX_WAIT_PRIVATE = 128;
    private static final int FUTEX_WAKE_PRIVATE = 129;
    private static final long START_RIP = 0x401000;
    private static final int SIGUSR1 = 10;

    @TempDir
    Path root;

    @Test
    void cloneStartsAThreadOnItsOwnCoreWithTheCallersRegistersButItsOwnStackAndTls() {
        try (Guest g = new Guest(root, false)) {
            long tids = g.buffer(8);
            g.machine.unicorn().regWrite(X86Reg.RIP, START_RIP);
            g.machine.unicorn().regWrite(X86Reg.RBX, 0x1234);
            long tid = g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, tids, tids + 4, 0x5555_0000L);

            assertThat(tid).isEqualTo(4243);
            assertThat(g.read(tids, 4).getInt()).as("CLONE_PARENT_SETTID").isEqualTo(4243);
            Vcpus vcpus = g.machine.vcpus();
            assertThat(vcpus.count()).isEqualTo(2);
            assertThat(vcpus.tid(1)).isEqualTo(4243);
            assertThat(vcpus.read(1, CpuRegister.RAX)).isZero();
            assertThat(vcpus.read(1, CpuRegister.RSP)).isEqualTo(0x7000_0000L);
            assertThat(vcpus.read(1, CpuRegister.RIP)).isEqualTo(START_RIP + 2);
            assertThat(vcpus.read(1, CpuRegister.FS_BASE)).isEqualTo(0x5555_0000L);
            assertThat(vcpus.read(1, CpuRegister.RBX)).isEqualTo(0x1234);
            assertThat(vcpus.current()).as("the caller keeps the CPU").isZero();
        }
    }

    @Test
    void aFutexWaitGivesTheCpuToTheNextThreadAndAnExitWakesTheJoiner() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[] {5, 0, 0, 0, 0, 0, 0, 0});
            g.machine.unicorn().regWrite(X86Reg.RIP, START_RIP);
            g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, word + 4, word, 0);
            // CLONE_CHILD_CLEARTID wrote nothing yet; the joiner waits for the tid word (here 5) to become 0.
            assertThat(g.call(202, word, FUTEX_WAIT_PRIVATE, 4, 0)).as("a word that changed")
                    .isEqualTo(new LinuxSyscalls.Result.Returned(-Errno.EAGAIN));
            assertThat(g.call(202, word, FUTEX_WAIT_PRIVATE, 5, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.vcpus().current()).as("the new thread runs").isEqualTo(1);
            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).isEqualTo(START_RIP + 2);
            assertThat(g.rax(186)).as("gettid").isEqualTo(4243);

            assertThat(g.call(60, 0)).as("exit of one thread").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.read(word, 4).getInt()).as("CLONE_CHILD_CLEARTID cleared").isZero();
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.vcpus().current()).isZero();
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).as("the joiner's futex returned 0").isZero();
            assertThat(g.machine.vcpus().count()).as("the exited thread's core is free").isEqualTo(1);
            assertThat(g.rax(186)).isEqualTo(4242);
            assertThat(g.call(60, 3)).as("the last thread's exit ends the process")
                    .isEqualTo(new LinuxSyscalls.Result.Exited(3));
        }
    }

    @Test
    void aWakeWakesOnlyAsManyWaitersAsAskedInCoreOrder() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, 0, 0, 0);
            g.spawn(56, PTHREAD_FLAGS, 0x7100_0000L, 0, 0, 0);
            g.call(202, word, FUTEX_WAIT_PRIVATE, 0, 0); // core 0 waits
            g.syscalls.deliverDue();
            g.call(202, word, FUTEX_WAIT_PRIVATE, 0, 0); // core 1 waits
            g.syscalls.deliverDue();
            assertThat(g.machine.vcpus().current()).isEqualTo(2);
            assertThat(g.rax(202, word, FUTEX_WAKE_PRIVATE, 1)).as("one woken").isEqualTo(1);
            assertThat(g.machine.vcpus().runnable(0)).isTrue();
            assertThat(g.machine.vcpus().runnable(1)).isFalse();
            assertThat(g.rax(202, word, FUTEX_WAKE_PRIVATE, Integer.MAX_VALUE)).isEqualTo(1);
            assertThat(g.rax(202, word, FUTEX_WAKE_PRIVATE, 1)).as("nobody left").isZero();
        }
    }

    @Test
    void everyThreadWaitingWithoutATimeoutIsADeadlockThatEndsTheProgram() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            LinuxSyscalls.Result result = g.everyThreadWaitsInFutex(word);

            assertThat(result).isInstanceOf(LinuxSyscalls.Result.Deadlocked.class);
            assertThat(((LinuxSyscalls.Result.Deadlocked) result).message())
                    .contains("thread 4242 of process 4242 (core 0, waiting in futex at 0x" + Long.toHexString(word)
                            + " without timeout)", "thread 4243 of process 4242 (core 1, waiting in futex at 0x"
                            + Long.toHexString(word + 4));
            assertThat(g.process.exitStatus()).hasValue(137);
        }
    }

    @Test
    void aLoneTimedWaitExpiresAtOnceWithTheGuestClockMovedToItsDeadline() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            long timeout = g.put(UserMemory.struct(16).putLong(30).putLong(0).array()); // 30 s
            long before = g.process.timers().clock().monotonic();
            assertThat(g.call(202, word, FUTEX_WAIT_PRIVATE, 0, timeout)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(-Errno.ETIMEDOUT);
            assertThat(g.process.timers().clock().monotonic() - before).isGreaterThanOrEqualTo(30_000_000_000L);
        }
    }

    @Test
    void aCloneWithoutCloneThreadStartsAProcessOnACoreOfItsOwn() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.spawn(56, 0x11, 0, 0, 0, 0)).isEqualTo(4243); // fork's SIGCHLD
            assertThat(g.notices).isEmpty();
            assertThat(g.machine.vcpus().count()).isEqualTo(2);
            assertThat(g.machine.vcpus().pid(1)).isEqualTo(4243);
        }
    }

    @Test
    void theFirstCloneEndsTheUncountedRunSoThatSlicesCanEndAThreadThatSpinsWithoutSystemCalls() {
        try (Guest g = new Guest(root, false)) {
            long tids = g.buffer(8);
            assertThat(g.syscalls.sliceBlocks()).as("one thread: runs are not counted").isZero();
            assertThat(g.call(56, PTHREAD_FLAGS, 0x7000_0000L, tids, tids + 4, 0))
                    .as("the run going on would never stop a spin loop").isEqualTo(new LinuxSyscalls.Result.Yielded(4243));
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.vcpus().current()).as("the caller keeps the CPU").isZero();
            assertThat(g.syscalls.sliceBlocks()).isEqualTo(Scheduler.SLICE_BLOCKS);
            assertThat(g.call(56, PTHREAD_FLAGS, 0x7100_0000L, tids, tids + 4, 0)).as("counted already")
                    .isEqualTo(new LinuxSyscalls.Result.Returned(4244));
        }
    }

    @Test
    void aSigtimedwaitBesideAnotherThreadSleepsUntilThatThreadSendsTheSignalThenTakesIt() {
        try (Guest g = new Guest(root, false)) {
            long usr1 = g.put(UserMemory.struct(8).putLong(1L << (SIGUSR1 - 1)).array());
            long info = g.buffer(SignalInfo.SIZE);
            g.rax(14, 0, usr1, 0, 8); // blocked, and so in the new thread too
            g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, 0, 0, 0);
            g.syscalls.deliverDue();
            g.machine.unicorn().regWrite(X86Reg.RIP, START_RIP);
            assertThat(g.call(128, usr1, info, 0, 8)).as("no signal yet: it sleeps, not EAGAIN")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.vcpus().current()).isEqualTo(1);

            assertThat(g.rax(62, 4242, SIGUSR1)).as("kill of its own process").isZero();
            assertThat(g.machine.vcpus().runnable(0)).as("the sleeper woke").isTrue();
            assertThat(g.machine.vcpus().read(0, CpuRegister.RIP)).as("to make the call again").isEqualTo(START_RIP);
            assertThat(g.machine.vcpus().read(0, CpuRegister.RAX)).isEqualTo(128);
            g.call(24); // sched_yield: the sleeper's turn
            g.syscalls.deliverDue();
            assertThat(g.machine.vcpus().current()).isZero();
            assertThat(g.rax(128, usr1, info, 0, 8)).as("it takes SIGUSR1").isEqualTo(SIGUSR1);
            assertThat(g.read(info, 4).getInt()).isEqualTo(SIGUSR1);
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void aTimedSigtimedwaitBesideAThreadThatWaitsForItEndsWithEagainAtItsTimeout() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            long usr1 = g.put(UserMemory.struct(8).putLong(1L << (SIGUSR1 - 1)).array());
            long timeout = g.put(UserMemory.struct(16).putLong(30).putLong(0).array()); // 30 s
            g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, 0, 0, 0);
            g.call(202, word, FUTEX_WAIT_PRIVATE, 0, 0); // the caller waits for the new thread
            g.syscalls.deliverDue();
            long before = g.process.timers().clock().monotonic();
            assertThat(g.call(128, usr1, 0, timeout, 8)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            LinuxSyscalls.Result result = g.syscalls.deliverDue();
            assertThat(result).as("not a deadlock: the timeout ends it").isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.machine.vcpus().current()).isEqualTo(1);
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.process.timers().clock().monotonic() - before).isGreaterThanOrEqualTo(30_000_000_000L);
        }
    }

    @Test
    void aPauseBesideAThreadThatWaitsForeverIsADeadlockNamingTheSignalWait() {
        try (Guest g = new Guest(root, false)) {
            long word = g.put(new byte[8]);
            g.spawn(56, PTHREAD_FLAGS, 0x7000_0000L, 0, 0, 0);
            g.call(202, word, FUTEX_WAIT_PRIVATE, 0, 0);
            g.syscalls.deliverDue();
            assertThat(g.call(34)).as("pause").isInstanceOf(LinuxSyscalls.Result.Yielded.class);

            LinuxSyscalls.Result result = g.syscalls.deliverDue();
            assertThat(result).isInstanceOf(LinuxSyscalls.Result.Deadlocked.class);
            assertThat(((LinuxSyscalls.Result.Deadlocked) result).message())
                    .contains("thread 4243 of process 4242 (core 1, waiting for a signal (pause or sigsuspend))");
        }
    }
}
