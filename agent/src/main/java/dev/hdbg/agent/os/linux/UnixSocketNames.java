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
    private final Map<String, UnixSocket> bound = new HashMap<>();

    void register(String key, UnixSocket socket) {
        bound.put(key, socket);
    }

    /** Whether an abstract name (or a path) is taken by a socket still open. */
    boolean taken(String key) {
        return bound.containsKey(key);
    }

    Optional<UnixSocket> find(String key) {
        return Optional.ofNullable(bound.get(key));
    }

    /** {@code socket} closed: its name goes, unless another socket has taken it since. */
    void forget(String key, UnixSocket socket) {
        bound.remove(key, socket);
    }
}
