package dev.hdbg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test class's {@code main} in a JVM of its own, started with the options under test (the launchers' JVM options are
 * checked by what such a JVM does with them), on this JVM's class path.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * What {@code main} printed (standard output and error), once its JVM has exited 0 within {@code timeout}: an option
     * the JVM rejects fails the test, as it would keep a launcher from starting.
     */
    public static String run(List<String> options, Class<?> main, Duration timeout)
            throws IOException, InterruptedException {
        return run(options, System.getProperty("java.class.path"), main, timeout);
    }

    /** As {@link #run(List, Class, Duration)}, on the class path {@code classPath}. */
    public static String run(List<String> options, String classPath, Class<?> main, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, main.getName()));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        return out;
    }

    /**
     * How many lines of {@code -XX:+PrintCompilation}'s {@code output} compile a method {@code method} accepts at level 4
     * (C2). A line reads "time id flags level class::method (size)": the level is the word before the method.
     */
    public static long c2Compiles(String output, Predicate<String> method) {
        return output.lines().map(String::trim).map(l -> l.split("\\s+")).filter(words -> {
            for (int i = 1; i < words.length; i++) {
                if (words[i].contains("::")) {
                    return method.test(words[i]) && words[i - 1].equals("4");
                }
            }
            return false;
        }).count();
    }
}
