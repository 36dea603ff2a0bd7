package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hdbg.agent.AgentMain;
import dev.hdbg.common.testing.PropertyCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Both programs' command lines, drawn at random around one mistake planted in each (an unknown option, a value out of
 * range or malformed, a file that is a directory, missing, huge, unreadable or not UTF-8, options that exclude each
 * other), among valid options in any order: each is refused with exit status 2 and one line on standard error, no
 * stack trace, no thread left behind, nothing created on disk, and no hang (issue 16). Run in-process through the
 * programs' own entry points ({@link AgentMain#commandLine}, {@link HdbgMain#commandLine}); {@code CommandLineRefusalIT}
 * starts the real processes for a few.
 */
class CommandLinePropertyTest {
    /** Nothing listens on port 1: a host that got as far as connecting fails, on standard output, and is caught. */
    private static final String NOWHERE = "127.0.0.1:1";
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    @TempDir
    static Path files;
    /** What the programs may not touch: it stands in for the home directory and every state directory. */
    @TempDir
    static Path watched;

    private static Path directory;
    private static Path missing;
    private static Path huge;
    private static Path unreadable;
    private static Path latin1;
    private static Path empty;
    private static Path garbagePem;
    private static Path shortToken;
    private static Path goodToken;
    private static String userHome;

