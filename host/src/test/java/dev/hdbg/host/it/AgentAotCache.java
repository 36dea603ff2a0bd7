package dev.hdbg.host.it;

import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One JDK 25 ahead-of-time cache (JEP 483/514: classes loaded and linked, lambda forms and FFM stubs resolved) for
 * every agent the ITs start. The suite starts about 300 agents, each of which spent about a second of CPU loading and
 * linking the same classes before it listened (Netty, protobuf, picocli, the FFM linker's method handles); with the
 * cache that start-up costs about a quarter less. The cache is made once per test JVM by a training agent that
 * listens, answers a session's first requests and is stopped, and is named after the class path's jars (their paths,
 * sizes and times), so a rebuilt jar gets a new cache instead of one the JVM would refuse. A JVM that cannot use a
 * cache runs without it (silently: the agents' output is what tests read), so a missing or refused cache costs time,
 * never a result. {@code -Dhdbg.it.aot=false} starts every agent without it, to measure the difference.
 */
final class AgentAotCache {
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("hdbg.it.aot", "true"));
    private static Launch launch;

    private AgentAotCache() {
    }

    /** How an agent starts: the JVM options before its class path, and the class path. */
    record Launch(List<String> options, String classPath) {
    }

    /**
     * How to start an agent with {@code java} and {@code flags} from {@code classPath} (this JVM's): with the cache and
     * the class path's jars (an AOT cache takes no class directory, and the agent needs none of the test's), or as
     * given when the cache is disabled, cannot be made, or the class path has a directory it might need.
     */
    static synchronized Launch launch(String java, List<String> flags, String classPath) {
        if (launch == null) {
            launch = make(java, flags, classPath);
        }
        return launch;
    }

    private static Launch make(String java, List<String> flags, String classPath) {
        Launch plain = new Launch(List.of(), classPath);
        String jars = jarsOnly(classPath);
        if (!ENABLED || jars == null) {
            return plain;
        }
        Path cache = Path.of("target", "agent-it-" + Long.toHexString(fingerprint(jars)) + ".aot").toAbsolutePath();
        Launch cached = new Launch(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"), jars);
        if (Files.isRegularFile(cache)) {
            return cached;
        }
        try {
            train(java, flags, jars, cache);
            return cached;
        } catch (IOException | RuntimeException e) {
            System.err.println("AgentAotCache: agents start without an AOT cache: " + e);
            return plain;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return plain;
        }
    }

    /** The class path's jars, or null if it has a directory other than this module's own classes and test classes. */
    private static String jarsOnly(String classPath) {
        Path ownClasses = Path.of("target", "classes").toAbsolutePath();
        Path ownTestClasses = Path.of("target", "test-classes").toAbsolutePath();
        List<String> jars = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(path)) {
                if (!path.equals(ownClasses) && !path.equals(ownTestClasses)) {
                    return null;
                }
            } else if (entry.endsWith(".jar")) {
                jars.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, jars);
    }

    /** Runs one agent with {@code -XX:AOTCacheOutput} through a session's first requests; the JVM writes the cache as it exits. */
    private static void train(String java, List<String> flags, String classPath, Path cache) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache));
        command.addAll(flags);
        command.addAll(List.of("-cp", classPath, "dev.hdbg.agent.AgentMain", "--listen", "127.0.0.1:0", "--sample", "loop"));
        Path log = Path.of(cache + ".training.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = listeningPort(process, log);
            try (DebuggerClient client = DebuggerClient.connect("127.0.0.1", port, null)) {
                client.status().get(30, TimeUnit.SECONDS);
                client.readRegisters(List.of("rip", "rsp")).get(30, TimeUnit.SECONDS);
                client.listEvents().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the training agent did not answer (" + log + ")", e);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (!Files.isRegularFile(cache)) {
            throw new IOException("the training agent made no cache (" + log + ")");
        }
    }

    private static int listeningPort(Process process, Path log) throws IOException, InterruptedException {
        Pattern listening = Pattern.compile("hdbg-agent listening on \\S+:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new IOException("the training agent did not listen (" + log + ")");
    }

    private static long fingerprint(String classPath) {
        CRC32 crc = new CRC32();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            crc.update(entry.getBytes(StandardCharsets.UTF_8));
            try {
                if (Files.isRegularFile(path)) {
                    crc.update(Long.toString(Files.size(path)).getBytes(StandardCharsets.UTF_8));
                    crc.update(Long.toString(Files.getLastModifiedTime(path).toMillis()).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crc.getValue();
    }
}
