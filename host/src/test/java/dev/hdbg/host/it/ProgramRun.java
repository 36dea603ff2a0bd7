package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What one run of a Linux program produced: its standard output and error, byte for byte, and its exit status.
 * The same program runs natively ({@link #nativeRun}) and under a real agent ({@link #underAgent}) with the same
 * argv, an empty environment, the same working directory (the agent's {@code --root} is the guest's "/" and its
 * working directory) and the same standard input, so the two results must be equal.
 */
record ProgramRun(byte[] stdout, byte[] stderr, int status, List<String> notices) {
    private static final long TIMEOUT_SECONDS = 60;

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Equal output, error and status; shown as text on failure so a difference is easy to read. */
    void assertSameAs(ProgramRun expected) {
        assertThat(out()).as("stdout").isEqualTo(expected.out());
        assertThat(stdout).as("stdout bytes").isEqualTo(expected.stdout());
        assertThat(err()).as("stderr").isEqualTo(expected.err());
        assertThat(stderr).as("stderr bytes").isEqualTo(expected.stderr());
        assertThat(status).as("exit status").isEqualTo(expected.status());
    }

    /** Runs {@code program args} in {@code root} with an empty environment; stdout and stderr are pipes. */
    static ProgramRun nativeRun(Path root, Optional<Path> stdin, Path program, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("native-stderr", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectInput(stdin.map(Path::toFile).orElse(new java.io.File("/dev/null")))
                    .redirectError(err.toFile());
            builder.environment().clear();
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the native run of " + command + " did not end");
            }
            return new ProgramRun(out, Files.readAllBytes(err), process.exitValue(), List.of());
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Runs the program under {@code hdbg-agent --elf program --root root [--stdin FILE] -- args} until it exits. */
    static ProgramRun underAgent(Path root, Optional<Path> stdin, Path program, String... args) throws Exception {
        return underAgent(List.of(), root, stdin, program, args);
    }

    /** {@link #underAgent(Path, Optional, Path, String...)} with more agent options, such as --writable. */
    static ProgramRun underAgent(List<String> options, Path root, Optional<Path> stdin, Path program, String... args)
            throws Exception {
        return underAgent(Duration.ofSeconds(30), options, root, stdin, program, args);
    }

    /** {@link #underAgent(List, Path, Optional, Path, String...)} for a program whose run takes longer than usual. */
    static ProgramRun underAgent(Duration exitWithin, List<String> options, Path root, Optional<Path> stdin,
            Path program, String... args) throws Exception {
        List<String> agentArgs = new ArrayList<>(List.of("--elf", program.toString(), "--root", root.toString()));
        agentArgs.addAll(options);
        stdin.ifPresent(file -> agentArgs.addAll(List.of("--stdin", file.toString())));
        agentArgs.add("--");
        agentArgs.addAll(List.of(args));
        try (AgentProcess agent = AgentProcess.start(agentArgs.toArray(String[]::new));
                DebuggerClient client = agent.connect()) {
            Records records = new Records();
            client.addRecordListener(records);
            client.cont().get(10, TimeUnit.SECONDS);
            DebuggerRecord.Exit exit = records.awaitExit(exitWithin);
            // A signal's default action ends a program too; its status is then 128 + the signal, as natively.
            assertThat(exit.reason()).as("how the program ended; agent output:\n%s", agent.output())
                    .isIn(DebuggerRecord.ExitKind.EXIT, DebuggerRecord.ExitKind.SIGNAL);
            assertThat(exit.reason() == DebuggerRecord.ExitKind.SIGNAL).as("status %d", exit.status())
                    .isEqualTo(exit.status() > 128);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            for (DebuggerRecord.Output output : records.of(DebuggerRecord.Output.class)) {
                (output.stream() == DebuggerRecord.Stream.STDERR ? err : out).writeBytes(output.data());
            }
            List<String> notices = records.of(DebuggerRecord.Notice.class).stream().map(DebuggerRecord.Notice::message).toList();
            return new ProgramRun(out.toByteArray(), err.toByteArray(), (int) exit.status(), notices);
        }
    }
}
