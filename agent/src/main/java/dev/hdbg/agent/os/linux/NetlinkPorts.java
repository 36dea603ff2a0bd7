package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The machine's netlink port ids, which name its NETLINK_ROUTE sockets ({@link NetlinkSocket}) for the kernel's
 * answers: one socket a port id, as Linux's netlink table for a protocol.
 */
final class NetlinkPorts {
    /** Where Linux's autobind counts down from once the pid is taken. */
    private static final int FIRST_CHOSEN = -4096;
    private final Map<Integer, NetlinkSocket> bound = new HashMap<>();
    private int rover = FIRST_CHOSEN;

    /** bind with a port id: EADDRINUSE when another socket has it. */
    void bind(NetlinkSocket socket, int portId) {
        NetlinkSocket holder = bound.putIfAbsent(portId, socket);
        if (holder != null && holder != socket) {
            throw new SyscallException(Errno.EADDRINUSE);
        }
    }

    /** A port id the machine chooses: {@code pid} when no socket has it, else the next free one below -4096. */
    int autobind(NetlinkSocket socket, int pid) {
        int portId = pid;
        while (portId == 0 || bound.containsKey(portId)) {
            portId = rover--;
            if (rover > FIRST_CHOSEN) {
                rover = FIRST_CHOSEN; // wrapped past the negative ids, as Linux's rover does
            }
        }
        bound.put(portId, socket);
        return portId;
    }

    /** The socket closed: its port id is free again. */
    void forget(int portId, NetlinkSocket socket) {
        bound.remove(portId, socket);
    }
}
