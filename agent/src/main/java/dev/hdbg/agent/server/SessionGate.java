package dev.hdbg.agent.server;

import io.netty.channel.Channel;

/** One debugger at a time: the host controlling the agent now, if any. Observers do not pass here. */
final class SessionGate {
    private Channel controller;

    /**
     * A connection that is already closed no longer holds the gate, even before its close has been handled: a host
     * killed a moment ago must not keep the next one out.
     *
     * @return null when {@code channel} now controls the agent, else the channel that does
     */
    synchronized Channel tryControl(Channel channel) {
        if (controller == null || !controller.isActive()) {
            controller = channel;
            return null;
        }
        return controller;
    }

    /** @return the channel that controlled the agent until now, or null when none did */
    synchronized Channel takeOver(Channel channel) {
        Channel previous = controller;
        controller = channel;
        return previous == null || !previous.isActive() ? null : previous;
    }

    /** @return whether {@code channel} was the controller */
    synchronized boolean release(Channel channel) {
        if (controller == channel) {
            controller = null;
            return true;
        }
        return false;
    }
}
