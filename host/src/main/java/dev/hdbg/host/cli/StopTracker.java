package dev.hdbg.host.cli;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The breaks and exits of the session's connection, for the commands that wait for the next one ({@code g},
 * {@code t}, {@code p}, {@code gu} in batch mode), and whether the target has run since the connection attached.
 */
final class StopTracker {
    private long lastStopSeq;
    private DebuggerRecord lastStop;
    private String disconnectReason;
    private boolean connected;
    /** The target was running when this connection attached, and no break or exit has come since. */
    private boolean runningSinceAttach;

    /** A new connection, to a target that runs ({@code running}) or not as it attaches. */
    synchronized void attached(boolean running) {
        connected = true;
        lastStopSeq = 0;
        lastStop = null;
        disconnectReason = null;
        runningSinceAttach = running;
    }

    /** A break or exit record of the connection. */
    synchronized void stopped(DebuggerRecord stop) {
        lastStopSeq = stop.seq();
        lastStop = stop;
        runningSinceAttach = false;
        notifyAll();
    }

    /** The connection ended for {@code reason}: who waits for a stop is told. */
    synchronized void lost(String reason) {
        disconnectReason = reason;
        notifyAll();
    }

    /** {@code .disconnect}: there is no connection. */
    synchronized void detached() {
        connected = false;
        notifyAll();
    }

    synchronized boolean runningSinceAttach() {
        return runningSinceAttach;
    }

    synchronized long lastStopSeq() {
        return lastStopSeq;
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq}.
     *
     * @throws AgentError of kind CONNECTION if the agent goes away or the session is disconnected
     *                    first, TIMEOUT after {@code timeout}
     */
    synchronized DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastStopSeq <= afterSeq) {
            if (disconnectReason != null) {
                throw new AgentError(AgentError.Kind.CONNECTION, disconnectReason);
            }
            if (!connected) {
                throw new AgentError(AgentError.Kind.CONNECTION, DebugSession.NOT_CONNECTED);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AgentError(AgentError.Kind.TIMEOUT, "the target did not stop within " + timeout.toSeconds() + " s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return lastStop;
    }
}
