package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.FakeDebuggerClient;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * gdb's {@code stepi} through the bridge with a 1.15 agent: the stop reply is made from the stop the step's reply
 * carries, before the record reaches the bridge's record listener (issue 14: the record's own path was most of a
 * stepi), with one request to the agent for the step and none for registers; the record arriving after that is not a
 * second stop; gdb's read of the frame is answered from the stack read at the stop.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StepStopFromReplyTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().stopsInStepReplies();

    @Test
    void aStepiIsAnsweredFromTheStepsReplyAndItsRecordIsNotASecondStop() throws Exception {
        client.writeRegister("rip", 0x401000).join();
        client.writeRegister("rsp", 0x7ff100).join();
        client.writeRegister("rbp", 0x7ff120).join();
        client.map(0x7ff000, new byte[0x1000], "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("s");
            String stopReply = gdb.receive();
            assertThat(stopReply).as("the stop reply, before the record was delivered").startsWith("T05");
            assertThat(stopReply).contains("10:" + Packets.littleEndian(0x401000L, 8));
            long requestsAtStop = client.calls().size();

            client.deliverHeldStops(); // the record, as the listener thread delivers it later
            gdb.send("m7ff120,40"); // gdb's read of the frame after each stepi (set debug remote 1)
            String frame = gdb.receive();
            assertThat(frame).as("the next packet answers m: no second stop reply").isEqualTo("00".repeat(0x40));

            assertThat(client.calls().stream().filter(c -> c.request().equals("step")).count()).isEqualTo(1);
            assertThat(client.calls()).as("registers came with the stop").noneMatch(c -> c.request().equals("readRegisters"));
            assertThat(client.calls().size()).as("m answered from the stack read at the stop: " + client.calls())
                    .isEqualTo(requestsAtStop);

            gdb.detach();
        }
    }

    @Test
    void gdbsRangeStepIsOneRequestWithTheRangeAndItsStopReply() throws Exception {
        client.writeRegister("rip", 0x401000).join();
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("vCont?");
            assertThat(gdb.receive()).as("range stepping offered").isEqualTo("vCont;c;C;s;S;t;r");

            gdb.send("vCont;r401000,401010:p1.1");
            assertThat(gdb.receive()).startsWith("T05").contains("10:" + Packets.littleEndian(0x401000L, 8));
            assertThat(client.calls()).filteredOn(c -> c.request().equals("rangeStep"))
                    .singleElement().satisfies(c -> assertThat(c.arguments()).containsExactly(0x401000L, 0x401010L));
            assertThat(client.calls().stream().filter(c -> c.request().equals("step")).count()).isEqualTo(1);

            for (String broken : new String[] {"vCont;r401010,401000", "vCont;r401000", "vCont;rzz,1", "vCont;r"}) {
                gdb.send(broken);
                assertThat(gdb.receive()).as(broken).isEqualTo("E01");
            }
            assertThat(client.calls().stream().filter(c -> c.request().equals("step")).count())
                    .as("no step for a range that is not one").isEqualTo(1);

            gdb.detach();
        }
    }

    @Test
    void withAnAgentBefore115TheStepiIsAnsweredFromTheRecord() throws Exception {
        FakeDebuggerClient older = new FakeDebuggerClient(); // an empty step reply; the record comes by itself
        try (FakeFrontEnd gdb = new FakeFrontEnd(older)) {
            gdb.send("s");
            while (older.calls().stream().noneMatch(c -> c.request().equals("step"))) {
                Thread.onSpinWait();
            }
            Map<GuestRegister, Long> values = new EnumMap<>(GuestRegister.class);
            GuestRegister.AT_STOP.forEach(r -> values.put(r, 0L));
            values.put(GuestRegister.RIP, 0x401000L);
            older.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x401000,
                    "stepped (t)", values));
            String stopReply = gdb.receive();
            assertThat(stopReply).startsWith("T05").contains("10:" + Packets.littleEndian(0x401000L, 8));
            assertThat(older.calls().stream().filter(c -> c.request().equals("step")).count()).isEqualTo(1);

            gdb.detach();
        }
    }

    @Test
    void aStepiAndGdbsReadsOfTheFrameAreOneRequestWhenTheReplyCarriesTheStack() throws Exception {
        FakeDebuggerClient withStack = new FakeDebuggerClient().stacksInStepReplies();

        Stepi stepi = stepiThenReadTheFrame(withStack, 0x7ff100, 0x7ff120);

        assertThat(stepi.answers()).as("gdb's reads answered").allMatch(a -> a.matches("([0-9a-f]{2})+"));
        assertThat(stepi.requests()).as("one request for the stepi and its reads").containsExactly("step");
    }

    @Test
    void aStepThatReturnsIntoMainAndGdbsReadOfMainsCallersFrameAreOneRequest() throws Exception {
        FakeDebuggerClient withStack = new FakeDebuggerClient().stacksInStepReplies();

        // After the step out of f into main, gdb reads main's frame and then its caller's, 0x90 past main's rbp
        // (set debug remote 1 on bench/step_target.c: m 7ffffefffd00,40 with rbp 0x7ffffefffc70).
        Stepi stepi = stepiThenRead(withStack, 0x7ff100, 0x7ff120, 0x7ff100 - 0x10, 0x7ff120 + 0x90);

        assertThat(stepi.answers()).allMatch(a -> a.matches("([0-9a-f]{2}){64}"));
        assertThat(stepi.requests()).as("the stepi and both reads: one request").containsExactly("step");
    }

    @Test
    void withAnAgentWithoutStopMemoryTheBridgeReadsTheStackItself() throws Exception {
        FakeDebuggerClient without = new FakeDebuggerClient().stopsInStepReplies(); // 1.15, no "step.stop-memory"

        Stepi stepi = stepiThenReadTheFrame(without, 0x7ff100, 0x7ff120);

        assertThat(stepi.answers()).allMatch(a -> a.matches("([0-9a-f]{2})+"));
        assertThat(stepi.requests()).as("the step and the stack read ahead, as before")
                .containsExactly("step", "readMemory");
    }

    @Test
    void anUnreadableStackInTheReplyLeavesEveryReadToTheAgent() throws Exception {
        FakeDebuggerClient withStack = new FakeDebuggerClient().stacksInStepReplies();

        Stepi stepi = stepiThenReadTheFrame(withStack, 0x10_0000_0000L, 0x10_0000_0020L);

        assertThat(stepi.answers()).as("each read fails as the agent's read does").allMatch(a -> a.startsWith("E"));
        assertThat(stepi.requests()).as("each read asked exactly, none read ahead")
                .containsExactly("step", "readMemory", "readMemory", "readMemory");
    }

    private record Stepi(List<String> answers, List<String> requests) {
    }

    /**
     * A gdb {@code stepi} with rsp and rbp set, then gdb's reads at a function's prologue and frame ({@code m
     * rsp-0x18,40}, {@code m rbp,40}, {@code m rbp+0x80,40}, seen with {@code set debug remote 1}): their answers,
     * and the requests the bridge made of the agent from the stepi on.
     */
    private static Stepi stepiThenReadTheFrame(FakeDebuggerClient client, long rsp, long rbp) throws Exception {
        return stepiThenRead(client, rsp, rbp, rsp - 0x18, rbp, rbp + 0x80);
    }

    /** A gdb {@code stepi} with rsp and rbp set, then gdb's reads of 0x40 bytes at {@code reads}. */
    private static Stepi stepiThenRead(FakeDebuggerClient client, long rsp, long rbp, long... reads) throws Exception {
        client.writeRegister("rip", 0x401000).join();
        client.writeRegister("rsp", rsp).join();
        client.writeRegister("rbp", rbp).join();
        client.map(0x7ff000, new byte[0x1000], "stack");
        client.map(0x401000, new byte[0x1000], "text");
        List<String> answers = new ArrayList<>();
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            // A packet answered means the session has set itself up (its signal stops): count from there.
            gdb.send("qAttached");
            assertThat(gdb.receive()).isEqualTo("1");
            long before = client.calls().size();
            gdb.send("s");
            assertThat(gdb.receive()).startsWith("T05");
            for (long address : reads) {
                gdb.send("m" + Long.toHexString(address) + ",40");
                answers.add(gdb.receive());
            }
            List<String> requests = client.calls().subList((int) before, client.calls().size()).stream()
                    .map(FakeDebuggerClient.Call::request).toList();
            gdb.detach();
            return new Stepi(answers, requests);
        }
    }
}
