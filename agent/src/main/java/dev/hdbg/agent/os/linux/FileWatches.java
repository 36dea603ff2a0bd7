package dev.hdbg.agent.os.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's inotify watches, found by the identity of the file or directory each watches ({@link Stat.FileId}),
 * and the events the program's own changes make, in the order Linux's fsnotify sends them: an event on a file goes
 * with its name to the watches on its directory, then to the file's own. Only what the program's processes do is
 * seen: a change the host makes beside it is not. Every hook asks {@link #any} first, so a program that watches
 * nothing pays one test.
 */
final class FileWatches {
    static final int IN_ACCESS = 0x1;
    static final int IN_MODIFY = 0x2;
    static final int IN_ATTRIB = 0x4;
    static final int IN_CLOSE_WRITE = 0x8;
    static final int IN_CLOSE_NOWRITE = 0x10;
    static final int IN_OPEN = 0x20;
    static final int IN_MOVED_FROM = 0x40;
    static final int IN_MOVED_TO = 0x80;
    static final int IN_CREATE = 0x100;
    static final int IN_DELETE = 0x200;
    static final int IN_DELETE_SELF = 0x400;
    static final int IN_MOVE_SELF = 0x800;
    static final int IN_ALL_EVENTS = 0xfff;
    static final int IN_ISDIR = 0x40000000;

    private final Map<Object, List<InotifyFile.Watch>> byFile = new HashMap<>();
    private int cookies;

    /** Whether any watch exists: false makes every hook return at once. */
    boolean any() {
        return !byFile.isEmpty();
    }

    void added(InotifyFile.Watch watch) {
        byFile.computeIfAbsent(watch.file, f -> new ArrayList<>()).add(watch);
    }

    void removed(InotifyFile.Watch watch) {
        List<InotifyFile.Watch> watches = byFile.get(watch.file);
        if (watches != null && watches.remove(watch) && watches.isEmpty()) {
            byFile.remove(watch.file);
        }
    }

    private static final Runnable NOTHING = () -> { };

    /** The identity of what {@code path} names (not following a last symbolic link), or null when nothing. */
    static Stat.FileId id(Path path) {
        byte[] stat = stat(path, false);
        return stat != null ? Stat.id(stat) : null;
    }

    private static byte[] stat(Path path, boolean follow) {
        try {
            return Stat.of(path, follow);
        } catch (SyscallException gone) {
            return null;
        }
    }

    /**
     * What unlink or rmdir of {@code path} tells once it succeeded ({@link #removed}), with what is known only before:
     * the file's identity and how many names it had. Nothing without watches.
     */
    Runnable removal(Path path) {
        byte[] stat = any() ? stat(path, false) : null;
        if (stat == null) {
            return NOTHING;
        }
        boolean directory = Stat.fileType(stat) == Stat.S_IFDIR;
        return () -> removed(path, Stat.id(stat), directory, Stat.links(stat) <= 1);
    }

    /** What rename of {@code from} to {@code to} tells once it succeeded ({@link #moved}); nothing without watches. */
    Runnable move(Path from, Path to) {
        byte[] moving = any() ? stat(from, false) : null;
        if (moving == null) {
            return NOTHING;
        }
        byte[] replaced = stat(to, false);
        return () -> moved(from, to, Stat.id(moving), Stat.fileType(moving) == Stat.S_IFDIR,
                replaced != null ? Stat.id(replaced) : null, replaced != null && Stat.links(replaced) <= 1);
    }

    /** Data read from an open file (IN_ACCESS), written (IN_MODIFY), or its open and last close. */
    void onOpenFile(HostFile file, int mask) {
        if (any()) {
            onFile(file.host(), file.fileKey(), mask);
        }
    }

    /** IN_ATTRIB or IN_MODIFY of what {@code path} names, a change through its name (chmod, utimensat, truncate). */
    void onPath(Path path, boolean follow, int mask) {
        if (any()) {
            Stat.FileId file = follow ? followedId(path) : id(path);
            if (file != null) {
                onFile(path, file, mask);
            }
        }
    }

    private static Stat.FileId followedId(Path path) {
        byte[] stat = stat(path, true);
        return stat != null ? Stat.id(stat) : null;
    }

    /** A new name in a directory (open's O_CREAT, mkdir, mknod, symlink): IN_CREATE to the directory's watches. */
    void created(Path path, boolean directory) {
        if (any()) {
            toDirectory(path, IN_CREATE | (directory ? IN_ISDIR : 0), 0);
        }
    }

    /** link of {@code file} as {@code newName}: the file's link count changed (IN_ATTRIB), then IN_CREATE. */
    void linked(Path newName, Path file) {
        Stat.FileId id = any() ? id(file) : null;
        if (id != null) {
            toFile(id, IN_ATTRIB, 0, "");
            toDirectory(newName, IN_CREATE, 0);
        }
    }

    /**
     * unlink or rmdir of {@code path}, which was {@code file}: a file's link count changed (IN_ATTRIB); with its last
     * name gone (a directory's only one) IN_DELETE_SELF and the end of its watches; then IN_DELETE to the directory.
     */
    private void removed(Path path, Stat.FileId file, boolean directory, boolean lastName) {
        if (any()) {
            if (!directory) {
                toFile(file, IN_ATTRIB, 0, "");
            }
            if (lastName || directory) {
                deleted(file);
            }
            toDirectory(path, IN_DELETE | (directory ? IN_ISDIR : 0), 0);
        }
    }

    /**
     * rename of {@code file} from {@code from} to {@code to}: IN_MOVED_FROM and IN_MOVED_TO with one cookie, a replaced
     * target's link count (IN_ATTRIB), IN_MOVE_SELF, then the replaced target's end when that was its last name.
     */
    private void moved(Path from, Path to, Stat.FileId file, boolean directory, Stat.FileId replaced,
            boolean replacedLast) {
        if (any()) {
            int cookie = ++cookies;
            int isDir = directory ? IN_ISDIR : 0;
            toDirectory(from, IN_MOVED_FROM | isDir, cookie);
            toDirectory(to, IN_MOVED_TO | isDir, cookie);
            if (replaced != null && !directory) {
                toFile(replaced, IN_ATTRIB, 0, "");
            }
            toFile(file, IN_MOVE_SELF, 0, ""); // an event on itself: no IN_ISDIR, as Linux reports it
            if (replaced != null && (replacedLast || directory)) {
                deleted(replaced);
            }
        }
    }

    private void deleted(Stat.FileId file) {
        toFile(file, IN_DELETE_SELF, 0, "");
        for (InotifyFile.Watch watch : List.copyOf(byFile.getOrDefault(file, List.of()))) {
            watch.owner.ignore(watch);
        }
    }

    /** An event on {@code file}, named {@code path}: with its name to its directory's watches, then to its own. */
    private void onFile(Path path, Object file, int mask) {
        toDirectory(path, mask, 0);
        toFile(file, mask, 0, "");
    }

    private void toDirectory(Path path, int mask, int cookie) {
        Path parent = path.getParent();
        Path name = path.getFileName();
        if (parent != null && name != null) {
            Stat.FileId directory = followedId(parent);
            if (directory != null) {
                toFile(directory, mask, cookie, name.toString());
            }
        }
    }

    private void toFile(Object file, int mask, int cookie, String name) {
        List<InotifyFile.Watch> watches = byFile.get(file);
        if (watches == null) {
            return;
        }
        for (InotifyFile.Watch watch : List.copyOf(watches)) {
            if ((watch.mask & mask & IN_ALL_EVENTS) != 0) {
                watch.owner.deliver(watch, mask, cookie, name);
            }
        }
    }
}
