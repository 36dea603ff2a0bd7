package dev.hdbg.agent.debugger;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code !epthook2} events by address, in sorted primitive arrays: a hit finds its events by
 * binary search without boxing the address or allocating anything.
 */
final class DetourIndex {
    static final DetourIndex EMPTY = new DetourIndex(new TreeMap<>());
    private static final Event[] NONE = new Event[0];

    private final long[] addresses;
    private final Event[][] events;
    private final boolean[] post;

    DetourIndex(TreeMap<Long, List<Event>> byAddress) {
        int n = byAddress.size();
        addresses = new long[n];
        events = new Event[n][];
        post = new boolean[n];
        int i = 0;
        for (Map.Entry<Long, List<Event>> e : byAddress.entrySet()) {
            addresses[i] = e.getKey();
            events[i] = e.getValue().toArray(Event[]::new);
            post[i] = e.getValue().stream().anyMatch(ev -> ev.spec().options().stage().includesPost());
            i++;
        }
    }

    Event[] at(long address) {
        int i = Arrays.binarySearch(addresses, address);
        return i < 0 ? NONE : events[i];
    }

    boolean wantsPost(long address) {
        int i = Arrays.binarySearch(addresses, address);
        return i >= 0 && post[i];
    }
}
