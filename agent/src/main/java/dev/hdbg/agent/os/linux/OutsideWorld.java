package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What reaches the machine from outside it: connections a host program makes to a port the agent forwards
 * ({@code --forward}) to a TCP port of the machine. Without forwards the machine is closed: its clock jumps over
 * every wait no one of its own can end, and a wait no one can ever end is a deadlock. With them a wait may end from
 * outside, at the outside's pace: the machine then waits in real time, its clock running with the host's, and idles
 * (the debugger's run loop waits, answering requests) when no thread can run.
 *
 * <p>Arrivals come from the agent's threads ({@link #post}); they run on the execution thread, at the next safe point
 * ({@link #drain}: at each safe point and after each system call that leaves its thread running), as everything
 * that changes the machine does.
 * Each connection's bytes go both ways there ({@link ForwardedConnection#pump}).
 */
public final class OutsideWorld {
    /** No forwards: the machine is closed. */
    static final OutsideWorld CLOSED = new OutsideWorld(false, List.of());

    private final boolean open;
    /** The machine's TCP ports the host's forwards reach. */
    private final List<Integer> ports;
    /** The machine it reaches, once a program runs there. */
    private ProcessTable table;
    private final ConcurrentLinkedQueue<Runnable> arrivals = new ConcurrentLinkedQueue<>();
    private final List<ForwardedConnection> connections = new ArrayList<>();
    /** The host ends of its connections, closed when the program ends ({@link #end}). */
    private final Set<HostPeer> peers = ConcurrentHashMap.newKeySet();
    private volatile Runnable wake = () -> { };

    private OutsideWorld(boolean open, List<Integer> ports) {
        this.open = open;
        this.ports = List.copyOf(ports);
    }

    /** A machine that the host's forwards reach, at its TCP {@code ports}. */
    public static OutsideWorld open(List<Integer> ports) {
        return new OutsideWorld(true, ports);
    }

    /** Whether anything outside may wake the machine: then it waits in real time instead of jumping its clock. */
    boolean isOpen() {
        return open;
    }

    /** What makes the execution thread come to a safe point soon (the debugger's), called after each arrival. */
    public void onArrival(Runnable wakeUp) {
        this.wake = wakeUp;
    }

    /** Any thread: {@code arrival} runs on the execution thread at its next safe point. */
    public void post(Runnable arrival) {
        arrivals.add(arrival);
        wake.run();
    }

    /**
     * Execution thread: whether something outside may still end a wait when no thread can run: a connection open, an
     * arrival waiting, or a socket of the machine listening at a forwarded port. When none, no host program can reach
     * the machine any more, and a wait no one of its own can end is a deadlock, as in a closed machine (a program
     * deadlocked beside a forward used to idle for ever).
     */
    boolean mayWake() {
        if (!open) {
            return false;
        }
        if (!connections.isEmpty() || pending()) {
            return true;
        }
        for (int port : ports) { // where ForwardedConnection.open looks for the listener
            if (table != null && table.sockets().inet().find(true, InetEndpoint.loopback(InetEndpoint.AF_INET, port)) != null) {
                return true;
            }
        }
        return false;
    }

    /** Any thread: whether arrivals wait for the execution thread. */
    boolean pending() {
        return !arrivals.isEmpty();
    }

    /**
     * Execution thread: runs what arrived, then moves each connection's bytes; nothing, at once, for a closed machine
     * (it is called after every system call).
     */
    void drain() {
        if (!open) {
            return;
        }
        Runnable arrival;
        while ((arrival = arrivals.poll()) != null) {
            arrival.run();
        }
        connections.removeIf(ForwardedConnection::pump);
    }

    /**
     * Execution thread, after a system call of {@code caller}: {@link #drain}, unless the call put it to sleep. An
     * arrival that woke it there would have its restart overwritten by the call's own return (accept came back with
     * 43, its number; a read with 0); the next safe point drains for a machine whose thread sleeps.
     */
    void drainAfterCall(GuestThread caller) {
        if (caller.state == GuestThread.State.RUNNABLE) {
            drain();
        }
    }

    /** The machine's processes, which the connections reach. */
    void attach(ProcessTable processes) {
        this.table = processes;
    }

    /**
     * Any thread: a host program connected from its port {@code clientPort} to a port forwarded to the machine's TCP
     * port {@code port}. Returns what its reader hands the host's bytes to.
     */
    public Arrival connect(int port, int clientPort, HostPeer host) {
        peers.add(host);
        Arrival arrival = new Arrival();
        post(() -> {
            arrival.connection = table == null ? null : ForwardedConnection.open(table, port, clientPort, host);
            if (arrival.connection != null) {
                connections.add(arrival.connection);
            } else if (table == null) {
                host.refuse();
            }
        });
        return arrival;
    }

    /**
     * Any thread: the program ended, or the target starts again: the host ends of its connections close, as the
     * machine's would when its processes are gone.
     */
    public void end() {
        peers.forEach(HostPeer::close);
    }

    /** A forwarded connection as the host's reader sees it: what it read, in order, and its end. */
    public final class Arrival {
        /** Set on the execution thread before any of the host's bytes arrive there (arrivals run in order). */
        private ForwardedConnection connection;

        private Arrival() {
        }

        /** Any thread: bytes the host program sent. */
        public void data(byte[] bytes) {
            post(() -> {
                if (connection != null) {
                    connection.fromHost(bytes);
                }
            });
        }

        /** Any thread: the host program sends no more (or its socket failed). */
        public void ended() {
            post(() -> {
                if (connection != null) {
                    connection.hostEnded();
                }
            });
        }
    }
}
