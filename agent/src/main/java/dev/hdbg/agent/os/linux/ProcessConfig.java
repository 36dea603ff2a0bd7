package dev.hdbg.agent.os.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guest process sees of the world.
 *
 * @param root         the sandbox: the guest's "/" (like a chroot); no path the guest names resolves outside it
 * @param writable     whether the guest may create, truncate or write files anywhere beneath {@code root}
 * @param stdin        a host file read as fd 0, or empty for an empty stream
 * @param programName  the program's path as it was started ({@code /bin/busybox}): its name ({@code comm})
 * @param argv         the arguments, {@code argv[0]} included
 * @param pid          the process id {@code getpid} returns
 * @param tid          the thread id {@code gettid} and {@code set_tid_address} return
 * @param cwd          the working directory at the start, a guest path
 * @param executable   the program's canonical guest path, what {@code /proc/self/exe} reads: absolute, links
 *                     resolved
 * @param writableDirs guest directories beneath which the guest may write even when {@code writable} is false
 * @param tmpfsDirs    guest directories that are the program's own, empty at the start ({@code --tmpfs}):
 *                     {@link PrivateDirectories}
 * @param auxv         the auxiliary vector the program started with, key-value pairs: {@code /proc/self/auxv}
 * @param environment  the environment the program started with, {@code K=V}: {@code /proc/self/environ}
 */
public record ProcessConfig(Path root, boolean writable, Optional<Path> stdin, String programName, List<String> argv,
                            long pid, long tid, String cwd, String executable, List<String> writableDirs, List<String> tmpfsDirs,
                            long[] auxv, List<String> environment) {
    public ProcessConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(executable, "executable");
        argv = List.copyOf(argv);
        writableDirs = List.copyOf(writableDirs);
        tmpfsDirs.forEach(PrivateDirectories::check);
        tmpfsDirs = tmpfsDirs.stream().map(PrivateDirectories::normalized).distinct().toList();
        auxv = auxv.clone();
        environment = List.copyOf(environment);
        if (pid <= 0 || tid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " and tid " + tid + " must be positive");
        }
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("--cwd " + cwd + " must be a path as the program names it, from its root: /"
                    + cwd + "?");
        }
        if (!executable.startsWith("/")) {
            throw new IllegalArgumentException("the executable '" + executable + "' must be an absolute guest path");
        }
        for (String dir : writableDirs) {
            if (!dir.startsWith("/")) {
                throw new IllegalArgumentException("--writable-dir " + dir + " must be a path as the program names it, "
                        + "from its root: /" + dir + "?");
            }
        }
    }

    /** A process started in "/", its executable named as started, with no auxiliary vector to show. */
    public ProcessConfig(Path root, boolean writable, Optional<Path> stdin, String programName, List<String> argv,
                         long pid, long tid) {
        this(root, writable, stdin, programName, argv, pid, tid, "/",
                programName.startsWith("/") ? programName : "/" + programName, List.of(), List.of(), new long[] {0, 0}, List.of());
    }

    @Override
    public long[] auxv() {
        return auxv.clone();
    }
}
