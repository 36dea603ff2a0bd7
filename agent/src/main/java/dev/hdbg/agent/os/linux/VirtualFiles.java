package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guest's {@code /proc}, {@code /sys} and {@code /dev}, made up from the process's own state: its executable,
 * memory map, auxiliary vector, arguments, descriptors, stat and status under {@code /proc/self} (and
 * {@code /proc/PID}); every other process of the machine's ids, state and program under its {@code /proc/PID}
 * (ps, pgrep and pkill list them), the machine's {@code /proc/stat}; one online CPU under {@code /sys}, and the
 * devices of {@link Devices} with the standard-stream links under {@code /dev}; {@code /etc/hostname} and
 * {@code /etc/hosts} ({@link ProvidedFiles}). Everything else there does not exist (ENOENT).
 */
final class VirtualFiles implements Sandbox.Virtual {
    /**
     * {@code loginuid} and {@code sessionid} of a process outside any login session: (u32) -1, without a newline.
     * glibc's getlogin reads it and says ENXIO, as natively; logname says "no login name".
     */
    private static final String NO_LOGIN = "4294967295";

    private final LinuxProcess process;
    /** The machine's own files in /proc, the same for every process. */
    private final SystemProcFiles machine;

    VirtualFiles(LinuxProcess process) {
        this.process = process;
        this.machine = new SystemProcFiles(process.table());
    }

    @Override
    public VirtualNode node(List<String> path) {
        return switch (path.getFirst()) {
            case "proc" -> proc(path.subList(1, path.size()));
            case "sys" -> sys(path.subList(1, path.size()));
            case "dev" -> Devices.node(path.subList(1, path.size()), process.sandbox().hasShm(),
                    process.table().terminals());
            case "etc" -> ProvidedFiles.PATHS.contains(path) ? ProvidedFiles.node(path, process.sandbox().root()) : null;
            default -> null;
        };
    }

    @Override
    public Optional<String> pathOf(int fd) {
        if (!process.fds().isOpen(fd)) {
            return Optional.empty();
        }
        return switch (process.fds().get(fd)) {
            case HostFile f -> Optional.of(f.seals() == null && !f.named() ? f.guestPath() + HostFile.DELETED
                    : f.guestPath()); // a memfd's name says it already
            case DirectoryFile d -> Optional.of(d.guestPath());
            case PathFile p -> Optional.of(p.guestPath());
            case TerminalEnd t -> Optional.of(t.guestPath());
            case OpenFile other -> Devices.pathOf(other);
        };
    }

    @Override
    public Optional<String> followedPathOf(int fd) {
        if (process.fds().isOpen(fd) && process.fds().get(fd) instanceof HostFile f) {
            return f.named() ? Optional.of(f.guestPath()) : Optional.empty(); // one stat, not pathOf's second
        }
        return pathOf(fd);
    }

    private VirtualNode proc(List<String> rest) {
        ProcessTable table = process.table();
        String pid = Long.toString(process.config().pid());
        if (rest.isEmpty()) {
            List<String> names = new ArrayList<>(List.of("self", "thread-self", "mounts"));
            names.addAll(machine.names());
            table.all().forEach(p -> names.add(Long.toString(p.pid())));
            return VirtualNode.Directory.of(names);
        }
        String first = rest.getFirst();
        if (rest.size() == 1) {
            switch (first) {
                case "self":
                    return new VirtualNode.Link(pid);
                case "thread-self":
                    return new VirtualNode.Link(pid + "/task/" + callingThread());
                case "mounts":
                    return new VirtualNode.Link("self/mounts");
                default:
                    break;
            }
        }
        VirtualNode system = machine.node(rest);
        if (system != null || SystemProcFiles.owns(first)) {
            return system;
        }
        Optional<LinuxProcess> found = processById(first);
        if (found.isEmpty()) {
            return null;
        }
        LinuxProcess target = found.get();
        List<String> inside = rest.subList(1, rest.size());
        List<GuestThread> threads = table.scheduler().threadsOf(target);
        if (inside.size() == 1 && inside.getFirst().equals("task")) {
            return VirtualNode.Directory.of(threads.isEmpty() ? List.of(first)
                    : threads.stream().map(t -> Long.toString(t.tid)).toList());
        }
        if (inside.size() >= 2 && inside.get(0).equals("task")) {
            // /proc/PID/task/TID is the process's directory again, with the thread's own stat and status.
            Optional<GuestThread> thread = threads.stream().filter(t -> Long.toString(t.tid).equals(inside.get(1)))
                    .findFirst();
            if (thread.isEmpty()) {
                return null;
            }
            return processEntry(target, thread.get(), inside.subList(2, inside.size()));
        }
        return processEntry(target, null, inside);
    }

