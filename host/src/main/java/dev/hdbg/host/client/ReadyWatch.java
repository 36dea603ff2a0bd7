package dev.hdbg.host.client;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A channel of the caller's own (a gdb front end's socket) watched in the selector of the loop the current thread
 * drives ({@link CallerDrivenLoop}), so that one thread waits in one place for both that channel and the agent's
 * connection: a {@code --gdb} bridge whose session thread drives the connection's I/O reads gdb's packets, the
 * agent's replies and the records in the same wait, with no thread handing any of them over (issue 14). Interest is
 * armed only for the length of a wait: a channel left readable while the owner waits for something else (a reply)
 * does not make the loop spin.
 *
 * <p>Used only on the thread that made it; the channel must be non-blocking.
 */
public final class ReadyWatch implements AutoCloseable {
    private final SelectableChannel channel;
    private final IoRegistration registration;
    private boolean ready;

    private ReadyWatch(SelectableChannel channel, IoRegistration registration) {
        this.channel = channel;
        this.registration = registration;
    }

    /**
     * Registers {@code channel} with the current thread's loop.
     *
     * @return empty when the current thread drives no loop
     * @throws IllegalStateException when that loop is not of NIO's transport, whose selector alone takes a JDK channel
     */
    public static Optional<ReadyWatch> on(SelectableChannel channel) {
        var loop = CallerDrivenLoop.ownedLoop();
        if (loop.isEmpty()) {
            return Optional.empty();
        }
        if (!loop.get().isCompatible(Handle.class)) {
            throw new IllegalStateException("a JDK channel can be watched only in a loop of NIO's transport: connect "
                    + "with ConnectSettings.withTransport(Transport.NIO)");
        }
        Handle handle = new Handle(channel);
        var registered = loop.get().register(handle);
        CallerDrivenLoop.driveUntil(registered::isDone, System.nanoTime() + 5_000_000_000L);
        if (!registered.isSuccess()) {
            throw new IllegalStateException("the channel could not be watched: " + registered.cause());
        }
        ReadyWatch watch = new ReadyWatch(channel, registered.getNow());
        handle.watch = watch;
        return Optional.of(watch);
    }

    /**
     * Drives the loop until the channel is ready for {@code ops} ({@link java.nio.channels.SelectionKey#OP_READ},
     * {@code OP_WRITE}, {@code OP_ACCEPT}), {@code done}, or the deadline ({@link System#nanoTime()}).
     *
     * @return whether the channel became ready
     */
    public boolean await(int ops, BooleanSupplier done, long deadline) {
        ready = false;
        registration.submit(NioIoOps.valueOf(ops & channel.validOps()));
        try {
            CallerDrivenLoop.driveUntil(() -> ready || done.getAsBoolean(), deadline);
        } finally {
            if (!ready && registration.isValid()) {
                registration.submit(NioIoOps.NONE);
            }
        }
        return ready;
    }

    /** The channel is no longer watched (it stays open). */
    @Override
    public void close() {
        registration.cancel();
    }

    private static final class Handle implements NioIoHandle {
        private final SelectableChannel channel;
        private ReadyWatch watch;

        Handle(SelectableChannel channel) {
            this.channel = channel;
        }

        @Override
        public SelectableChannel selectableChannel() {
            return channel;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (event instanceof NioIoEvent) {
                registration.submit(NioIoOps.NONE); // until the next wait arms it again
                if (watch != null) {
                    watch.ready = true;
                }
            }
        }

        @Override
        public void close() {
            // the owner closes the channel
        }
    }
}
