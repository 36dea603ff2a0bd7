package dev.hdbg.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs bash code with bin/hdbg-env.sh sourced, as the launchers do, for the tests of what the script gives the JVMs
 * (their options, their caches, their trainings), on either side. The code sees the arguments as {@code "$@"}.
 */
public final class LauncherScript {
    private LauncherScript() {
    }

    /** The checkout's root: the first directory above the working directory that holds bin/hdbg-env.sh. */
    public static Path root() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/hdbg-env.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("bin/hdbg-env.sh not found above " + System.getProperty("user.dir"));
    }

    /**
     * Longer than any function of the script may take: a training stops itself after 300 s ({@code timeout -k 10 300}
     * in bin/hdbg-env.sh).
     */
    private static final long LONGEST_SECONDS = 360;

    /** What {@code code} prints (standard output and error), once it has exited 0. */
    public static String run(String code, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", "source \"$0\" && " + code,
                root().resolve("bin/hdbg-env.sh").toString()));
        command.addAll(List.of(args));
        Process bash = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(LONGEST_SECONDS, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out;
    }

    /** The lines but blank ones that the script's function {@code function} prints for {@code args}. */
    public static List<String> lines(String function, String... args) throws IOException, InterruptedException {
        return run(function + " \"$@\"", args).lines().filter(l -> !l.isBlank()).toList();
    }
}
