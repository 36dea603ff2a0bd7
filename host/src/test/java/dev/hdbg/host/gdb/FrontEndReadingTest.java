package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.FakeDebuggerClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who reads the front end (issue 14): while the target is stopped the session's thread reads each packet where it
 * answers it, so a {@code stepi} and gdb's reads after it cross no thread (each packet a reader thread handed over was
 * two thread wake-ups); while the target runs a reader thread reads, so that a Ctrl-C reaches a session waiting for
 * the stop, and what it read after the stop is answered as before.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrontEndReadingTest {
    @Test
    void stepisAndTheReadsAfterThemAreReadOnTheSessionsThreadWithoutAHandOver() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient().stacksInStepReplies();
        client.writeRegister("rip", 0x401000).join();
        client.writeRegister("rsp", 0x7ff100).join();
        client.writeRegister("rbp", 0x7ff120).join();
        client.map(0x7ff000, new byte[0x1000], "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            for (int i = 0; i < 20; i++) {
                gdb.send("vCont;s:1");
                assertThat(gdb.receive()).startsWith("T05");
                client.deliverHeldStops(); // the record comes round too: queued, not a wake-up of the session
                gdb.send("m7ff0e8,40");
                assertThat(gdb.receive()).isEqualTo("00".repeat(0x40));
                gdb.send("m7ff120,40");
                assertThat(gdb.receive()).isEqualTo("00".repeat(0x40));
            }

            assertThat(gdb.session.handedOver()).as("packets a reader thread handed over").isZero();
            assertThat(gdb.session.queueWaits()).as("times the session thread waited on its queue").isZero();
            assertThat(client.calls("step")).hasSize(20);
            gdb.detach();
        }
    }

    @Test
    void aCtrlCWhileTheTargetRunsComesThroughTheReaderAndThePacketAfterTheStopIsAnswered() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient(); // a continue leaves the target running
        TargetDescription.REGISTERS.stream().filter(r -> r.source() == TargetDescription.Source.HDBG)
                .forEach(r -> client.register(r.hdbgName(), 0)); // the pause's stop carries none
        client.map(0x7ff000, new byte[] {0x11, 0x22, 0x33, 0x44}, "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("c");
            gdb.interrupt();
            assertThat(gdb.receiveOrLog()).as("the stop reply of the pause").startsWith("T02");
            assertThat(gdb.session.handedOver()).as("the Ctrl-C, read while the target ran").isEqualTo(1);

            gdb.send("m7ff000,2"); // read by the reader thread, which was reading when the target stopped
            assertThat(gdb.receive()).isEqualTo("1122");
            gdb.send("m7ff002,2"); // read by the session's thread
            assertThat(gdb.receive()).isEqualTo("3344");

            assertThat(gdb.session.handedOver()).as("the Ctrl-C and the packet after the stop").isEqualTo(2);
            assertThat(client.calls("pause")).hasSize(1);
            gdb.detach();
        }
    }

    @Test
    void theFrontEndClosingWhileTheTargetIsStoppedEndsTheSession() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient();
        client.map(0x7ff000, new byte[] {0x11, 0x22}, "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("m7ff000,2");
            assertThat(gdb.receive()).isEqualTo("1122");

            gdb.socket.shutdownOutput();

            gdb.serving.join(10_000);
            assertThat(gdb.serving.isAlive()).as("the session ended").isFalse();
            assertThat(gdb.log.toString()).contains("the front end closed the connection");
        }
    }

    @Test
    void packetsThatArriveTogetherAreTakenFromTheSocketInOneRead() throws Exception {
        byte[] sent = ("$vCont;s:p1.1;c:p1.-1#f7$m7ffffefffc80,40#2e").getBytes(StandardCharsets.US_ASCII);
        CountingStream socket = new CountingStream(sent);
        FrontEndInput input = new FrontEndInput(socket, GdbSession.MAX_PACKET, inbound -> { }, failure -> { });

        Inbound step = input.read();
        Inbound read = input.read();

        assertThat(((Inbound.Packet) step).text()).isEqualTo("vCont;s:p1.1;c:p1.-1");
        assertThat(((Inbound.Packet) read).text()).isEqualTo("m7ffffefffc80,40");
        assertThat(socket.reads).as("reads of the socket's stream (a byte a read was 45)").isEqualTo(1);
    }

    /** A socket's stream that has {@code bytes} waiting, counting how often it is read (each read a system call). */
    private static final class CountingStream extends InputStream {
        private final byte[] bytes;
        private int at;
        int reads;

        CountingStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            reads++;
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            reads++;
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(length, bytes.length - at);
            System.arraycopy(bytes, at, into, offset, n);
            at += n;
            return n;
        }
    }
}
