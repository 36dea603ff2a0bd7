package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forwarded port's connections inside the machine ({@link OutsideWorld}, {@link ForwardedConnection}), with a host
 * end that records what reaches it; and a machine open to the outside idling where a closed one deadlocks.
 */
class OutsideWorldTest {
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 04000;

    @TempDir
    Path root;

    /** A host end that keeps what the machine sends it. */
    private static final class Recorded implements HostPeer {
        final StringBuilder received = new StringBuilder();
        final List<String> events = new ArrayList<>();
        long taken;

        @Override
        public void send(byte[] data) {
            received.append(new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public boolean canSend() {
            return true;
        }

        @Override
        public void endOfStream() {
            events.add("end of stream");
        }

        @Override
        public void close() {
            events.add("closed");
        }

        @Override
        public void refuse() {
            events.add("refused");
        }

        @Override
        public void taken(int bytes) {
            taken += bytes;
        }
    }

    /** A non-blocking TCP socket of the guest listening at 127.0.0.1:{@code port}. */
    private static long listening(Guest g, int port) {
        long fd = g.rax(41, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ByteBuffer address = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET);
        address.order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(new byte[] {127, 0, 0, 1});
        assertThat(g.rax(49, fd, g.put(address.array()), 16)).isZero();
        assertThat(g.rax(50, fd, 4)).isZero();
        return fd;
    }

    @Test
    void aHostConnectionIsAcceptedAndItsBytesGoBothWays() {
        try (Guest g = new Guest(root, false)) {
            OutsideWorld world = OutsideWorld.open(List.of(7000, 7001, 7002));
            g.process.connect(world);
            long listener = listening(g, 7000);
            assertThat(g.rax(43, listener, 0, 0)).as("no one yet").isEqualTo(-Errno.EAGAIN);

            Recorded host = new Recorded();
            OutsideWorld.Arrival arrival = world.connect(7000, 40_000, host);
            arrival.data("ping".getBytes(StandardCharsets.UTF_8));
            world.drain();
            long peer = g.buffer(16);
            long length = g.put(new byte[] {16, 0, 0, 0});
            long accepted = g.rax(43, listener, peer, length);
            assertThat(accepted).isPositive();
            assertThat(g.read(peer + 2, 2).order(ByteOrder.BIG_ENDIAN).getShort(0) & 0xffff)
                    .as("the host program's port").isEqualTo(40_000);
            long buffer = g.buffer(16);
            assertThat(g.rax(0, accepted, buffer, 16)).isEqualTo(4);
            assertThat(host.taken).isEqualTo(4);

            assertThat(g.rax(1, accepted, g.string("pong"), 4)).isEqualTo(4);
            world.drain();
            assertThat(host.received.toString()).isEqualTo("pong");

            arrival.ended();
            world.drain();
            assertThat(g.rax(0, accepted, buffer, 16)).as("the host's end of file").isZero();
            assertThat(g.rax(3, accepted)).isZero();
            world.drain();
            assertThat(host.events).containsExactly("end of stream", "closed");
        }
    }

    @Test
    void aPortNoOneListensOnClosesTheHostsConnection() {
        try (Guest g = new Guest(root, false)) {
            OutsideWorld world = OutsideWorld.open(List.of(7000, 7001, 7002));
            g.process.connect(world);
            Recorded host = new Recorded();
            world.connect(7001, 40_001, host).data("anyone?".getBytes(StandardCharsets.UTF_8));
            world.drain();
            assertThat(host.events).containsExactly("refused");
        }
    }

    /**
     * A host connection that arrives while accept puts its thread to sleep (posted before the call, drained after it):
     * the wake-up must make the call again. The drain after every call once woke the thread there and the call's own
     * return overwrote the restart: accept "returned" 43, its number, and a read 0 (PortForwardIT's empty replies).
     */
    @Test
    void aConnectionArrivingAsAcceptSleepsMakesItAcceptAgain() {
        try (Guest g = new Guest(root, false)) {
            OutsideWorld world = OutsideWorld.open(List.of(7000, 7001, 7002));
            g.process.connect(world);
            long listener = g.rax(41, AF_INET, SOCK_STREAM, 0); // blocking
            ByteBuffer address = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET);
            address.order(ByteOrder.BIG_ENDIAN).putShort((short) 7002).put(new byte[] {127, 0, 0, 1});
            assertThat(g.rax(49, listener, g.put(address.array()), 16)).isZero();
            assertThat(g.rax(50, listener, 4)).isZero();
            world.connect(7002, 40_002, new Recorded()); // posted: the execution thread has not run it yet

            LinuxSyscalls.Result sleeping = g.call(43, listener, 0, 0);
            assertThat(sleeping).as("the call sleeps; it does not return its own number")
                    .isNotEqualTo(new LinuxSyscalls.Result.Returned(43));
            assertThat(g.process.scheduler().current().state).isEqualTo(GuestThread.State.WAITING);

            g.syscalls.deliverDue(); // the safe point: the arrival runs and wakes the thread to make the call again
            long accepted = g.rax(43, listener, 0, 0);
            assertThat(accepted).as("the connection's descriptor").isEqualTo(listener + 1);
        }
    }

    @Test
    void aMachineOpenToTheOutsideIdlesWhereAClosedOneDeadlocks() {
        try (Guest g = new Guest(root, false)) {
            g.process.connect(OutsideWorld.open(List.of(7003)));
            listening(g, 7003); // a host program may still connect, and its thread could then wake the others
            LinuxSyscalls.Result result = g.everyThreadWaitsInFutex(g.put(new byte[8]));

            assertThat(result).isEqualTo(new LinuxSyscalls.Result.Idle(Long.MAX_VALUE));
            assertThat(g.process.exitStatus()).as("not ended").isEmpty();
        }
    }

    /** A forward no socket of the machine listens at cannot end a wait: a deadlock is one, as in a closed machine. */
    @Test
    void aMachineNoHostProgramCanReachDeadlocksAsAClosedOne() {
        try (Guest g = new Guest(root, false)) {
            g.process.connect(OutsideWorld.open(List.of(7004)));
            listening(g, 7005); // not the forwarded port
            LinuxSyscalls.Result result = g.everyThreadWaitsInFutex(g.put(new byte[8]));

            assertThat(result).isInstanceOf(LinuxSyscalls.Result.Deadlocked.class);
        }
    }
}
