package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An inotify instance: its watches, each on one file or directory ({@link FileWatches} finds them by the file's
 * identity), and the queue of events they caught, read as Linux's {@code struct inotify_event}s. A read takes as many
 * whole events as fit (EINVAL when not even the first does) and waits, or fails with EAGAIN when non-blocking, while
 * the queue is empty; an event identical to the last one queued is merged into it, and past 16,384 queued events one
 * IN_Q_OVERFLOW stands for everything lost, as Linux's max_queued_events.
 */
final class InotifyFile extends OpenFile {
    static final int IN_Q_OVERFLOW = 0x4000;
    static final int IN_IGNORED = 0x8000;
    static final int IN_ONESHOT = 0x80000000;
    /** /proc/sys/fs/inotify/max_queued_events. */
    private static final int MAX_QUEUED = 16_384;
    /** sizeof(struct inotify_event) without its name; names are padded to a multiple of it. */
    private static final int HEADER = 16;

    /**
     * One watch: {@code mask} the events it wants (and IN_ONESHOT), on the file {@code file} is the identity of (its
     * {@link Stat.FileId}).
     */
    static final class Watch {
        final InotifyFile owner;
        final int wd;
        final Object file;
        int mask;

        Watch(InotifyFile owner, int wd, Object file, int mask) {
            this.owner = owner;
            this.wd = wd;
            this.file = file;
            this.mask = mask;
        }
    }

    private final Scheduler scheduler;
    private final FileWatches registry;
    private final Map<Integer, Watch> byWd = new HashMap<>();
    private final Map<Object, Watch> byFile = new HashMap<>();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    private int nextWd = 1;

    InotifyFile(Scheduler scheduler, FileWatches registry, int statusFlags) {
        super(O_RDONLY | statusFlags);
        this.scheduler = scheduler;
        this.registry = registry;
    }

    /** The watch on {@code file}, or null. */
    Watch watchOn(Object file) {
        return byFile.get(file);
    }

    /** A new watch on {@code file}: the next watch descriptor, as Linux numbers them (from 1, never reused). */
    Watch watch(Object file, int mask) {
        Watch watch = new Watch(this, nextWd++, file, mask);
        byWd.put(watch.wd, watch);
        byFile.put(file, watch);
        registry.added(watch);
        return watch;
    }

    /** inotify_rm_watch: the watch goes, with an IN_IGNORED event; EINVAL for a descriptor it never gave or took back. */
    void unwatch(int wd) {
        Watch watch = byWd.get(wd);
        if (watch == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        ignore(watch);
    }

    /** The watch ends (its file deleted, IN_ONESHOT, inotify_rm_watch): IN_IGNORED tells the reader. */
    void ignore(Watch watch) {
        if (byWd.remove(watch.wd) != null) {
            byFile.remove(watch.file);
            registry.removed(watch);
            queue(watch.wd, IN_IGNORED, 0, "");
        }
    }

    /** Queues an event for {@code watch}, which wanted it, then ends the watch when it was IN_ONESHOT. */
    void deliver(Watch watch, int mask, int cookie, String name) {
        queue(watch.wd, mask, cookie, name);
        if ((watch.mask & IN_ONESHOT) != 0) {
            ignore(watch);
        }
    }

    private void queue(int wd, int mask, int cookie, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int length = bytes.length == 0 ? 0 : (bytes.length + HEADER) / HEADER * HEADER; // NUL, padded
        ByteBuffer event = ByteBuffer.allocate(HEADER + length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(wd).putInt(mask).putInt(cookie).putInt(length).put(bytes);
        byte[] raw = event.array();
        if (!queue.isEmpty() && Arrays.equals(queue.peekLast(), raw)) {
            return; // Linux merges an event identical to the last one queued
        }
        if (queue.size() >= MAX_QUEUED) {
            byte[] overflow = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).putInt(-1)
                    .putInt(IN_Q_OVERFLOW).array();
            if (!Arrays.equals(queue.peekLast(), overflow)) {
                queue.add(overflow);
                queuedBytes += overflow.length;
            }
            return;
        }
        queue.add(raw);
        queuedBytes += raw.length;
        scheduler.wakeAll(this, ReadyWait.CHANNEL); // a read waiting for an event, a poll on the instance
    }

    @Override
    int read(byte[] buffer) {
        if (queue.isEmpty()) {
            throw Blocked.unlessNonBlocking(this, this);
        }
        if (queue.peek().length > buffer.length) {
            throw new SyscallException(Errno.EINVAL);
        }
        int taken = 0;
        while (!queue.isEmpty() && queue.peek().length <= buffer.length - taken) {
            byte[] event = queue.poll();
            System.arraycopy(event, 0, buffer, taken, event.length);
            taken += event.length;
            queuedBytes -= event.length;
        }
        return taken;
    }

    @Override
    boolean readReady() {
        return !queue.isEmpty();
    }

    @Override
    int available() {
        return queuedBytes;
    }

    /** The last descriptor closed: its watches go (no one can read their IN_IGNORED). */
    @Override
    void release() {
        byFile.values().forEach(registry::removed);
        byWd.clear();
        byFile.clear();
        queue.clear();
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(0600, 0, 0x50000, Credentials.UID, Credentials.GID);
    }
}
