package dev.hdbg.agent.os.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the guest process sees of the world.
 *
 * @param root        the sandbox: the guest's "/" (like a chroot); no path the guest names resolves outside it
 * @param writable    whether the guest may create, truncate or write files beneath {@code root}
 * @param stdin       a host file read as fd 0, or empty for an empty stream
 * @param programName the program's path as the guest sees it ({@code /bin/busybox}); {@code /proc/self/exe}
 *                    reads as this
 * @param argv        the arguments, {@code argv[0]} included
 * @param pid         the process id {@code getpid} returns
 * @param tid         the thread id {@code gettid} and {@code set_tid_address} return
 */
public record ProcessConfig(Path root, boolean writable, Optional<Path> stdin, String programName, List<String> argv,
                            long pid, long tid) {
    public ProcessConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(programName, "programName");
        argv = List.copyOf(argv);
        if (pid <= 0 || tid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " and tid " + tid + " must be positive");
        }
    }
}
