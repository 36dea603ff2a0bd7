package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.ExecutionCodec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack read at a direct step's stop, with the step's reply (protocol 1.15, "step.stop-memory"): gdb's read of
 * the frame after each {@code stepi} was a second round trip of the bridge's. The window's bytes are the memory at
 * the stop, bounded by the agent whatever the host asks, and an unreadable stack never fails the step.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StackInStepReplyTest {
    private static final long ENTRY = 0x400000;

    private static final class Host implements RecordSink {
        @Override
        public void deliver(List<DebuggerRecord> batch) {
        }
    }

    @Test
    void theReplyCarriesTheWindowAroundRspAndRbpReadAtTheStop() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host host = new Host();
            sample.debugger.records().attach(host, true);
            long rsp = register(sample, GuestRegister.RSP) & ~0xfL;
            long rbp = rsp + 0x40;
            byte[] pattern = new byte[(int) (rbp + 0xc0 - (rsp - 128))];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) (i * 7 + 1);
            }
            sample.debugger.writeMemory(rsp - 128, pattern).get(10, TimeUnit.SECONDS);

            StackBytes stack = stepWithStack(sample, host, rsp, rbp, StackWindow.GDB).stack().orElseThrow();

            assertThat(stack.address()).as("from the red zone").isEqualTo(rsp - 128);
            assertThat(stack.data()).as("to 0xc0 past rbp, as memory was at the stop").isEqualTo(pattern);
        }
    }

    @Test
    void aWindowIsBoundedByTheAgentWhateverTheHostAsks() {
        StackWindow asked = ExecutionCodec.decode(dev.hdbg.proto.v1.StackWindow.newBuilder().setBelowRsp(-1)
                .setPastRsp(1 << 30).setPastRbp(-1).setFrameSpan(-1).build());
        assertThat(asked.belowRsp()).isEqualTo(StackWindow.MAX_BYTES);
        assertThat(asked.length(0x7ff000, 0x7ff800)).isEqualTo(StackWindow.MAX_BYTES);
        assertThat(new StackWindow(0, 0x10, 0x10, 0).length(0x1000, 0x1008)).as("rbp beyond the span: rsp's part")
                .isEqualTo(0x10);
        assertThat(StackWindow.GDB.start(0x40)).as("no wrap below address 0").isEqualTo(0x40);
    }

    @Test
    void anUnreadableStackIsReportedEmptyAndTheStepStillSucceeds() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host host = new Host();
            sample.debugger.records().attach(host, true);
            long unmapped = 0x10_0000_0000L;

            StopInReply stop = stepWithStack(sample, host, unmapped, unmapped, StackWindow.GDB);

            assertThat(stop.stop()).isInstanceOf(DebuggerRecord.Break.class);
            assertThat(stop.stack()).isPresent();
            assertThat(stop.stack().get().data()).as("unreadable: nothing, the host reads exactly").isEmpty();
        }
    }

    @Test
    void anUnmappedPartBelowRspIsLeftOut() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            Host host = new Host();
            sample.debugger.records().attach(host, true);
            long lowest = sample.debugger.status().get(10, TimeUnit.SECONDS).regions().stream()
                    .filter(r -> Long.compareUnsigned(r.begin(), register(sample, GuestRegister.RSP)) <= 0
                            && Long.compareUnsigned(register(sample, GuestRegister.RSP), r.end()) < 0)
                    .findFirst().orElseThrow().begin();

            StackBytes stack = stepWithStack(sample, host, lowest, lowest, new StackWindow(128, 64, 0, 0))
                    .stack().orElseThrow();

            assertThat(stack.address()).as("from rsp").isEqualTo(lowest);
            assertThat(stack.data()).hasSize(64);
        }
    }

    private static long register(LoopSample sample, GuestRegister register) {
        return sample.debugger.readRegisters(List.of(register)).join().get(register);
    }

    /** Steps from the entry with rsp and rbp set until a step's stop comes with its reply (as StopInStepReplyTest). */
    private static StopInReply stepWithStack(LoopSample sample, Host host, long rsp, long rbp, StackWindow window)
            throws Exception {
        RecordQueue records = sample.debugger.records();
        for (int attempt = 0; attempt < 200; attempt++) {
            sample.debugger.writeRegister(GuestRegister.RIP, ENTRY).get(10, TimeUnit.SECONDS);
            sample.debugger.writeRegister(GuestRegister.RSP, rsp).get(10, TimeUnit.SECONDS);
            sample.debugger.writeRegister(GuestRegister.RBP, rbp).get(10, TimeUnit.SECONDS);
            Optional<StopInReply> stop = sample.debugger.step(StepMode.INTO, host, window).get(10, TimeUnit.SECONDS);
            sample.stops.poll(10, TimeUnit.SECONDS);
            if (stop.isPresent()) {
                return stop.get();
            }
            records.acknowledge(records.lastSeq());
            Thread.sleep(5);
        }
        throw new AssertionError("no step's stop came with its reply in 200 attempts");
    }
}
