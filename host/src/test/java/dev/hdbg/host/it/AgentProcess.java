package dev.hdbg.host.it;

import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.host.client.DebuggerClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real agent in its own JVM, listening on 127.0.0.1 with a port the system picks (or where the test says, e.g. in
 * a network namespace of its own); the test connects to the address the agent prints. Everything the agent logs is
 * kept for failure messages.
 */
final class AgentProcess implements AutoCloseable {
    /** HOST may be an IPv6 address ("0:0:0:0:0:0:0:0" for 0.0.0.0 on a dual-stack system): the port follows the last colon. */
    private static final Pattern LISTENING = Pattern.compile("hdbg-agent listening on (\\S+):(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("hdbg-agent TLS fingerprint (SHA256:\\S+)");

    private final Process process;
    private final String host;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private AgentProcess(Process process, String host, int port) {
        this.process = process;
        this.host = host;
        this.port = port;
    }

    /** Starts {@code hdbg-agent --listen 127.0.0.1:0 ARGS...} and waits until it listens. */
    static AgentProcess start(String... args) throws IOException {
        return startListening("127.0.0.1:0", args);
    }

    /** Starts {@code hdbg-agent --listen LISTEN ARGS...} and waits until it listens. */
    static AgentProcess startListening(String listen, String... args) throws IOException {
        return launch(List.of(), Map.of(), listen, args);
    }

    /** Starts {@code hdbg-agent --listen LISTEN ARGS...} with {@code environment} added, and waits until it listens. */
    static AgentProcess startWith(Map<String, String> environment, String listen, String... args) throws IOException {
        return launch(List.of(), environment, listen, args);
    }

    /**
     * Starts {@code ip netns exec NAMESPACE hdbg-agent --listen LISTEN ARGS...} (as root) and waits until it listens:
     * the agent's only network is that namespace's. {@code ip netns exec} execs the JVM, so this process is the agent.
     */
    static AgentProcess startInNamespace(String namespace, String listen, String... args) throws IOException {
        return launch(List.of("ip", "netns", "exec", namespace), Map.of(), listen, args);
    }

    /** What an agent that was expected to refuse its command line did: its exit status and its output. */
    record Refusal(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code hdbg-agent ARGS...} (no --listen added) with {@code environment} added to this JVM's, expecting it to
     * refuse to start; kills it and fails if it is still running after {@code seconds}.
     */
    static Refusal refused(Map<String, String> environment, long seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        var stdout = process.getInputStream();
        var stderr = process.getErrorStream();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("the agent did not exit within " + seconds + " s: "
                    + new String(stdout.readAllBytes(), StandardCharsets.UTF_8) + new String(stderr.readAllBytes(), StandardCharsets.UTF_8));
        }
        return new Refusal(process.exitValue(), new String(stdout.readAllBytes(), StandardCharsets.UTF_8),
                new String(stderr.readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * A test's agent lives for seconds: C1's code is ready at once, where C2 spends a core compiling what the test is
     * over before it uses (measured on 2 cores: BusyboxIT 76 s with C2, 57 s without; the suite's time limit is what it
     * buys). The launchers keep C2 for sessions that run long.
     */
    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = List.of("-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");
        AgentAotCache.Launch launch = AgentAotCache.launch(java, flags, System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launch.options());
        command.addAll(flags);
        command.addAll(List.of("-cp", launch.classPath(), "dev.hdbg.agent.AgentMain"));
        return command;
    }

    private static AgentProcess launch(List<String> prefix, Map<String, String> environment, String listen, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(javaCommand());
        command.addAll(List.of("--listen", listen));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return started(builder);
    }

    /**
     * Starts {@code command}, a whole agent command line of the test's own (its JVM options, its class path), and
     * waits until it listens.
     */
    static AgentProcess startCommand(List<String> command) throws IOException {
        return started(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private static AgentProcess started(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                AgentProcess agent = new AgentProcess(process, m.group(1), Integer.parseInt(m.group(2)));
                agent.output.addAll(seen);
                Thread.ofPlatform().daemon().name("agent-output").start(() -> agent.drain(out));
                return agent;
            }
        }
        throw new IllegalStateException("the agent exited before listening: " + String.join("\n", seen));
    }

    private void drain(BufferedReader out) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.add("(reading the agent's output failed: " + e + ")");
            }
        }
    }

    /** The address the agent listens on, as it printed it. */
    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** The fingerprint a --tls agent printed before its listening line. */
    String fingerprint() {
        Matcher m = FINGERPRINT.matcher(output());
        if (!m.find()) {
            throw new IllegalStateException("the agent printed no TLS fingerprint: " + output());
        }
        return m.group(1);
    }

    /** Waits until the agent's output (its log included) contains {@code text}; whether it did within the time. */
    boolean awaitOutput(String text, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!output().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    DebuggerClient connect() {
        return DebuggerClient.connect("127.0.0.1", port, null);
    }

    /**
     * Waits until the target is in {@code state}, asking as an observer: one acknowledges no record and leaves the
     * store as it is, and may attach beside a host (a test's, a bridge's). In place of a sleep that guesses how long a
     * loaded machine takes.
     */
    void awaitState(TargetState state) throws Exception {
        try (DebuggerClient observer = DebuggerClient.connect("127.0.0.1", port, null, AttachMode.OBSERVE)) {
            while (observer.status().get(10, TimeUnit.SECONDS).state() != state) {
                Thread.sleep(50);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** The agent's command line as other users see it in {@code ps} ({@code /proc/PID/cmdline}). */
    String commandLine() throws IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + process.pid() + "/cmdline")).replace('\0', ' ');
    }

    /** The agent's resident memory now, in KiB (VmRSS). */
    long residentKib() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for the agent " + process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    boolean waitForExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
