package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real interactive prompt ({@code bin/hdbg}) in a pseudo-terminal: a tmux server of its own
 * socket runs it, the test types keys and reads the screen.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InteractivePromptIT {
    private static final Path TMUX = Path.of("/usr/bin/tmux");
    private static final long WAIT_MILLIS = 15_000;
    /**
     * The first prompt is a JVM's start (no AOT cache in a test run) and its connection: at a load average of 9 to 17
     * on two cores the screen was still blank after 15 s (CI, 2026-12-04). As AgentProcess waits for an agent's start,
     * this waits for the host's within the test's own timeout; the prompt's answers later keep WAIT_MILLIS.
     */
    private static final long START_MILLIS = 40_000;
    private static final Pattern PROGRESS_LINE = Pattern.compile("running [0-9.]+ s \\| .* \\| Ctrl-C pauses\\s*");

    @TempDir
    Path dir;

    private final String socket = "hdbgtest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private Path socketPath;

    @Test
    void ctrlCPausesTheTargetTabCompletesAndHistoryRecallsWithAPrivateHistoryFile() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            try {
                startHost(agent);
                waitForScreen(s -> s.contains("hdbg 0:0 broken @ 0x400000>"), "the first prompt");

                command("r rcx = 7fffffffff"); // minutes of looping: Ctrl-C, not the end, stops it, however busy the machine
                command("g");
                waitForScreen(s -> lastLine(s).equals("hdbg 0:0 running>"), "the running prompt after g");
                keys("C-c");
                String paused = waitForScreen(s -> s.contains("paused at rip 0x40000")
                        && lastLine(s).startsWith("hdbg 0:0 broken @ 0x40000"), "the pause and a broken prompt after Ctrl-C");
                // WinDbg-style: the registers follow the break line
                assertThat(paused).containsPattern("paused at rip 0x40000[0-9a-f]\\n +rax=");
                assertThat(paused).contains("rcx=", "rip=00000000004000");

                String answered = command("r rdi");
                assertThat(answered).contains("   rdi=0000000000000000");
                keys("Up");
                waitForScreen(s -> lastLine(s).endsWith("> r rdi"), "r rdi recalled by the Up arrow");
                keys("C-u");
                waitForScreen(s -> lastLine(s).endsWith(">"), "an empty line after C-u");

                keys("ev", "Tab");
                waitForScreen(s -> lastLine(s).endsWith("> events"), "ev completed to events");
                keys("Enter");
                waitForScreen(s -> s.contains("no events") && lastLine(s).endsWith(">"), "the events command run");

                assertThat(Files.readString(dir.resolve("history"), StandardCharsets.UTF_8)).contains("r rdi", "events");
                assertThat(dir.resolve("home/.hdbg_history")).doesNotExist();
            } finally {
                tmuxQuietly("kill-server");
                removeSocketFile();
            }
        }
    }

    /**
     * A Ctrl-C typed while a command runs, when JLine is not reading a line, pauses the target once the prompt is back.
     * The command here is a .script reading a pipe the test holds open, so the Ctrl-C surely comes while it runs; the
     * script's g lets the target run.
     */
    @Test
    void aCtrlCTypedWhileACommandRunsPausesTheTargetWhenThePromptIsBack() throws Exception {
        Path pipe = dir.resolve("commands");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
        assertThat(mkfifo.waitFor()).as(new String(mkfifo.getInputStream().readAllBytes())).isZero();
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            try {
                startHost(agent);
                waitForScreen(s -> s.contains("hdbg 0:0 broken @ 0x400000>"), "the first prompt");
                command("r rcx = 7fffffffff");
                // Opened for reading and writing, the pipe opens at once and gives the script its end only when closed.
                try (FileChannel script = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    keys(".script " + pipe, "Enter");
                    script.write(StandardCharsets.US_ASCII.encode("g\n"));
                    waitForScreen(s -> s.contains("hdbg> g"), "the script's g");
                    keys("C-c");
                    // tmux writes a key to the terminal after send-keys returns: one more round trip to tmux, and one more
                    // command of the script, so the Ctrl-C reaches the terminal before the script ends.
                    tmux("display-message", "-p", "-t", "hdbg", "#{pane_tty}");
                    script.write(StandardCharsets.US_ASCII.encode("r rip\n"));
                    waitForScreen(s -> s.contains("hdbg> r rip") && s.contains("rip=00000000004000"), "the script's r rip");
                }
                waitForScreen(s -> s.contains("paused at rip 0x40000") && lastLine(s).startsWith("hdbg 0:0 broken @ 0x40000"),
                        "the pause the Ctrl-C typed during .script asked for");
            } finally {
                tmuxQuietly("kill-server");
                removeSocketFile();
            }
        }
    }

    @Test
    void thePromptNamesTheSymbolAndTabCompletesSymbols() throws Exception {
        Path source = Files.writeString(dir.resolve("answer.c"), "int answer(int x) { return x * 6; }\n"
                + "int main(void) { return answer(7); }\n");
        Path program = dir.resolve("answer");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O0", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        assertThat(gcc.waitFor()).as(new String(gcc.getInputStream().readAllBytes())).isZero();
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", dir.toString())) {
            try {
                startHost(agent);
                waitForScreen(s -> lastLine(s).equals("hdbg 0:0 broken @ _start>"), "the prompt at _start");
                keys("bp answ", "Tab");
                waitForScreen(s -> lastLine(s).endsWith("> bp answer"), "answ completed to the symbol answer");
                keys("Enter");
                command("g");
                waitForScreen(s -> s.contains("breakpoint 1 hit at rip 0x") && s.contains("(answer)")
                        && lastLine(s).equals("hdbg 0:0 broken @ answer>"), "the break at answer and its prompt");
                command("gu");
                waitForScreen(s -> lastLine(s).matches("hdbg 0:0 broken @ main\\+0x[0-9a-f]+>"), "back in main after gu");
            } finally {
                tmuxQuietly("kill-server");
                removeSocketFile();
            }
        }
    }

    /** Starts bin/hdbg in a tmux session attached to the agent, with a private HOME and history file. */
    private void startHost(AgentProcess agent) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TMUX), "tmux is not installed (bin/test installs it)");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path history = dir.resolve("history");
        Path config = Files.writeString(dir.resolve("tmux.conf"), "set -g remain-on-exit on\nset -g history-limit 5000\n");
        Path launcher = Launcher.hdbg();
        List<String> start = List.of("-f", config.toString(), "new-session", "-d", "-s", "hdbg", "-x", "160", "-y", "50",
                "env", "HOME=" + home, "HDBG_HISTORY=" + history, "TERM=xterm-256color",
                launcher.toString(), "--connect", "127.0.0.1:" + agent.port());
        tmux(start.toArray(String[]::new));
        socketPath = Path.of(tmux("display-message", "-p", "#{socket_path}").strip());
        // Others may be rebuilding this tree: the launcher can start while host/target/classes
        // is being rewritten. Only that start-up failure is retried.
        for (int attempt = 1; attempt < 3 && waitForPromptOrDeath().contains("Could not find or load main class"); attempt++) {
            tmux("kill-session", "-t", "hdbg");
            Thread.sleep(3_000);
            tmux(start.toArray(String[]::new));
        }
    }

    /** Waits for the first prompt or for the launcher to have died; the screen either way. */
    private String waitForPromptOrDeath() throws Exception {
        return waitForScreen(s -> s.contains("hdbg 0:0 broken @") || tmux("display-message", "-p", "-t", "hdbg", "#{pane_dead}").strip().equals("1"),
                "the first prompt", START_MILLIS);
    }

    /** Types a command and Enter, then waits for the next empty prompt (keys typed earlier would not be line-edited). */
    private String command(String line) throws Exception {
        int before = prompts(screen());
        keys(line, "Enter");
        return waitForScreen(s -> prompts(s) > before && lastLine(s).matches("hdbg .*>"), "the prompt after " + line);
    }

    private static int prompts(String screen) {
        return (int) screen.lines().filter(l -> l.startsWith("hdbg ")).count();
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "hdbg"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", "hdbg", "-S", "-");
    }

    /**
     * The last line of text above the progress line: while the target runs, the host keeps "running 1.0 s | events
     * ... | Ctrl-C pauses" at the bottom of the screen (ProgressLine), from half a second after it starts; the prompt is
     * the line above it.
     */
    private static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(l -> !l.isBlank() && !PROGRESS_LINE.matcher(l).matches()).toList();
        return lines.isEmpty() ? "" : lines.getLast().stripTrailing();
    }

    /** A condition on the screen's text; it may ask tmux more. */
    private interface ScreenCheck {
        boolean test(String screen) throws Exception;
    }

    private String waitForScreen(ScreenCheck ready, String what) throws Exception {
        return waitForScreen(ready, what, WAIT_MILLIS);
    }

    private String waitForScreen(ScreenCheck ready, String what, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        String screen = screen();
        while (!ready.test(screen)) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + "; the screen:\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** tmux leaves its socket file behind a killed server; this test's socket is its own to remove. */
    private void removeSocketFile() {
        if (socketPath == null) {
            return;
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            System.err.println("removing the tmux socket: " + e.getMessage());
        }
    }

    private void tmuxQuietly(String... args) {
        try {
            tmux(args);
        } catch (Exception e) {
            System.err.println("cleaning up tmux: " + e.getMessage());
        }
    }
}
