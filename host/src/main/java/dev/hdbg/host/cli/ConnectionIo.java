package dev.hdbg.host.cli;

import dev.hdbg.common.wire.Transport;
import dev.hdbg.host.client.ConnectSettings;
import java.util.Optional;

/**
 * Who drives a session's connection, and what follows from it, decided once for the run from its options and the
 * environment: the thread that waits on the connection (a batch's, the gdb bridge's session thread) or a Netty loop
 * thread, and whether a batch's own output lines may wait for that thread's next wait to be flushed.
 *
 * @param callerDriven   whether the waiting thread drives the connection; empty for the prompt and the demo, which
 *                       keep the settings' loop thread (their owner waits in JLine)
 * @param flushesAtWaits whether a batch's lines are flushed when its thread is about to wait, not a line at a time:
 *                       only when that thread drives the connection (so every wait flushes them first) and reads its
 *                       commands from a file, which never waits for a user
 * @param refusal        why {@value #BATCH_IO_VARIABLE} was refused, said when the connection is set up; null when it
 *                       was not
 * @param nioLoop        whether the connection's loop must be NIO's: the bridge's session thread watches gdb's socket
 *                       in it too ({@code ReadyWatch}), which epoll's loop does not take
 */
record ConnectionIo(Optional<Boolean> callerDriven, boolean flushesAtWaits, String refusal, boolean nioLoop) {
    /** {@code HDBG_BATCH_IO=thread} runs a batch's connection on a Netty loop thread, as the prompt's. */
    static final String BATCH_IO_VARIABLE = "HDBG_BATCH_IO";
    /** {@code HDBG_GDB_IO=thread} runs {@code --gdb}'s connection on a Netty loop thread (for measurements). */
    static final String GDB_IO_VARIABLE = "HDBG_GDB_IO";
    /** Whether a batch thread drives its connection's I/O when {@link #BATCH_IO_VARIABLE} is not set. */
    static final boolean BATCH_DRIVES_IO_BY_DEFAULT = true;

    ConnectionIo(Optional<Boolean> callerDriven, boolean flushesAtWaits, String refusal) {
        this(callerDriven, flushesAtWaits, refusal, false);
    }

    /** The choice for this process's environment. */
    static ConnectionIo of(String batch, boolean gdb) {
        return of(batch, gdb, System.getenv(BATCH_IO_VARIABLE), System.getenv(GDB_IO_VARIABLE));
    }

    /**
     * @param batch   {@code --batch}'s file, {@code -} for standard input, null without one
     * @param gdb     whether {@code --gdb} serves a front end
     * @param batchIo {@value #BATCH_IO_VARIABLE}'s value, null when unset
     * @param gdbIo   {@value #GDB_IO_VARIABLE}'s value, null when unset
     */
    static ConnectionIo of(String batch, boolean gdb, String batchIo, String gdbIo) {
        if (batch != null && !gdb) {
            try {
                boolean caller = batchDrivesIo(batchIo);
                return new ConnectionIo(Optional.of(caller), caller && !"-".equals(batch), null);
            } catch (IllegalArgumentException e) {
                return new ConnectionIo(Optional.empty(), false, e.getMessage());
            }
        }
        if (gdb && batch == null) {
            // The bridge's session thread waits for gdb and the agent in one selector (issue 14; docs/gdb.md).
            boolean caller = !"thread".equals(gdbIo);
            return new ConnectionIo(Optional.of(caller), false, null, caller);
        }
        return new ConnectionIo(Optional.empty(), false, null);
    }

    /**
     * The connection's settings with this run's choice of who drives it; unchanged where the run leaves it to them
     * (the prompt, the demo, and a batch whose setting was refused).
     */
    ConnectSettings applyTo(ConnectSettings settings) {
        ConnectSettings driven = callerDriven.map(settings::withCallerDriven).orElse(settings);
        return nioLoop ? driven.withTransport(Transport.NIO) : driven;
    }

    /**
     * Whether the batch thread drives its own connection's I/O while it waits ({@code CallerDrivenLoop}): a warm
     * {@code r rip} took 81 µs instead of 188 (docs/benchmarks.md, "The thread that waits drives the I/O"). The
     * prompt, the demo and the gdb bridge keep a loop thread: their owner waits in JLine or a socket.
     */
    static boolean batchDrivesIo(String setting) {
        if (setting == null || setting.isBlank()) {
            return BATCH_DRIVES_IO_BY_DEFAULT;
        }
        return switch (setting.strip()) {
            case "caller" -> true;
            case "thread" -> false;
            default -> throw new IllegalArgumentException(BATCH_IO_VARIABLE + "=" + setting
                    + " is neither caller (the batch thread drives its I/O) nor thread (a Netty loop thread does)");
        };
    }
}
