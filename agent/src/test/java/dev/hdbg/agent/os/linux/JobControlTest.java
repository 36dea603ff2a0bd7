package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control at the system-call level ({@link JobControl}): a stopped child never goes on the CPU until SIGCONT, its
 * parent's wait4 reports the stop and the continue once each, SIGKILL ends a stopped child, and the program started,
 * whose parent is the debugger, stops the run as a shell's job stops and goes on as after a shell's {@code fg}.
 */
class JobControlTest {
    private static final int KILL = 62;
    private static final int WAIT4 = 61;
    private static final int GETPID = 39;
    private static final int WUNTRACED = 2;
    private static final int WCONTINUED = 8;
    private static final int WNOHANG = 1;

    @TempDir
    Path root;

    @Test
    void aStoppedChildIsNotScheduledAndItsParentSeesTheStopThenTheContinueOnce() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            long child = g.spawn(57);
            assertThat(g.rax(KILL, child, Signals.SIGSTOP)).isZero();
            stopsInItsTurn(g, child, status);
            assertThat(g.read(status, 4).getInt(0)).as("WIFSTOPPED, WSTOPSIG 19").isEqualTo(19 << 8 | 0x7f);
            assertThat(g.rax(WAIT4, child, status, WUNTRACED | WNOHANG, 0)).as("reported once").isZero();
            assertThat(g.machine.vcpus().list()).as("the debugger's ~").filteredOn(c -> c.tid() == child)
                    .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo("stopped (signal 19)"));

            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
            assertThat(g.call(34)).as("the parent pauses").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).as("the stopped child cannot run: nothing can")
                    .isInstanceOf(LinuxSyscalls.Result.Deadlocked.class);
        }
    }

    /**
     * The child takes the stop signal sent to it in its turn: the parent's wait4 with WUNTRACED sleeps, the child goes
     * on the CPU at the safe point and stops there, and the parent's wait, made again, reports it.
     */
    private static void stopsInItsTurn(Guest g, long child, long status) {
        waitsForTheNext(g, child, status, WUNTRACED);
        assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the parent makes its wait4 again").isEqualTo(0x400100);
        assertThat(g.rax(WAIT4, child, status, WUNTRACED, 0)).isEqualTo(child);
    }

    @Test
    void sigcontLetsTheChildRunAgainAndSigkillEndsAStoppedChild() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            long child = g.spawn(57);
            g.rax(KILL, child, Signals.SIGTSTP);
            stopsInItsTurn(g, child, status);
            assertThat(g.process.table().get(child).orElseThrow().jobs().stopped()).isTrue();
            assertThat(g.rax(KILL, child, Signals.SIGCONT)).isZero();
            assertThat(g.rax(WAIT4, child, status, WUNTRACED | WCONTINUED | WNOHANG, 0)).isEqualTo(child);
            assertThat(g.read(status, 4).getInt(0)).as("WIFCONTINUED").isEqualTo(0xffff);
            assertThat(g.machine.vcpus().list()).filteredOn(c -> c.tid() == child).singleElement()
                    .satisfies(c -> assertThat(c.state()).as("its own state again").isEqualTo("running"));

            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
            assertThat(g.call(WAIT4, child, status, 0, 0)).as("the parent waits for its end")
                    .isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(GETPID)).as("the continued child runs").isEqualTo(child);
            assertThat(g.call(KILL, child, Signals.SIGSTOP)).as("it stops itself, and gives up the CPU")
                    .isEqualTo(new LinuxSyscalls.Result.Yielded(0));
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(GETPID)).as("the parent's turn").isEqualTo(4242);
            assertThat(g.rax(KILL, child, Signals.SIGKILL)).isZero();
            assertThat(g.call(WAIT4, child, status, 0, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).as("the child wakes to end, and the parent's wait goes on")
                    .isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(WAIT4, child, status, 0, 0)).as("killed while stopped").isEqualTo(child);
            assertThat(g.read(status, 4).getInt(0)).as("WIFSIGNALED, WTERMSIG 9").isEqualTo(9);
        }
    }

    @Test
    void aStopOfTheProgramStartedStopsTheRunAndGoingOnContinuesIt() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.call(KILL, 4242, Signals.SIGSTOP)).as("a stop for the debugger, its parent")
                    .isInstanceOfSatisfying(LinuxSyscalls.Result.Stopped.class, stop -> {
                        assertThat(stop.signal()).isEqualTo(Signals.SIGSTOP);
                        assertThat(stop.job()).isTrue();
                        assertThat(stop.siginfo()).isEqualTo(SignalInfo.sentBy(Signals.SIGSTOP, SignalInfo.SI_USER,
                                4242, Credentials.UID).bytes());
                    });
            assertThat(g.process.jobs().stopped()).isTrue();
            assertThat(g.syscalls.resumeSignal(Signals.SIGSTOP)).as("g after the stop: the stop signal is spent")
                    .isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.process.jobs().stopped()).as("continued, as after a shell's fg").isFalse();
            assertThat(g.syscalls.deliverDue()).as("its thread keeps the CPU at the next safe point")
                    .isEqualTo(new LinuxSyscalls.Result.Returned(0));
            assertThat(g.rax(GETPID)).isEqualTo(4242);
        }
    }

    /**
     * A background group's read of its controlling terminal stops the reader with SIGTTIN; its session leader sees
     * the stop, gives it the terminal and continues it, and the read, made again, returns what the master wrote.
     */
    @Test
    void aBackgroundReadOfTheTerminalStopsTheReaderUntilItIsContinuedInTheForeground() {
        try (Guest g = new Guest(root, false)) {
            long status = g.buffer(8);
            long number = g.buffer(4);
            long master = g.rax(257, -100, g.string("/dev/ptmx"), 2 | 0x100, 0); // O_RDWR | O_NOCTTY
            g.rax(16, master, 0x40045431, number); // TIOCSPTLCK 0: unlocked
            g.rax(16, master, 0x80045430, number); // TIOCGPTN
            String slave = "/dev/pts/" + g.read(number, 4).getInt(0);
            long leader = g.spawn(57);
            waitsForTheNext(g, leader, status, 0);

            assertThat(g.rax(112)).as("setsid in the child").isEqualTo(leader);
            long tty = g.rax(257, -100, g.string(slave), 2, 0);
            assertThat(g.rax(16, tty, 0x540e, 0)).as("TIOCSCTTY").isZero();
            long reader = g.spawn(57);
            g.rax(109, reader, reader); // setpgid: a background group
            waitsForTheNext(g, reader, status, WUNTRACED);

            assertThat(g.rax(GETPID)).as("the reader's turn").isEqualTo(reader);
            long line = g.buffer(16);
            g.machine.unicorn().regWrite(X86Reg.RIP, 0x400200);
            assertThat(g.call(0, tty, line, 16)).as("its read stops it").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));

            assertThat(g.rax(WAIT4, reader, status, WUNTRACED, 0)).as("the leader's wait, made again").isEqualTo(reader);
            assertThat(g.read(status, 4).getInt(0)).as("WSTOPSIG SIGTTIN").isEqualTo(Signals.SIGTTIN << 8 | 0x7f);
            long group = g.put(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) reader).array());
            assertThat(g.rax(16, tty, 0x5410, group)).as("TIOCSPGRP: the reader's group in the foreground").isZero();
            g.rax(1, master, g.string("typed\n"), 6);
            g.rax(KILL, reader, Signals.SIGCONT);
            waitsForTheNext(g, reader, status, 0);

            assertThat(g.machine.unicorn().regRead(X86Reg.RIP)).as("the reader makes its read again").isEqualTo(0x400200);
            assertThat(g.rax(0, tty, line, 16)).isEqualTo(6);
            assertThat(new String(g.machine.memory().read(line, 6), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("typed\n");
        }
    }

    /** The caller waits for {@code child} in wait4 with {@code options}, and the next thread goes on the CPU. */
    private static void waitsForTheNext(Guest g, long child, long status, int options) {
        g.machine.unicorn().regWrite(X86Reg.RIP, 0x400100);
        assertThat(g.call(WAIT4, child, status, options, 0)).isInstanceOf(LinuxSyscalls.Result.Yielded.class);
        assertThat(g.syscalls.deliverDue()).isEqualTo(new LinuxSyscalls.Result.Returned(0));
    }

    @Test
    void sigcontDiscardsAPendingStopSignalAndAStopSignalAPendingSigcont() {
        try (Guest g = new Guest(root, false)) {
            long set = g.buffer(8);
            long tstp = 1L << (Signals.SIGTSTP - 1);
            long cont = 1L << (Signals.SIGCONT - 1);
            g.process.signals().setAction(Signals.SIGCONT, new Signals.Action(0x400800, 4, 0, 0)); // a handler
            g.rax(14, 0, g.put(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(tstp | cont).array()), 0, 8); // blocked
            g.rax(KILL, 4242, Signals.SIGTSTP);
            g.rax(KILL, 4242, Signals.SIGCONT);
            g.rax(127, set, 8); // rt_sigpending
            assertThat(g.read(set, 8).getLong(0)).as("SIGCONT took SIGTSTP").isEqualTo(cont);
            g.rax(KILL, 4242, Signals.SIGTSTP);
            g.rax(127, set, 8);
            assertThat(g.read(set, 8).getLong(0)).as("SIGTSTP took SIGCONT").isEqualTo(tstp);
        }
    }
}
