package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.FakeDebuggerClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The bridge answers gdb's stop reply and {@code g} from the registers a 1.9 break record carries, and gdb's read of
 * the stack from a read started at the stop: no request of its own for either (issue 14: a {@code stepi} cost three
 * round trips, these two among them).
 */
class StopAnswersTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient();
    private final RegisterFile.Replies joining = new RegisterFile.Replies() {
        @Override
        public <T> T await(CompletableFuture<T> reply) {
            return reply.join();
        }
    };
    private final RegisterFile registers = new RegisterFile(client, joining);

    @Test
    void aStopWithItsRegistersIsAnsweredWithoutAskingTheAgent() {
        Map<GuestRegister, Long> values = new LinkedHashMap<>();
        GuestRegister.AT_STOP.forEach(r -> values.put(r, 0x1000L + r.ordinal()));
        values.put(GuestRegister.RIP, 0x401136L);
        registers.stoppedAt(new DebuggerRecord.Break(9, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0,
                0x401136, "stepped (t)", values));

        String reply = new StopReplies(registers, null, null, null, () -> "1", line -> { }).withRegisters(5, "");

        assertThat(reply).isEqualTo("T05thread:1;06:" + Packets.littleEndian(0x1000L + GuestRegister.RBP.ordinal(), 8)
                + ";07:" + Packets.littleEndian(0x1000L + GuestRegister.RSP.ordinal(), 8)
                + ";10:" + Packets.littleEndian(0x401136L, 8) + ";");
        assertThat(registers.general("fs_base")).isEqualTo(0x1000L + GuestRegister.FS_BASE.ordinal());
        assertThat(registers.generalReads()).isZero();
        assertThat(client.calls()).noneMatch(call -> call.request().equals("readRegisters"));
    }

    @Test
    void aStopWithoutRegistersFromAnOlderAgentIsReadOnce() {
        registers.stoppedAt(new DebuggerRecord.Break(9, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0,
                0x401136, "stepped (t)"));

        catchThrowable(() -> registers.general("rip")); // the fake knows no segment registers; the request is what counts

        assertThat(registers.generalReads()).isEqualTo(1);
        assertThat(client.calls()).anyMatch(call -> call.request().equals("readRegisters"));
    }

    @Test
    void theStackReadAheadAtAStopAnswersGdbsReadOfItWithoutAnotherRequest() {
        byte[] stack = new byte[0x1000];
        for (int i = 0; i < stack.length; i++) {
            stack[i] = (byte) i;
        }
        client.map(0x7ff000, stack, "stack");
        StopMemory memory = new StopMemory(client, joining);
        memory.stopped(0x7ff100, 0x7ff120); // rsp, rbp
        long asked = readsOfMemory();

        assertThat(memory.read(0x7ff120, 0x40)).isEqualTo(java.util.Arrays.copyOfRange(stack, 0x120, 0x160));
        assertThat(readsOfMemory()).as("m rbp,40 after the stop").isEqualTo(asked);
        assertThat(memory.read(0x7ff100, 0x40)).isEqualTo(java.util.Arrays.copyOfRange(stack, 0x100, 0x140));
        assertThat(memory.servedAhead()).isEqualTo(2);

        assertThat(memory.read(0x7ff000, 4)).containsExactly(0, 1, 2, 3);
        assertThat(readsOfMemory()).as("below the stack pointer: asked").isEqualTo(asked + 1);

        memory.forget(); // the target ran, or gdb wrote memory
        memory.read(0x7ff100, 8);
        assertThat(readsOfMemory()).isEqualTo(asked + 2);
    }

    @Test
    void gdbsReadsJustBelowRspAndPastTheFrameAreAnsweredFromTheStackReadAhead() {
        client.map(0x7ff000, new byte[0x1000], "stack");
        StopMemory memory = new StopMemory(client, joining);
        memory.stopped(0x7ff100, 0x7ff120); // rsp, rbp
        long asked = readsOfMemory();

        memory.read(0x7ff100 - 16, 0x40); // a prologue's frame, seen with set debug remote 1
        memory.read(0x7ff100 - 24, 0x40);
        memory.read(0x7ff120 + 0x80, 0x40);

        assertThat(readsOfMemory()).isEqualTo(asked);
        assertThat(memory.servedAhead()).isEqualTo(3);
    }

    private long readsOfMemory() {
        return client.calls().stream().filter(call -> call.request().equals("readMemory")).count();
    }

    /** An exit is W with the status; a signal's end is X with GDB's number for it, as gdbserver reports it. */
    @Test
    void anExitIsWWithItsStatusAndASignalsEndIsXWithGdbsNumber() {
        assertThat(StopReplies.exit(new DebuggerRecord.Exit(3, DebuggerRecord.ExitKind.EXIT, 0x401000, 10, 1)))
                .isEqualTo("W0a");
        assertThat(StopReplies.exit(new DebuggerRecord.Exit(3, DebuggerRecord.ExitKind.SIGNAL, 0x401000, 128 + 11, 1)))
                .as("SIGSEGV").isEqualTo("X0b");
        assertThat(StopReplies.exit(new DebuggerRecord.Exit(3, DebuggerRecord.ExitKind.SIGNAL, 0x401000, 128 + 7, 1)))
                .as("Linux's SIGBUS is GDB's 10").isEqualTo("X0a");
        assertThat(StopReplies.exit(new DebuggerRecord.Exit(3, DebuggerRecord.ExitKind.SIGNAL, 0x401000, 128 + 10, 1)))
                .as("Linux's SIGUSR1 is GDB's 30").isEqualTo("X1e");
        assertThat(StopReplies.gdbSignal(9)).isEqualTo(9);
        assertThat(StopReplies.gdbSignal(34)).as("SIG34, as gdbserver sends it (T2e)").isEqualTo(0x2e);
        assertThat(StopReplies.gdbSignal(64)).as("SIG64 (T4e)").isEqualTo(0x4e);
        assertThat(StopReplies.gdbSignal(16)).as("SIGSTKFLT, which GDB has no name for").isEqualTo(143);
        for (int linux = 1; linux <= 64; linux++) {
            if (linux != 16) {
                assertThat(StopReplies.linuxSignal(StopReplies.gdbSignal(linux))).as("signal %d back", linux)
                        .isEqualTo(linux);
            }
        }
    }
}
