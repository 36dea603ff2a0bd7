package dev.hdbg.host.gdb;

import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.util.function.Consumer;

/**
 * gdb's signal table ({@code handle SIG stop|nostop pass|nopass}) as the agent's stops before signals (protocol 1.19),
 * so that gdb sees a program's signals as it does under gdbserver: every signal stops the program before its delivery
 * ("Program received signal SIGUSR1"), a handled SIGSEGV included, except those gdb passes without a word
 * ({@code QPassSignals}: SIGALRM, SIGCHLD, SIGWINCH ... by default); gdb's resume then says which signal the program
 * gets ({@code C} with its number, {@code signal SIGUSR2}; {@code c} without one, {@code signal 0}). The agent's set is
 * put back at the end of the session. An agent older than 1.19 stops only before a fatal signal (1.18).
 */
final class SignalHandling {
    private static final long ALL = LinuxSignals.STOPPABLE;

    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    private final Consumer<String> log;
    /** The Linux signals gdb passes without a stop, bit {@code s - 1} for signal {@code s}. */
    private long passed;
    /** Whether the agent stops before chosen signals (1.19); else only before fatal ones. */
    private boolean chosen;
    /** What the session found, put back at its end. */
    private long setBefore;
    private boolean fatalBefore = true;

    SignalHandling(DebuggerClient client, RegisterFile.Replies replies, Consumer<String> log) {
        this.client = client;
        this.replies = replies;
        this.log = log;
    }

    /** The session begins: every signal stops the program, until gdb says which it passes. */
    void start() {
        try {
            setBefore = replies.await(client.stopBeforeSignals(ALL & ~passed));
            chosen = true;
            return;
        } catch (AgentError | UnsupportedOperationException e) {
            log.accept("gdb: the agent stops before no chosen signal (" + e.getMessage()
                    + "); gdb sees a signal only when it would end the program");
        }
        try {
            fatalBefore = replies.await(client.stopBeforeFatalSignals(true));
        } catch (AgentError | UnsupportedOperationException e) {
            log.accept("gdb: a fatal signal ends the program without a stop first: " + e.getMessage());
        }
    }

    /**
     * {@code QPassSignals:0e;14;...}: the signals, in GDB's numbers, that go to the program without a stop.
     *
     * @return false for a list that is not one
     */
    boolean pass(String list) {
        long set = 0;
        for (String number : list.split(";")) {
            if (number.isEmpty()) {
                continue;
            }
            int linux;
            try {
                linux = StopReplies.linuxSignal(Integer.parseInt(number, 16));
            } catch (NumberFormatException e) {
                return false;
            }
            if (linux > 0) {
                set |= LinuxSignals.bit(linux);
            }
        }
        passed = set;
        if (chosen) {
            replies.await(client.stopBeforeSignals(ALL & ~passed));
        }
        return true;
    }

    /**
     * gdb resumes from {@code lastStop} with GDB's signal {@code gdbSignal} (0: none). At a stop before a signal, the
     * same signal goes on as it is, none drops it ({@code signal 0}, {@code handle SIG nopass}), another replaces it;
     * at any other stop, a signal is sent to the program as it goes on ({@code signal SIGUSR1} at a breakpoint).
     */
    void resume(DebuggerRecord lastStop, int gdbSignal) {
        int held = lastStop instanceof DebuggerRecord.Break b && b.reason() == DebuggerRecord.BreakReason.FAULT
                && b.context() > 0 && b.context() <= 64 ? (int) b.context() : 0;
        int linux = gdbSignal == 0 ? 0 : StopReplies.linuxSignal(gdbSignal);
        if (gdbSignal != 0 && linux == 0) {
            log.accept("gdb: GDB's signal " + gdbSignal + " has no Linux number here: the program goes on without it");
        }
        if (linux == held) {
            return; // the held signal as it is, or no signal at all
        }
        try {
            if (linux == 0) {
                replies.await(client.discardHeldSignal());
            } else {
                replies.await(client.resumeWithSignal(linux));
            }
        } catch (AgentError | UnsupportedOperationException e) {
            log.accept("gdb: " + (linux == 0 ? "the held signal goes on: " : "signal " + linux + " not sent: ")
                    + e.getMessage());
        }
    }

    /** The session ends: the agent's stops as the session found them. */
    void end() {
        try {
            if (chosen) {
                replies.await(client.stopBeforeSignals(setBefore));
            } else if (!fatalBefore) {
                replies.await(client.stopBeforeFatalSignals(false)); // as the prompt had it (settings breakonfatal)
            }
        } catch (RuntimeException e) { // the agent may be gone with the session
            log.accept("gdb: could not put back the agent's signal stops: " + e.getMessage());
        }
    }
}
