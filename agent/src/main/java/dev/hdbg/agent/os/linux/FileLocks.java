package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * flock's advisory locks, shared by every process of the program: as on Linux a lock belongs to an open file
 * description (what dup and fork share), so two opens of one file conflict even in one process, and it goes when the
 * description's last descriptor closes (the process's exit included). A lock that must wait puts its thread to sleep
 * on the file's lock until a holder lets it go ({@link Blocked}).
 */
final class FileLocks {
    private final Scheduler scheduler;
    /** Each locked file's holders, by the file's identity: its device and inode for a host file. */
    private final Map<Object, Lock> locks = new HashMap<>();

    FileLocks(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** One file's lock: who holds it, shared or exclusive. */
    private static final class Lock {
        private final String name;
        /** Each holder's description: true for an exclusive lock. */
        private final Map<OpenFile, Boolean> holders = new IdentityHashMap<>();

        Lock(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "a lock (flock) of " + name;
        }
    }

    /**
     * {@code file}, naming the file {@code key} ({@code name} in messages), takes a shared or an exclusive lock, or
     * converts the one it has. A conversion first lets the old lock go, as Linux's does, even when the new one then
     * cannot be had.
     *
     * @throws SyscallException EAGAIN (EWOULDBLOCK) when another description's lock conflicts and {@code wait} is
     *                          false; {@link Blocked} on the lock when it is true
     */
    void lock(Object key, String name, OpenFile file, boolean exclusive, boolean wait) {
        Lock lock = locks.computeIfAbsent(key, k -> new Lock(name));
        Boolean held = lock.holders.get(file);
        if (held != null && held == exclusive) {
            return;
        }
        if (held != null) {
            lock.holders.remove(file);
            scheduler.wakeAll(lock);
        }
        for (Map.Entry<OpenFile, Boolean> holder : lock.holders.entrySet()) {
            if (exclusive || holder.getValue()) {
                throw wait ? new Blocked(lock) : new SyscallException(Errno.EAGAIN);
            }
        }
        lock.holders.put(file, exclusive);
        file.whenReleased(() -> unlock(key, file));
    }

    /** {@code file}'s lock of {@code key} goes, if it has one; whoever waited for it tries again. */
    void unlock(Object key, OpenFile file) {
        Lock lock = locks.get(key);
        if (lock == null || lock.holders.remove(file) == null) {
            return;
        }
        if (lock.holders.isEmpty()) {
            locks.remove(key);
        }
        scheduler.wakeAll(lock);
    }
}
