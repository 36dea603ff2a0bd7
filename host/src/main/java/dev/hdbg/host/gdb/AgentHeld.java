package dev.hdbg.host.gdb;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What the agent holds for a gdb session (its breakpoints, watchpoints, the events of its catchpoints), each by the id
 * the agent gave it: made what gdb wants when gdb resumes the target, as gdbserver inserts and removes its points then,
 * with a request for each point added or dropped and none for the rest.
 *
 * @param <K> what gdb asks for: a breakpoint, a system call's number
 */
final class AgentHeld<K> {
    private final Map<K, Long> ids = new HashMap<>();

    /** Drops what gdb no longer wants, then adds what it wants and the agent does not hold. */
    void sync(Collection<K> wanted, ToLongFunction<K> add, BiConsumer<K, Long> drop) {
        for (var it = ids.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Long> entry = it.next();
            if (!wanted.contains(entry.getKey())) {
                drop.accept(entry.getKey(), entry.getValue());
                it.remove();
            }
        }
        for (K key : wanted) {
            if (!ids.containsKey(key)) {
                ids.put(key, add.applyAsLong(key));
            }
        }
    }

    /** What the agent's {@code id} stands for, among those {@code kind} accepts. */
    Optional<K> byId(long id, Predicate<K> kind) {
        return ids.entrySet().stream().filter(e -> e.getValue() == id && kind.test(e.getKey())).map(Map.Entry::getKey)
                .findFirst();
    }

    /** Whether the agent's {@code id} is one of these. */
    boolean holds(long id) {
        return ids.containsValue(id);
    }
}
