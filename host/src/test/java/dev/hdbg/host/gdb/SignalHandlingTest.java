package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.FakeDebuggerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link SignalHandling}: gdb's {@code QPassSignals} and its resumes with or without a signal become the agent's stops
 * before signals and the signal the program goes on with, in Linux's numbers (GDB numbers some signals otherwise).
 */
class SignalHandlingTest {
    private static final long ALL_BUT_KILL_AND_STOP = -1L & ~(1L << 8) & ~(1L << 18);

    private final FakeDebuggerClient client = new FakeDebuggerClient();
    private final List<String> log = new ArrayList<>();
    private final SignalHandling signals = new SignalHandling(client, new RegisterFile.Replies() {
        @Override
        public <T> T await(CompletableFuture<T> reply) {
            return reply.join();
        }
    }, log::add);

    @Test
    void everySignalStopsUntilGdbPassesSomeAndTheSessionPutsBackWhatItFound() throws Exception {
        client.stopBeforeSignals(1L << 10).get(); // the prompt's sxe usr1
        signals.start();
        assertThat(client.signalStops()).isEqualTo(ALL_BUT_KILL_AND_STOP);

        // GDB's 0x0e is SIGALRM (14 in both), its 0x14 SIGCHLD (Linux's 17), its 0x1c SIGWINCH (28 in both)
        assertThat(signals.pass("0e;14;1c")).isTrue();
        assertThat(client.signalStops()).isEqualTo(ALL_BUT_KILL_AND_STOP & ~(1L << 13) & ~(1L << 16) & ~(1L << 27));
        assertThat(signals.pass("")).as("none passed").isTrue();
        assertThat(client.signalStops()).isEqualTo(ALL_BUT_KILL_AND_STOP);
        assertThat(signals.pass("0e;zz")).as("not a list").isFalse();

        signals.end();
        assertThat(client.signalStops()).isEqualTo(1L << 10);
        assertThat(log).isEmpty();
    }

    @Test
    void gdbsResumeDeliversTheHeldSignalDropsItOrReplacesItInLinuxsNumbers() {
        DebuggerRecord usr1 = new DebuggerRecord.Break(5, DebuggerRecord.BreakReason.FAULT, 0, Optional.empty(), 10,
                0x401000, "signal 10 (SIGUSR1)");
        signals.resume(usr1, 0x1e); // GDB's SIGUSR1: the held one, as it is
        assertThat(client.calls()).isEmpty();
        signals.resume(usr1, 0); // c, signal 0
        assertThat(client.calls()).extracting(Object::toString).containsExactly("discardHeldSignal()");
        signals.resume(usr1, 0x1f); // signal SIGUSR2: Linux's 12
        assertThat(client.calls()).extracting(Object::toString).endsWith("resumeWithSignal(12)");

        DebuggerRecord breakpoint = new DebuggerRecord.Break(6, DebuggerRecord.BreakReason.BREAKPOINT, 1,
                Optional.empty(), 0, 0x401000, "bp");
        int before = client.calls().size();
        signals.resume(breakpoint, 0);
        assertThat(client.calls()).as("c at a breakpoint: nothing to drop").hasSize(before);
        signals.resume(breakpoint, 0x0a); // signal SIGBUS at a breakpoint: GDB's 10 is Linux's 7
        assertThat(client.calls()).extracting(Object::toString).endsWith("resumeWithSignal(7)");
        signals.resume(breakpoint, 0x8f); // GDB_SIGNAL_UNKNOWN
        assertThat(log).singleElement().asString().contains("no Linux number");
    }
}