    @BeforeAll
    static void makeTheFiles() throws IOException {
        directory = Files.createDirectories(files.resolve("a-directory"));
        missing = files.resolve("no/such/file");
        huge = files.resolve("huge.bin");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30); // sparse
        }
        unreadable = Files.writeString(files.resolve("unreadable"), "r rip\n");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        latin1 = Files.write(files.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
        empty = Files.writeString(files.resolve("empty"), "");
        garbagePem = Files.writeString(files.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
        shortToken = Files.writeString(files.resolve("short.token"), "short\n");
        goodToken = Files.writeString(files.resolve("good.token"), "0123456789abcdef0123456789abcdef\n");
        userHome = System.getProperty("user.home");
        System.setProperty("user.home", watched.toString());
    }

    @AfterAll
    static void restoreHome() {
        System.setProperty("user.home", userHome);
    }

    /** One drawn command line and the mistake planted in it. */
    record Case(String program, List<String> args, String mistake) {
        @Override
        public String toString() {
            return program + " " + args.stream().map(a -> a.length() > 60 ? a.substring(0, 60) + "...(" + a.length() + ")" : a)
                    .map(a -> "'" + a + "'").collect(Collectors.joining(" ")) + "   [" + mistake + "]";
        }
    }

    @Test
    void everyAgentCommandLineWithAMistakeIsRefusedInOneLine() {
        PropertyCheck.forAll(CommandLinePropertyTest::agentCase)
                .check(60, c -> refusedCleanly(c, AgentMain::commandLine, "hdbg-agent: "));
    }

    @Test
    void everyHostCommandLineWithAMistakeIsRefusedInOneLine() {
        PropertyCheck.forAll(CommandLinePropertyTest::hostCase)
                .check(60, c -> refusedCleanly(c, HdbgMain::commandLine, "hdbg: "));
    }

    private static void refusedCleanly(Case c, java.util.function.Supplier<CommandLine> program, String prefix) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        List<Path> disk = tree(watched);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = assertTimeoutPreemptively(NO_HANG, () -> {
            CommandLine cli = program.get();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            return cli.execute(c.args().toArray(String[]::new));
        }, () -> "no answer within " + NO_HANG + ": " + c);

        List<String> lines = err.toString().lines().toList();
        assertThat(status).as("exit status of %s; stderr %s; stdout %s", c, err, out).isEqualTo(2);
        assertThat(lines).as("stderr of %s (stdout: %s)", c, out).hasSize(1);
        assertThat(lines.getFirst()).startsWith(prefix).hasSizeLessThan(700).doesNotContain("Exception", "\tat ", "Usage:");
        assertThat(out.toString()).as("stdout of %s", c).isEmpty();
        assertThat(tree(watched)).as("files made by %s", c).isEqualTo(disk);
        assertThat(threadsLeft(before)).as("threads left by %s", c).isEmpty();
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().toList();
        }
    }

    /** Threads started by the case and still alive a moment later (a thread being torn down gets that moment). */
    private static List<String> threadsLeft(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int i = 0; i < 50; i++) {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                    .filter(t -> !t.isDaemon() || t.getName().startsWith("hdbg") || t.getName().contains("EventLoop"))
                    .map(Thread::getName).toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(20);
        }
        return left;
    }

    // ---- the agent's command lines ----

    private static Case agentCase(SplittableRandom random) {
        List<List<String>> options = new ArrayList<>();
        String mistake = pick(random, AGENT_MISTAKES).apply(random).stream().collect(Collectors.joining(" "));
        List<String> planted = List.of(mistake.split(" ", -1));
        boolean targetMistake = planted.contains("--image") || planted.contains("--elf") || planted.contains("--sample");
        if (!targetMistake) {
            options.add(List.of("--sample", pick(random, List.of("demo", "loop", "cpuid"))));
        }
        if (!planted.contains("--listen")) {
            options.add(List.of("--listen", "127.0.0.1:0"));
        }
        int extra = random.nextInt(4);
        for (int i = 0; i < extra; i++) {
            List<String> valid = pick(random, AGENT_VALID).apply(random);
            if (options.stream().noneMatch(o -> o.getFirst().equals(valid.getFirst())) && !planted.contains(valid.getFirst())) {
                options.add(valid);
            }
        }
        options.add(random.nextInt(options.size() + 1), planted);
        return new Case("hdbg-agent", options.stream().flatMap(List::stream).toList(), mistake);
    }

    private static final List<Function<SplittableRandom, List<String>>> AGENT_VALID = List.of(
            r -> List.of("--once"),
            r -> List.of("--host-timeout", String.valueOf(1 + r.nextInt(600))),
            r -> List.of("--code-budget", String.valueOf(1 + r.nextInt(1_000_000))),
            r -> List.of("--max-events", String.valueOf(1 + r.nextInt(100))),
            r -> List.of("--on-full", r.nextBoolean() ? "block" : "drop-oldest"),
            r -> List.of("--token", "0123456789abcdef-" + r.nextInt(1000)),
            r -> List.of("--base", "0x400000"),
            r -> List.of("--tls", "--state-dir", watched.resolve("state").toString()));

    private static final List<Function<SplittableRandom, List<String>>> AGENT_MISTAKES = List.of(
            r -> List.of("--" + word(r)),
            r -> List.of(pick(r, List.of("--host-timeout", "--code-budget", "--max-events", "--max-actions", "--max-code-bytes",
                    "--max-log-bytes", "--max-root-bytes", "--batch-size", "--batch-delay-ms", "--queue-capacity",
                    "--queue-bytes")), badNumber(r)),
            r -> List.of("--listen", pick(r, List.of("127.0.0.1:7801:7", "256.0.0.1:7801", "127.0.0.1:99999", "", ":",
                    "x y:1", "[::g]:1", "127.0.0.1:-1", text(r)))),
            r -> List.of("--token", pick(r, List.of("", " ", "short", "\t\t"))),
            r -> List.of("--token-file", badFile(r, true).toString()),
            r -> List.of(pick(r, List.of("--image", "--elf")), badFile(r, false).toString()),
            r -> List.of("--elf", "/bin/sh", "--stdin", pick(r, List.of(directory, missing, unreadableOrMissing())).toString()),
            r -> List.of("--client-ca", pick(r, List.of(directory, missing, garbagePem, empty)).toString()),
            r -> List.of("--base", pick(r, List.of("800000000000", "ffffffffffffffff", "xyz", "", "-1", text(r)))),
            r -> List.of("--sample", pick(r, List.of("nosuch", "", text(r)))),
            r -> List.of("--sample", "demo", "--image", files.resolve("good.token").toString()),
            r -> List.of("--on-full", pick(r, List.of("drop", "", text(r)))),
            r -> List.of("--state-dir", watched.resolve("state").toString()),
            r -> List.of("--token", "0123456789abcdef", "--token-file", goodToken.toString()),
            r -> List.of("--elf", "/bin/sh", "--forward", pick(r, List.of("8080", "8080:", ":80", "8080:0", "x:80",
                    "8080:70000", "1:2:3", "-1:80", "", text(r)))),
            r -> List.of("--forward", "0:80"));

    // ---- the host's command lines ----

    private static Case hostCase(SplittableRandom random) {
        List<List<String>> options = new ArrayList<>();
        List<String> planted = pick(random, HOST_MISTAKES).apply(random);
        String mistake = String.join(" ", planted);
        if (!planted.contains("--connect")) {
            options.add(List.of("--connect", NOWHERE));
        }
        int extra = random.nextInt(4);
        for (int i = 0; i < extra; i++) {
            List<String> valid = pick(random, HOST_VALID).apply(random);
            if (options.stream().noneMatch(o -> o.getFirst().equals(valid.getFirst()))
                    && valid.stream().noneMatch(planted::contains)) {
                options.add(valid);
            }
        }
        options.add(random.nextInt(options.size() + 1), planted);
        return new Case("hdbg", options.stream().flatMap(List::stream).toList(), mistake);
    }

    private static final List<Function<SplittableRandom, List<String>>> HOST_VALID = List.of(
            r -> List.of("--json"),
            r -> List.of("--observe"),
            r -> List.of("--dead-after", String.valueOf(1 + r.nextInt(60))),
            r -> List.of("--token-file", goodToken.toString()),
            r -> List.of("--tls"),
            r -> List.of("--batch", latin1.toString()));

    private static final List<Function<SplittableRandom, List<String>>> HOST_MISTAKES = List.of(
            r -> List.of("--" + word(r)),
            r -> List.of("--dead-after", pick(r, List.of("0", "-1", "NaN", "Infinity", "1e300", "abc", "", text(r)))),
            // Random text gets a port that is no number: text alone may be a host name ("J" is J:7321, a valid address).
            r -> List.of("--connect", pick(r, List.of("127.0.0.1:99999", "127.0.0.1:1:2", "256.1.1.1:1", "h:0x10",
                    text(r) + ":x"))),
            r -> List.of("--token-file", badFile(r, true).toString()),
            r -> List.of("--token", "0123456789abcdef", "--token-file", goodToken.toString()),
            r -> List.of("--takeover", "--observe"),
            r -> List.of("--batch", pick(r, List.of(directory, missing, unreadableOrMissing())).toString()),
            r -> List.of("--resume", pick(r, List.of(directory, missing, Path.of("/proc/x/y"))).toString()),
            r -> List.of("--cert", goodToken.toString()),
            r -> List.of("--cert", pick(r, List.of(directory, missing, garbagePem, empty)).toString(), "--key",
                    pick(r, List.of(directory, missing, garbagePem, empty, goodToken)).toString()),
            r -> List.of("--fingerprint", pick(r, List.of("SHA256:", "MD5:abc", "", text(r)))));

    // ---- values ----

    private static Path badFile(SplittableRandom r, boolean tokenFile) {
        List<Path> bad = new ArrayList<>(List.of(directory, missing, huge, unreadableOrMissing()));
        if (tokenFile) {
            bad.addAll(List.of(latin1, empty, shortToken));
        } else {
            bad.add(empty);
        }
        return pick(r, bad);
    }

    /** Root reads any file: then the unreadable file would be a good one, and a missing one stands in. */
    private static Path unreadableOrMissing() {
        return Files.isReadable(unreadable) ? missing : unreadable;
    }

    private static String badNumber(SplittableRandom r) {
        return pick(r, List.of("-1", "0", "-9223372036854775808", "99999999999999999999", "abc", "", "1.5", "0x10", "1e9",
                String.valueOf(-1 - r.nextInt(1000)), text(r)));
    }

    private static String word(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
            s.append((char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }

    /** Any text: control characters, other scripts, surrogate pairs, and now and then a megabyte. */
    private static String text(SplittableRandom r) {
        if (r.nextInt(10) == 0) {
            return "x".repeat(1 << 20);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0, n = r.nextInt(20); i < n; i++) {
            s.appendCodePoint(switch (r.nextInt(4)) {
                case 0 -> r.nextInt(32);
                case 1 -> 0x20 + r.nextInt(0x5f);
                case 2 -> 0x400 + r.nextInt(0x2000);
                default -> 0x1f600 + r.nextInt(0x50);
            });
        }
        return s.toString();
    }

    private static <T> T pick(SplittableRandom r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
