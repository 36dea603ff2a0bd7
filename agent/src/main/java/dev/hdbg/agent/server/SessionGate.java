package dev.hdbg.agent.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicReference;

/** One debugger at a time: the host attached now, if any. */
final class SessionGate {
    private final AtomicReference<Channel> attached = new AtomicReference<>();

    /** @return null when {@code channel} is now attached, else the channel already attached */
    Channel tryAttach(Channel channel) {
        return attached.compareAndSet(null, channel) ? null : attached.get();
    }

    boolean release(Channel channel) {
        return attached.compareAndSet(channel, null);
    }
}
