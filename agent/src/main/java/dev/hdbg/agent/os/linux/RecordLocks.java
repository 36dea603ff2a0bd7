package dev.hdbg.agent.os.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * fcntl's POSIX record locks (F_SETLK, F_SETLKW, F_GETLK: SQLite's, and lockf's), shared by the program's processes:
 * byte ranges of a file, read (shared) or write (exclusive), owned by a process. A process's own locks never conflict
 * with each other (a new lock replaces what it held of the range); as POSIX has it, a process loses all its locks of a
 * file when it closes any descriptor of that file, and when it ends.
 */
final class RecordLocks {
    /** To the end of the file, however long it grows. */
    static final long TO_END = Long.MAX_VALUE;

    /** One locked range {@code [start, end)} of a file, its owner and its kind. */
    record Range(long pid, long start, long end, boolean write) {
        boolean overlaps(long from, long to) {
            return start < to && from < end;
        }
    }

    private final Scheduler scheduler;
    /** Each locked file's ranges, by the file's identity ({@link HostFile#fileKey}). */
    private final Map<Object, List<Range>> files = new HashMap<>();
    /** Each locked file's channel ({@link #channel}). */
    private final Map<Object, Object> channels = new HashMap<>();
    /** How many ranges each process holds, so that a close by a process that holds none costs no look-up. */
    private final Map<Long, Integer> held = new HashMap<>();

    RecordLocks(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The first range of another process that conflicts with {@code pid} locking {@code [start, end)}; null: none. */
    Range conflict(Object key, long pid, long start, long end, boolean write) {
        for (Range range : files.getOrDefault(key, List.of())) {
            if (range.pid() != pid && range.overlaps(start, end) && (write || range.write())) {
                return range;
            }
        }
        return null;
    }

    /**
     * {@code pid} locks {@code [start, end)} of the file (or, with {@code unlock}, lets it go), replacing what it held
     * of that range.
     *
     * @throws SyscallException EAGAIN when another process's lock conflicts and {@code wait} is false; {@link Blocked}
     *                          on the file's ranges when it is true
     */
    void set(Object key, long pid, long start, long end, boolean write, boolean unlock, boolean wait) {
        if (!unlock && conflict(key, pid, start, end, write) != null) {
            throw wait ? new Blocked(channel(key)) : new SyscallException(Errno.EAGAIN);
        }
        List<Range> ranges = files.computeIfAbsent(key, k -> new ArrayList<>());
        List<Range> kept = new ArrayList<>();
        for (Iterator<Range> i = ranges.iterator(); i.hasNext(); ) {
            Range range = i.next();
            if (range.pid() == pid && range.overlaps(start, end)) {
                i.remove();
                count(pid, -1);
                if (range.start() < start) {
                    kept.add(new Range(pid, range.start(), start, range.write()));
                }
                if (end < range.end()) {
                    kept.add(new Range(pid, end, range.end(), range.write()));
                }
            }
        }
        if (!unlock) {
            kept.add(new Range(pid, start, end, write));
        }
        for (Range range : kept) {
            ranges.add(range);
            count(pid, 1);
        }
        released(key, ranges);
    }

    /** {@code pid} closed a descriptor of {@code file}, or ended: its locks of that file go. */
    void closed(long pid, OpenFile file) {
        if (!held.containsKey(pid) || !(file instanceof HostFile host)) {
            return;
        }
        Object key = host.fileKey();
        List<Range> ranges = files.get(key);
        if (ranges == null) {
            return;
        }
        int before = ranges.size();
        ranges.removeIf(range -> range.pid() == pid);
        if (ranges.size() < before) {
            count(pid, ranges.size() - before);
            released(key, ranges);
        }
    }

    /** The ranges of {@code key} changed: whoever waits for them tries again; a file with none is forgotten. */
    private void released(Object key, List<Range> ranges) {
        scheduler.wakeAll(channel(key));
        if (ranges.isEmpty()) {
            files.remove(key);
            channels.remove(key); // no one waits: a wait needs a conflicting range
        }
    }

    /** {@code pid} holds {@code change} ranges more (or fewer). */
    private void count(long pid, int change) {
        if (held.merge(pid, change, Integer::sum) <= 0) {
            held.remove(pid);
        }
    }

    /** What a process waiting for a range of {@code key} sleeps on: one object per locked file. */
    private Object channel(Object key) {
        return channels.computeIfAbsent(key, k -> new Object() {
            @Override
            public String toString() {
                return "a record lock (fcntl F_SETLKW)";
            }
        });
    }
}
