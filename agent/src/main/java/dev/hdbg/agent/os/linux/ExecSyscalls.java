package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.elf.ElfImage;
import dev.hdbg.agent.machine.elf.ElfLoader;
import dev.hdbg.agent.machine.elf.ElfParser;
import dev.hdbg.agent.machine.elf.LoadedElf;
import dev.hdbg.agent.machine.elf.Vdso;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code execve} and {@code execveat}: the process runs another program from the sandbox, static or dynamically
 * linked (its interpreter found beneath the root, as the first program's), or a {@code #!} script through the
 * interpreter its first line names; with {@code AT_EMPTY_PATH} (fexecve) the file open at the descriptor, a memfd's
 * included. Loaded as the first program is ({@link ElfLoader#loadForExec}); the descriptors
 * marked close-on-exec close, caught signals go back to their default, the other threads of the process end, and a
 * vfork parent goes on. A failure found before the old program's memory is dropped is an errno; one after it (a
 * corrupt image) kills the process with SIGSEGV, as Linux does.
 */
final class ExecSyscalls {
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** Linux's limit on nested {@code #!} interpreters. */
    private static final int MAX_INTERPRETERS = 4;
    /** The arguments and environment together may take this much, as the kernel's default (a quarter of 8 MiB). */
    private static final long MAX_STRINGS = 2L << 20;
    private static final int SHEBANG_LINE = 256;
    private static final long AT_HWCAP = 16;
    /** {@code /proc/self/fd/N}, {@code /proc/PID/fd/N}, {@code /proc/thread-self/fd/N} or {@code /dev/fd/N}. */
    private static final Pattern OWN_DESCRIPTOR = Pattern.compile("(?:/proc/([^/]+)|/dev)/fd/(\\d{1,9})");

    private final LinuxProcess process;
    private final UserMemory user;

    ExecSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
    }

    void register(Map<Integer, Handler> table) {
        table.put(59, a -> execve(PathSyscalls.AT_FDCWD, a.a0(), a.a1(), a.a2(), 0));
        table.put(322, a -> execve(a.i(0), a.a1(), a.a2(), a.a3(), a.i(4)));
    }

    /**
     * A program file found for exec: where it is, how the guest names it, its bytes, its argv, and whether its file has
     * no name left (a memfd run through its descriptor), so that its symbols come from its bytes.
     */
    private record Program(Path host, String guestPath, byte[] bytes, List<String> argv, boolean nameless) {
    }

    private long execve(int dirfd, long pathAddress, long argvAddress, long envpAddress, int flags) throws IOException {
        if ((flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String named = user.cString(pathAddress);
        if (named.isEmpty() && (flags & AT_EMPTY_PATH) == 0) {
            throw new SyscallException(Errno.ENOENT);
        }
        long[] budget = {MAX_STRINGS};
        List<String> argv = strings(argvAddress, budget);
        List<String> env = strings(envpAddress, budget);
        // fexecve: the file open at dirfd, which the new program knows as /dev/fd/N (AT_EXECFN), as on Linux.
        String path = named.isEmpty() ? "/dev/fd/" + dirfd : named;
        OptionalInt nameless = named.isEmpty() ? OptionalInt.of(dirfd) : namelessDescriptor(named);
        Program program = nameless.isPresent() ? opened(nameless.getAsInt(), argv) : find(dirfd, named, argv, 0);
        ElfImage image;
        try {
            image = ElfParser.parse(program.guestPath(), program.bytes());
        } catch (IllegalArgumentException e) {
            throw new SyscallException(Errno.ENOEXEC);
        }
        Optional<ElfLoader.Executable> interpreter = Optional.empty();
        Optional<Sandbox.Found> ld = Optional.empty();
        if (image.interpreter().isPresent()) {
            ld = process.sandbox().find(image.interpreter().get());
            if (ld.isEmpty()) {
                throw new SyscallException(Errno.ENOENT);
            }
            interpreter = Optional.of(new ElfLoader.Executable(ld.get().guestPath(), Files.readAllBytes(ld.get().host())));
        }
        long hwcap = hwcap(process.config().auxv());
        // The point of no return: the old program's threads and memory go.
        process.scheduler().exitOthers(process);
        process.exec();
        LoadedElf elf;
        try {
            // AT_EXECFN is the name as execve was given it (relative, or /dev/fd/N for fexecve), as Linux's; the
            // regions are named by the file's canonical name.
            elf = ElfLoader.loadForExec(process.machine(), new ElfLoader.Executable(path, program.guestPath(),
                    program.bytes()),
                    interpreter, new ElfLoader.Process(program.argv(), env, Credentials.UID, Credentials.GID,
                            new SecureRandom()), process.table().programBases().of(program.guestPath()), Vdso.image(),
                    hwcap);
        } catch (IllegalArgumentException e) {
            process.io().notice("execve of " + program.guestPath() + " failed after the old program was gone: "
                    + e.getMessage() + "; the process is killed with SIGSEGV, as Linux would");
            process.killed(Signals.SIGSEGV);
            return 0;
        }
        ProcessConfig old = process.config();
        process.execLoaded(elf.brkStart(), new ProcessConfig(old.root(), old.writable(), old.stdin(), path,
                program.argv(), old.pid(), old.tid(), process.cwd(), program.guestPath(), old.writableDirs(),
                old.tmpfsDirs(), elf.auxv(), env));
        if (program.nameless()) { // its symbols from the bytes it ran from: no file holds them
            process.loadedImageFromBytes(program.guestPath(), program.host(), program.bytes(), elf.loadBias(),
                    elf.imageBegin(), elf.imageEnd());
        } else {
            process.loadedImage(program.guestPath(), program.host(), elf.loadBias(), elf.imageBegin(), elf.imageEnd(),
                    true);
        }
        Optional<Sandbox.Found> found = ld;
        elf.interpreter().ifPresent(i -> process.loadedImage(i.path(), found.get().host(), i.bias(), i.begin(), i.end(),
                false));
        return 0;
    }

    /**
     * The descriptor an exec of {@code /proc/self/fd/N} (or {@code /dev/fd/N}, {@code /proc/PID/fd/N} of this process)
     * names when its file has no name left (a memfd): Linux follows that link to the open file, which no path
     * reaches, so in-memory loaders written before execveat run their payload so. Empty for every other path, which
     * resolves as before.
     */
    private OptionalInt namelessDescriptor(String path) {
        Matcher m = OWN_DESCRIPTOR.matcher(path);
        if (!m.matches() || m.group(1) != null && !m.group(1).equals("self") && !m.group(1).equals("thread-self")
                && !m.group(1).equals(Long.toString(process.pid()))) {
            return OptionalInt.empty();
        }
        int fd = Integer.parseInt(m.group(2)); // at most nine digits
        return process.fds().isOpen(fd) && process.fds().get(fd) instanceof HostFile file && !file.named()
                ? OptionalInt.of(fd) : OptionalInt.empty();
    }

    /**
     * fexecve's program: the file open at {@code fd} (execveat with {@code AT_EMPTY_PATH}), read through its
     * descriptor, so that a file without a name runs too (a memfd: a program written into memory and run from there).
     * An {@code O_PATH} descriptor runs the file it names. Linux refuses what is no regular file (EACCES); a
     * {@code #!} script runs its interpreter on {@code /dev/fd/N}, as Linux passes it.
     */
    private Program opened(int fd, List<String> argv) throws IOException {
        return switch (process.fds().get(fd)) {
            case PathFile named -> find(PathSyscalls.AT_FDCWD, named.guestPath(), argv, 0);
            case HostFile file -> {
                boolean nameless = !file.named();
                boolean executable = !nameless ? Files.isExecutable(file.host())
                        : file.seals() == null || (Stat.permissions(file.stat()) & 0111) != 0; // MFD_NOEXEC_SEAL: 0666
                if (!executable || !file.readable()) {
                    // (one open for writing alone: Linux reopens it; not here)
                    throw new SyscallException(Errno.EACCES);
                }
                byte[] bytes = file.readAll();
                yield isScript(bytes) ? interpreterOf(bytes, "/dev/fd/" + fd, argv, 0)
                        : new Program(file.host(), file.guestPath(), bytes, argv, nameless);
            }
            default -> throw new SyscallException(Errno.EACCES);
        };
    }

    /** The program at {@code path}, a {@code #!} script's interpreter in its place with the script as an argument. */
    private Program find(int dirfd, String path, List<String> argv, int depth) throws IOException {
        if (depth > MAX_INTERPRETERS) {
            throw new SyscallException(Errno.ELOOP);
        }
        Sandbox.Resolved resolved = process.resolve(dirfd, path, true);
        if (resolved.isVirtual() || !Files.exists(resolved.host())) {
            throw new SyscallException(resolved.isVirtual() ? Errno.EACCES : Errno.ENOENT);
        }
        if (!Files.isRegularFile(resolved.host()) || !Files.isExecutable(resolved.host())) {
            throw new SyscallException(Errno.EACCES);
        }
        byte[] bytes = Files.readAllBytes(resolved.host());
        if (!isScript(bytes)) {
            return new Program(resolved.host(), resolved.guestPath(), bytes, argv, false);
        }
        return interpreterOf(bytes, path, argv, depth);
    }

    private static boolean isScript(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == '#' && bytes[1] == '!';
    }

    /** A {@code #!} script's interpreter, found as a program, with the script ({@code path}) as its argument. */
    private Program interpreterOf(byte[] bytes, String path, List<String> argv, int depth) throws IOException {
        int end = 2;
        while (end < bytes.length && end < SHEBANG_LINE && bytes[end] != '\n') {
            end++;
        }
        String line = new String(bytes, 2, end - 2, StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) {
            throw new SyscallException(Errno.ENOEXEC);
        }
        String[] parts = line.split("[ \t]+", 2);
        List<String> next = new ArrayList<>();
        next.add(parts[0]);
        if (parts.length > 1) {
            next.add(parts[1]); // Linux passes the rest of the line as one argument
        }
        next.add(path);
        next.addAll(argv.isEmpty() ? List.of() : argv.subList(1, argv.size()));
        return find(PathSyscalls.AT_FDCWD, parts[0], next, depth + 1);
    }

    /** A NULL-terminated array of string pointers (argv, envp); NULL itself is an empty one. */
    private List<String> strings(long address, long[] budget) {
        List<String> strings = new ArrayList<>();
        if (address == 0) {
            return strings;
        }
        for (long at = address; ; at += 8) {
            long pointer = user.readLong(at);
            if (pointer == 0) {
                return strings;
            }
            String s = user.cString(pointer);
            budget[0] -= s.getBytes(StandardCharsets.UTF_8).length + 1 + 8;
            if (budget[0] < 0) {
                throw new SyscallException(Errno.E2BIG);
            }
            strings.add(s);
        }
    }

    private static long hwcap(long[] auxv) {
        for (int i = 0; i + 1 < auxv.length; i += 2) {
            if (auxv[i] == AT_HWCAP) {
                return auxv[i + 1];
            }
        }
        return 0;
    }
}
