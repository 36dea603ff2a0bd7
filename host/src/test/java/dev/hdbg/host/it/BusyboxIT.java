package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's busybox-static (bin/test installs it, and strace) under a real agent: applets give the same output as
 * native runs, the sandbox is read-only unless --writable, and {@code !syscall} sees exactly the system calls
 * strace sees.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BusyboxIT {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final Pattern STRACE_LINE = Pattern.compile("^(?:\\d+ +)?\\[\\s*(\\d+)\\] (\\w+)\\(");
    private static final Pattern LOGGED_CONTEXT = Pattern.compile("\"name\":\"\\$context\",\"value\":\"0x([0-9a-f]+)\"");

    @TempDir
    static Path root;

    @BeforeAll
    static void fillTheRoot() throws Exception {
        assertThat(BUSYBOX).as("busybox-static (bin/test installs it)").isExecutable();
        Files.writeString(root.resolve("fruit.txt"), "pear\napple\nfig\napple\nbanana\nfig\napple\n");
        Files.writeString(root.resolve("numbers.txt"), "10\n9\n100\n-3\n42\n");
        Files.writeString(root.resolve("text.txt"), "The quick brown fox\njumps over\tthe lazy dog.\n\nÜnïcödé ✓\n");
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        Files.write(root.resolve("binary.bin"), binary);
    }

    static Stream<Arguments> applets() {
        return Stream.of(
                Arguments.of(List.of("echo", "hello,", "world"), null),
                Arguments.of(List.of("echo", "-n", "-e", "tab\\there\\nnewline\\x41"), null),
                Arguments.of(List.of("cat", "fruit.txt", "text.txt"), null),
                Arguments.of(List.of("cat", "missing.txt"), null),
                Arguments.of(List.of("wc", "text.txt", "fruit.txt"), null),
                Arguments.of(List.of("wc", "-l"), "text.txt"),
                Arguments.of(List.of("sort", "fruit.txt"), null),
                Arguments.of(List.of("sort", "-n", "-r", "numbers.txt"), null),
                Arguments.of(List.of("uniq", "-c"), "fruit.txt"),
                Arguments.of(List.of("md5sum", "fruit.txt", "binary.bin"), null),
                Arguments.of(List.of("sha256sum", "text.txt", "binary.bin"), null),
                Arguments.of(List.of("base64", "binary.bin"), null),
                Arguments.of(List.of("base64", "-d"), "base64.txt"),
                Arguments.of(List.of("expr", "6", "*", "7"), null),
                Arguments.of(List.of("expr", "length", "busybox"), null),
                Arguments.of(List.of("expr", "3", "-", "3"), null),
                Arguments.of(List.of("seq", "1", "3", "20"), null),
                Arguments.of(List.of("seq", "-s", ",", "-w", "8", "-2", "0"), null),
                Arguments.of(List.of("tr", "a-z", "A-Z"), "text.txt"),
                Arguments.of(List.of("tr", "-d", "aeiou"), "fruit.txt"),
                Arguments.of(List.of("od", "-A", "x", "-t", "x1z", "binary.bin"), null),
                Arguments.of(List.of("od", "-c", "text.txt"), null));
    }

    @ParameterizedTest(name = "busybox {0} < {1}")
    @MethodSource("applets")
    void appletsPrintWhatTheyPrintNatively(List<String> args, String stdin) throws Exception {
        if (stdin != null && stdin.equals("base64.txt")) {
            Files.writeString(root.resolve(stdin), "aGRiZyBydW5zIGJ1c3lib3gK\n");
        }
        Optional<Path> input = Optional.ofNullable(stdin).map(root::resolve);
        String[] argv = args.toArray(String[]::new);
        ProgramRun expected = ProgramRun.nativeRun(root, input, BUSYBOX, argv);
        ProgramRun actual = ProgramRun.underAgent(root, input, BUSYBOX, argv);
        actual.assertSameAs(expected);
    }

    @Test
    void theRootIsReadOnlyUnlessWritable(@TempDir Path sandbox) throws Exception {
        ProgramRun refused = ProgramRun.underAgent(sandbox, Optional.empty(), BUSYBOX, "touch", "created.txt");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("created.txt").containsIgnoringCase("read-only file system");
        assertThat(sandbox.resolve("created.txt")).doesNotExist();

        Files.writeString(sandbox.resolve("original.txt"), "kept\n");
        // Without fork, one applet per agent run.
        for (List<String> change : List.of(List.of("mkdir", "made"), List.of("cp", "original.txt", "made/copy.txt"),
                List.of("mv", "made/copy.txt", "made/moved.txt"), List.of("touch", "created.txt"),
                List.of("rm", "original.txt"))) {
            ProgramRun run = ProgramRun.underAgent(List.of("--writable"), sandbox, Optional.empty(), BUSYBOX,
                    change.toArray(String[]::new));
            assertThat(run.err()).as("busybox %s", change).isEmpty();
            assertThat(run.status()).as("busybox %s", change).isZero();
        }
        assertThat(sandbox.resolve("made/moved.txt")).hasContent("kept\n");
        assertThat(sandbox.resolve("created.txt")).exists();
        assertThat(sandbox.resolve("original.txt")).doesNotExist();
    }

    @Test
    void theProgramSeesOnlyTheEnvironmentGivenWithEnv() throws Exception {
        ProgramRun run = ProgramRun.underAgent(List.of("--env", "GREETING=hello world", "--env", "LANG=C"), root,
                Optional.empty(), BUSYBOX, "env");
        assertThat(run.out()).isEqualTo("GREETING=hello world\nLANG=C\n");
        assertThat(run.status()).isZero();
    }

    @Test
    void pidTidAndPnameAreTheProgramsOwn() throws Exception {
        String out = hdbgBatch(root, """
                !syscall 1 log {$pid $tid $pname}
                g
                """, "echo", "hi");
        assertThat(out).contains("{\"name\":\"$pid\",\"value\":\"0x3e8\"}", "{\"name\":\"$tid\",\"value\":\"0x3e8\"}",
                "{\"name\":\"$pname\",\"data\":\"" + HexFormat.of().formatHex("busybox".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void syscallEventLogsTheSequenceStraceRecords() throws Exception {
        Path trace = root.resolve("strace.txt");
        ProcessBuilder strace = new ProcessBuilder("strace", "-f", "-n", "-o", trace.toString(), BUSYBOX.toString(),
                "sha256sum", "fruit.txt").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        strace.environment().clear();
        // stdout is a pipe, as the agent's is: glibc asks a character device (/dev/null) whether it is a terminal.
        Process traced = strace.start();
        traced.getInputStream().readAllBytes();
        assertThat(traced.waitFor()).as("strace (bin/test installs it)").isZero();
        List<Long> native_ = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher m = STRACE_LINE.matcher(line);
            if (m.find() && !m.group(2).equals("execve")) { // the agent starts after the kernel's execve
                native_.add(Long.parseLong(m.group(1)));
            }
        }

        String out = hdbgBatch(root, """
                !syscall log {$context}
                g
                """, "sha256sum", "fruit.txt");
        List<Long> logged = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LOGGED_CONTEXT.matcher(line);
            if (line.startsWith("{\"type\":\"log\"") && m.find()) {
                logged.add(Long.parseLong(m.group(1), 16));
            }
        }
        assertThat(native_).as("strace's sequence").hasSizeGreaterThan(10).contains(257L, 0L, 1L, 231L);
        assertThat(logged).as("the agent's !syscall log, in %s", out).isEqualTo(native_);
    }

    /** {@code hdbg --connect AGENT --batch SCRIPT --json} against an agent running busybox ARGS. */
    private static String hdbgBatch(Path root, String script, String... args) throws Exception {
        List<String> agentArgs = new ArrayList<>(List.of("--elf", BUSYBOX.toString(), "--root", root.toString(), "--"));
        agentArgs.addAll(Arrays.asList(args));
        try (AgentProcess agent = AgentProcess.start(agentArgs.toArray(String[]::new))) {
            HdbgBatch run = HdbgBatch.run(root, agent, script, "--json");
            assertThat(run.exitCode()).as(run.out()).isZero();
            return run.out();
        }
    }
}
