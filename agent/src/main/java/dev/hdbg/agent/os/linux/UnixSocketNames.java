package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's named Unix sockets, shared by its processes: a socket file's host path (its directory's real path,
 * so that two spellings of one file meet) or an abstract name, and the socket bound to it. A bind to a path whose
 * file another socket left (and someone unlinked) takes the name over, as a new inode does natively.
 */
final class UnixSocketNames {
    private final Map<String, GuestSocket> bound = new HashMap<>();
    /** The last name autobind chose, of Linux's 2^20 (five hex digits). */
    private int lastChosen;

    void register(String key, GuestSocket socket) {
        bound.put(key, socket);
    }

    /** Whether an abstract name (or a path) is taken by a socket still open. */
    boolean taken(String key) {
        return bound.containsKey(key);
    }

    Optional<GuestSocket> find(String key) {
        return Optional.ofNullable(bound.get(key));
    }

    /**
     * An abstract name no socket has, of a NUL and five hex digits, as Linux's autobind chooses them: the next free one
     * after the last chosen. ENOSPC when all 2^20 are taken, as Linux says.
     */
    String unusedAbstractKey() {
        for (int tried = 0; tried < 1 << 20; tried++) {
            lastChosen = (lastChosen + 1) & 0xfffff;
            String key = String.format("\0%05x", lastChosen);
            if (!taken(key)) {
                return key;
            }
        }
        throw new SyscallException(Errno.ENOSPC);
    }

    /** {@code socket} closed: its name goes, unless another socket has taken it since. */
    void forget(String key, GuestSocket socket) {
        bound.remove(key, socket);
    }
}
