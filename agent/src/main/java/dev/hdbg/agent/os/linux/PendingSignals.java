package dev.hdbg.agent.os.linux;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Signals sent and not yet delivered, as Linux keeps them twice: for the process (kill, timers) and for each thread
 * (tkill, tgkill, SIGPIPE). One of each standard signal is kept (a second is merged); real-time signals (32 and up)
 * queue, in order. The set is kept as a word, since every system call's return to user mode asks for it.
 */
final class PendingSignals {
    private final SignalInfo[] standard = new SignalInfo[32];
    private final Deque<SignalInfo> realtime = new ArrayDeque<>();
    private long set;

    /** The signals pending, bit {@code s - 1} for signal {@code s}. */
    long set() {
        return set;
    }

    void add(SignalInfo info) {
        int s = info.signal();
        if (s >= 32) {
            realtime.add(info);
        } else if (standard[s] == null) {
            standard[s] = info;
        }
        set |= Signals.bit(s);
    }

    /** The pending standard signal {@code s}'s siginfo (a timer's overrun counts up in it); null when none is. */
    SignalInfo standard(int s) {
        return standard[s];
    }

    /** A pending standard signal's siginfo, changed (a timer's overrun). */
    void replace(SignalInfo info) {
        standard[info.signal()] = info;
        set |= Signals.bit(info.signal());
    }

    /** Takes signal {@code s}: the first queued of a real-time one; null when none is pending. */
    SignalInfo take(int s) {
        if ((set & Signals.bit(s)) == 0) {
            return null;
        }
        if (s < 32) {
            SignalInfo info = standard[s];
            standard[s] = null;
            set &= ~Signals.bit(s);
            return info;
        }
        SignalInfo taken = null;
        boolean more = false;
        for (var it = realtime.iterator(); it.hasNext(); ) {
            SignalInfo info = it.next();
            if (info.signal() != s) {
                continue;
            }
            if (taken == null) {
                taken = info;
                it.remove();
            } else {
                more = true;
                break;
            }
        }
        if (!more) {
            set &= ~Signals.bit(s);
        }
        return taken;
    }

    void discard(int s) {
        if (s < 32) {
            standard[s] = null;
        }
        realtime.removeIf(info -> info.signal() == s);
        set &= ~Signals.bit(s);
    }
}
