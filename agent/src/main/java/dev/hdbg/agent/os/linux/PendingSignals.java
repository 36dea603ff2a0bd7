package dev.hdbg.agent.os.linux;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Signals sent and not yet delivered, as Linux keeps them twice: for the process (kill, timers) and for each thread
 * (tkill, tgkill, SIGPIPE). One of each standard signal is kept (a second is merged); real-time signals (32 and up)
 * queue, in order.
 */
final class PendingSignals {
    private final SignalInfo[] standard = new SignalInfo[Signals.NSIG + 1];
    private final Deque<SignalInfo> realtime = new ArrayDeque<>();

    /** The signals pending, bit {@code s - 1} for signal {@code s}. */
    long set() {
        long set = 0;
        for (int s = 1; s < 32; s++) {
            if (standard[s] != null) {
                set |= Signals.bit(s);
            }
        }
        for (SignalInfo info : realtime) {
            set |= Signals.bit(info.signal());
        }
        return set;
    }

    void add(SignalInfo info) {
        int s = info.signal();
        if (s >= 32) {
            realtime.add(info);
        } else if (standard[s] == null) {
            standard[s] = info;
        }
    }

    /** The pending standard signal {@code s}'s siginfo (a timer's overrun counts up in it); null when none is. */
    SignalInfo standard(int s) {
        return standard[s];
    }

    void replace(SignalInfo info) {
        standard[info.signal()] = info;
    }

    /** Takes signal {@code s}: the first queued of a real-time one; null when none is pending. */
    SignalInfo take(int s) {
        if (s >= 32) {
            for (SignalInfo info : realtime) {
                if (info.signal() == s) {
                    realtime.remove(info);
                    return info;
                }
            }
            return null;
        }
        SignalInfo info = standard[s];
        standard[s] = null;
        return info;
    }

    void discard(int s) {
        if (s < 32) {
            standard[s] = null;
        }
        realtime.removeIf(info -> info.signal() == s);
    }
}
