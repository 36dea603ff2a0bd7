package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directories the program has for itself, where Linux mounts a tmpfs: {@code /dev/shm} always (POSIX shared memory
 * and named semaphores live there: glibc's {@code shm_open} and {@code sem_open}, Python's {@code multiprocessing}
 * locks), and each {@code --tmpfs} directory, as systemd's {@code PrivateTmp=} or {@code docker run --tmpfs} give a
 * service its own {@code /tmp}. A path beneath one of them is a file of its {@link PrivateDirectory}, not the root's,
 * whatever the root holds there; the program may always write there. One per run: every process's {@link Sandbox}
 * shares them.
 */
final class PrivateDirectories {
    /** Where Linux mounts the shared memory's tmpfs. */
    static final String SHARED_MEMORY = "/dev/shm";
    /** Where programs write temporary files, whatever TMPDIR says. */
    private static final List<String> TEMPORARY = List.of("/tmp", "/var/tmp");

    /** By mount point's components; a mount point beneath another is looked at first. */
    private final Map<List<String>, PrivateDirectory> mounts = new LinkedHashMap<>();
    private final PrivateDirectory sharedMemory = new PrivateDirectory("hdbg-shm-");
    /** Whether the user was told how to give the program a {@code /tmp} ({@link #firstRefusedTemporaryDirectory}). */
    private boolean suggested;

    /** {@code /dev/shm} and {@code tmpfsDirs}, guest paths that {@link #check} accepted. */
    PrivateDirectories(List<String> tmpfsDirs) {
        List<String> points = new ArrayList<>(tmpfsDirs);
        points.sort((a, b) -> Integer.compare(components(b).size(), components(a).size()));
        for (String point : points) {
            mounts.put(components(point), new PrivateDirectory("hdbg-tmpfs-"));
        }
        mounts.put(components(SHARED_MEMORY), sharedMemory);
    }

    /**
     * Checks a {@code --tmpfs} directory: an absolute guest path, without {@code .} or {@code ..}, not the root and not
     * beneath the made-up {@code /proc}, {@code /sys} and {@code /dev}.
     *
     * @throws IllegalArgumentException saying which
     */
    static void check(String dir) {
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("--tmpfs " + dir + " must be a path as the program names it, from its "
                    + "root: /" + dir + "?");
        }
        List<String> parts = components(dir);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("--tmpfs / would hide the whole root: give a directory beneath it, "
                    + "or --writable to let the program write everywhere");
        }
        if (parts.contains(".") || parts.contains("..")) {
            throw new IllegalArgumentException("--tmpfs " + dir + " must name a directory without . or ..");
        }
        if (Sandbox.VIRTUAL.contains(parts.getFirst())) {
            throw new IllegalArgumentException("--tmpfs " + dir + " is beneath /" + parts.getFirst() + ", which the "
                    + "agent makes up (/dev/shm is the program's own already)");
        }
    }

    /** A checked {@code --tmpfs} directory as mounts name it: {@code /var/tmp} for {@code /var//tmp/}. */
    static String normalized(String dir) {
        return "/" + String.join("/", components(dir));
    }

    /**
     * When a write refused at {@code guestPath} is the first beneath {@code /tmp} or {@code /var/tmp}, where programs
     * write temporary files (glibc's {@code tmpfile}, GNU sort's spills, Python's {@code tempfile}): that directory, to
     * tell the user once how to give the program somewhere to write; empty otherwise, and when the program has its own
     * there already.
     */
    Optional<String> firstRefusedTemporaryDirectory(String guestPath) {
        if (suggested || covering(guestPath) != null) {
            return Optional.empty();
        }
        Optional<String> directory = TEMPORARY.stream().filter(dir -> beneath(guestPath, dir)).findFirst();
        suggested = directory.isPresent();
        return directory;
    }

    private static boolean beneath(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** The program's {@code /dev/shm}. */
    PrivateDirectory sharedMemory() {
        return sharedMemory;
    }

    /** The mount covering {@code components} (a resolved guest path's), the deepest one; null for none. */
    Mount covering(List<String> components) {
        for (Map.Entry<List<String>, PrivateDirectory> mount : mounts.entrySet()) {
            List<String> point = mount.getKey();
            if (components.size() >= point.size() && components.subList(0, point.size()).equals(point)) {
                return new Mount(point, mount.getValue());
            }
        }
        return null;
    }

    /** The mount covering the absolute guest path {@code guestPath}; null for none. */
    Mount covering(String guestPath) {
        return covering(components(guestPath));
    }

    /**
     * Whether the absolute guest path {@code guestPath} lies beneath a mount point, where the program may change files;
     * not the mount point itself, which stays (Linux's EBUSY for its rmdir, here the read-only root's EROFS).
     */
    boolean holds(String guestPath) {
        List<String> components = components(guestPath);
        Mount mount = covering(components);
        return mount != null && components.size() > mount.point().size();
    }

    /** The guest's name for the host path {@code real} (links resolved) when it lies in a private directory. */
    Optional<String> guestPathOf(Path real) throws IOException {
        for (Map.Entry<List<String>, PrivateDirectory> mount : mounts.entrySet()) {
            Optional<Path> made = mount.getValue().ifMade();
            if (made.isPresent()) {
                Path directory = made.get().toRealPath();
                if (real.startsWith(directory)) {
                    String point = "/" + String.join("/", mount.getKey());
                    String inside = directory.relativize(real).toString();
                    return Optional.of(inside.isEmpty() ? point : point + "/" + inside);
                }
            }
        }
        return Optional.empty();
    }

    /** The run ended: every private directory and what the program left in it are removed. */
    void removeAll() {
        mounts.values().forEach(PrivateDirectory::remove);
    }

    /**
     * A private directory and where the guest sees it.
     *
     * @param point the mount point's components
     */
    record Mount(List<String> point, PrivateDirectory directory) {
        /** The host path of the guest path whose components are {@code components}, beneath this mount. */
        Path host(List<String> components) {
            List<String> inside = components.subList(point.size(), components.size());
            return inside.isEmpty() ? directory.directory() : directory.directory().resolve(String.join("/", inside));
        }
    }

    private static List<String> components(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