    /** The process whose pid {@code name} is, of the processes the machine runs (zombies included). */
    private Optional<LinuxProcess> processById(String name) {
        try {
            long pid = Long.parseLong(name);
            // "0001" is no process's directory, nor "+1"
            return Long.toString(pid).equals(name) ? process.table().get(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The id of the thread reading: the process's first when another process's reads (never, on one CPU). */
    private long callingThread() {
        GuestThread current = process.scheduler().current();
        return current != null && current.process == process ? current.tid : process.config().tid();
    }

    /** /proc/self/mounts or, {@code info}, mountinfo: the root, then each --tmpfs directory as a tmpfs on it. */
    private String mounts(ProcessConfig config, boolean info) {
        StringBuilder text = new StringBuilder(info
                ? "1 0 " + rootDevice() + " / / " + rootMode(config) + " - hdbg hdbg-root " + rootMode(config) + "\n"
                : "hdbg-root / hdbg " + rootMode(config) + " 0 0\n");
        int id = 2;
        for (String dir : config.tmpfsDirs()) {
            text.append(info ? id + " 1 0:" + id + " / " + dir + " rw,nosuid,nodev - tmpfs tmpfs rw\n"
                    : "tmpfs " + dir + " tmpfs rw,nosuid,nodev 0 0\n");
            id++;
        }
        return text.toString();
    }

    /** How the root is mounted for the program: read-write with --writable, read-only otherwise. */
    private static String rootMode(ProcessConfig config) {
        return config.writable() ? "rw" : "ro";
    }

    /** The host's device of the root directory, as mountinfo gives it: MAJOR:MINOR. */
    private String rootDevice() {
        try {
            long dev = (long) Files.getAttribute(process.sandbox().root(), "unix:dev");
            return Integer.toUnsignedString(Stat.major(dev)) + ":" + Integer.toUnsignedString(Stat.minor(dev));
        } catch (IOException | RuntimeException e) {
            return "0:0";
        }
    }

    /**
     * What {@code /proc/PID} holds for {@code target} ({@code thread}'s under task/TID, or null): every entry for the
     * process itself; its ids, state, program, limits and descriptors for another, as for a process of the same user
     * (lsof, fuser); its memory map, auxiliary vector and mounts are its own.
     */
    private VirtualNode processEntry(LinuxProcess target, GuestThread thread, List<String> rest) {
        boolean self = target == process;
        if (rest.isEmpty()) {
            return VirtualNode.Directory.of(self ? List.of("auxv", "cmdline", "comm", "cwd", "environ", "exe", "fd", "fdinfo",
                    "limits", "loginuid", "maps", "mem", "mountinfo", "mounts", "root", "sessionid", "stat", "statm",
                    "status", "task")
                    : List.of("cmdline", "comm", "cwd", "environ", "exe", "fd", "fdinfo", "limits", "loginuid", "mem",
                    "root", "sessionid", "stat", "statm", "status", "task"));
        }
        if (rest.size() != 1) {
            if (rest.size() != 2) {
                return null;
            }
            return rest.getFirst().equals("fd") ? DescriptorFiles.link(target, rest.get(1))
                    : rest.getFirst().equals("fdinfo") ? DescriptorFiles.info(target, rest.get(1)) : null;
        }
        switch (rest.getFirst()) {
            case "stat":
                return file(() -> ProcessStatus.stat(target, thread));
            case "status":
                return file(() -> ProcessStatus.status(target, thread));
            case "comm":
                return file(() -> Comm.text(thread != null ? ThreadNames.of(thread)
                        : process.table().names().leader(target)) + "\n");
            case "environ": // the environment it started with, as a process of the same user reads it
                return new VirtualNode.File(() -> target.ended() ? new byte[0] : strings(target.config().environment()));
            case "cmdline":
                return new VirtualNode.File(() -> target.ended() ? new byte[0] : cmdline(target.config()));
            case "exe":
                return new VirtualNode.Link(target.config().executable());
            case "root":
                return new VirtualNode.Link("/");
            case "cwd":
                return new VirtualNode.Link(target.cwd());
            case "limits":
                return file(() -> ProcessStatus.limits(target.limits()));
            case "loginuid", "sessionid": // no login session: unset, as for a process no login started
                return file(() -> NO_LOGIN);
            case "statm":
                return file(() -> ProcessStatus.statm(target));
            case "fd", "fdinfo":
                return new VirtualNode.Directory(() -> DescriptorFiles.names(target));
            case "mem":
                return new VirtualNode.ProcessMemory(target);
            default:
                break;
        }
        if (!self) {
            return null;
        }
        ProcessConfig config = process.config();
        return switch (rest.getFirst()) {
            case "maps" -> new VirtualNode.File(() -> process.mappings().render(process.machine().unicorn().memRegions())
                    .getBytes(StandardCharsets.UTF_8));
            case "auxv" -> new VirtualNode.File(this::auxv);
            // The root (df, findmnt and mount read these), the host's device beneath it, and the --tmpfs directories.
            case "mounts" -> file(() -> mounts(config, false));
            case "mountinfo" -> file(() -> mounts(config, true));
            default -> null;
        };
    }

    private byte[] auxv() {
        long[] pairs = process.config().auxv();
        ByteBuffer bytes = UserMemory.struct(pairs.length * 8);
        for (long v : pairs) {
            bytes.putLong(v);
        }
        return bytes.array();
    }

    private static byte[] cmdline(ProcessConfig config) {
        return strings(config.argv());
    }

    /** Strings each ended by a NUL, as cmdline and environ read (the bytes the process started with on its stack). */
    private static byte[] strings(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** One CPU, number 0: what glibc's get_nprocs reads, agreeing with sched_getaffinity. */
    private static VirtualNode sys(List<String> rest) {
        List<String> cpu = List.of("devices", "system", "cpu");
        if (rest.size() <= cpu.size()) {
            if (!rest.equals(cpu.subList(0, rest.size()))) {
                return null;
            }
            return VirtualNode.Directory.of(rest.size() == cpu.size() ? List.of("online", "possible", "present")
                    : List.of(cpu.get(rest.size())));
        }
        if (rest.size() == cpu.size() + 1 && rest.subList(0, cpu.size()).equals(cpu)
                && List.of("online", "possible", "present").contains(rest.getLast())) {
            return file(() -> "0\n");
        }
        return null;
    }

    private static VirtualNode file(java.util.function.Supplier<String> text) {
        return new VirtualNode.File(() -> text.get().getBytes(StandardCharsets.UTF_8));
    }

    /** Opens a made-up file: its directories list, its files read, its devices work; none can be created or written. */
    OpenFile open(Sandbox.Resolved resolved, int flags, int status, boolean writes) throws IOException {
        return switch (resolved.node()) {
            case null -> throw new SyscallException(Errno.ENOENT);
            case VirtualNode.Directory d -> {
                if (writes) {
                    throw new SyscallException(Errno.EISDIR);
                }
                yield new DirectoryFile(resolved.guestPath(), status, () -> d.names().get().stream()
                        .map(name -> entry(resolved.guestPath(), name)).toList());
            }
            case VirtualNode.File f -> {
                if (writes) {
                    throw new SyscallException(Errno.EACCES);
                }
                if ((flags & PathSyscalls.O_DIRECTORY) != 0) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
                yield new MemoryFile(f.content().get(), Stat.virtualFile(resolved.guestPath(), Stat.S_IFREG | 0444), status);
            }
            case VirtualNode.Link l -> throw new SyscallException(Errno.ELOOP); // reached only with O_NOFOLLOW
            case VirtualNode.Descriptor d -> {
                if ((flags & PathSyscalls.O_NOFOLLOW) != 0) {
                    throw new SyscallException(Errno.ELOOP);
                }
                OpenFile open = d.file();
                if (open instanceof HostFile file) {
                    // No name leads to it (followedPathOf): a new description of the same file, as Linux's open of the
                    // link gives, with the access asked for; its seals hold for it too. A file the program had only
                    // for reading stays read-only, as the tree it came from (a memfd is the program's own memory).
                    if (writes && !file.writable() && file.seals() == null) {
                        throw new SyscallException(Errno.EROFS);
                    }
                    HostFile reopened = file.reopened(status);
                    if ((flags & PathSyscalls.O_TRUNC) != 0 && reopened.writable()) {
                        truncateReopened(reopened);
                    }
                    yield reopened;
                }
                yield open; // a pipe or stream without a path: the same open file, as its magic link gives
            }
            case VirtualNode.ProcessMemory m -> {
                if (!Tracing.mayAccess(process, m.process())) {
                    throw new SyscallException(Errno.EACCES); // as ptrace's attach, a non-dumpable process refuses
                }
                yield new ProcessMemoryFile(m.process(), stat(resolved.guestPath(), m, true), status);
            }
            case VirtualNode.Device d -> Devices.open(process, d.kind(), status);
            case VirtualNode.Pty p -> process.table().terminals().openSlave(p.terminal(), status);
        };
    }

    /** O_TRUNC through a magic link: the new description closed again when the cut is refused (a sealed memfd). */
    private void truncateReopened(HostFile reopened) throws IOException {
        try {
            reopened.cut(process.machine().memory(), 0);
        } catch (SyscallException e) {
            reopened.release();
            throw e;
        }
    }

    private DirectoryFile.Entry entry(String directory, String name) {
        String path = Sandbox.child(directory, name);
        VirtualNode node = virtualNode(path);
        int mode = node == null ? Stat.S_IFREG : Stat.fileType(stat(path, node, false));
        return new DirectoryFile.Entry(name, Stat.virtualInode(path), Stat.direntType(mode));
    }

    private VirtualNode virtualNode(String guestPath) {
        try {
            return process.sandbox().resolve("/", guestPath, false).node();
        } catch (SyscallException | IOException e) {
            return null;
        }
    }

    /** The struct stat of a made-up file; a descriptor's magic link, followed, is the open file's. */
    byte[] stat(String guestPath, VirtualNode node, boolean follow) {
        try {
            return switch (node) {
                case VirtualNode.Directory d -> Stat.virtualDirectory(guestPath);
                case VirtualNode.File f -> Stat.virtualFile(guestPath, Stat.S_IFREG | 0444);
                case VirtualNode.Link l -> Stat.virtualFile(guestPath, Stat.S_IFLNK | 0777);
                case VirtualNode.Descriptor d -> follow ? d.file().stat()
                        : Stat.virtualFile(guestPath, Stat.S_IFLNK | DescriptorFiles.linkMode(d.file())); // lsof's r, w or u
                case VirtualNode.ProcessMemory m -> Stat.virtualFile(guestPath, Stat.S_IFREG | 0600);
                case VirtualNode.Device d -> Devices.stat(d.kind());
                case VirtualNode.Pty p -> p.terminal().slaveStat();
            };
        } catch (IOException e) {
            throw new SyscallException(Errno.of(e));
        }
    }

}
