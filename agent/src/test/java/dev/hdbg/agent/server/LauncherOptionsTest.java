package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.ChildJvm;
import dev.hdbg.common.testing.LauncherScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options bin/hdbg-env.sh gives the launchers, applied to a JVM of their own (this class's {@link #main}): no
 * buffer tracked by Netty's leak detector (each tracked buffer costs the event loop a stack trace when it is made and
 * one when it is released). Counted, not timed: a JVM without the options tracks buffers, so the test can fail.
 */
class LauncherOptionsTest {
    private static final int BUFFERS = 5_000;

    @Test
    void theLaunchersTrackNoBuffersForLeaksWhileAJvmWithoutTheirOptionsDoes() throws Exception {
        assertThat(child(launcherOptions("agent")).tracked).isZero();
        assertThat(child(launcherOptions("host")).tracked).isZero();
        // Netty's default samples one buffer in 128: 5,000 buffers all untracked would happen once in 10^17 runs.
        assertThat(child(List.of()).tracked).isPositive();
    }

    /**
     * Both launchers keep Netty's buffer pool from loading its JFR event classes, which started JFR's metadata at the
     * first connection (on the agent's event loop, on the host's batch thread); a JVM without the option loads them,
     * so the test can fail.
     */
    @Test
    void theLaunchersBuffersLoadNoJfrEventsWhileAJvmWithoutTheirOptionsDoes() throws Exception {
        for (String module : List.of("agent", "host")) {
            List<String> logged = new ArrayList<>(launcherOptions(module));
            logged.add("-Xlog:class+load=info");
            assertThat(child(logged).output()).as(module).doesNotContain("jdk.jfr.Event ");
        }
        assertThat(child(List.of("-Xlog:class+load=info")).output()).contains("jdk.jfr.Event ");
    }

    /**
     * bin/hdbg runs {@code --gdb} on the bridge's AOT cache and everything else on the commands' one: the bridge's
     * session trained into the commands' cache made fresh batches compile more with C2 (docs/benchmarks.md, "Warm-up
     * of fresh JVMs, wave 9").
     */
    @Test
    void theBridgeRunsOnItsOwnCacheAndEveryOtherHostOnTheCommandsOne() throws Exception {
        assertThat(hostCache("--connect", "127.0.0.1:7321", "--gdb", "127.0.0.1:1234")).endsWith("/host/target/hdbg-host-gdb.aot");
        assertThat(hostCache("--connect=127.0.0.1:7321", "--gdb=127.0.0.1:1234", "--gdb-any-address"))
                .endsWith("/host/target/hdbg-host-gdb.aot");
        assertThat(hostCache("--connect", "127.0.0.1:7321", "--batch", "cmds.txt", "--json")).endsWith("/host/target/hdbg-host.aot");
        assertThat(hostCache("--gdb-any-address")).endsWith("/host/target/hdbg-host.aot");
        assertThat(hostCache()).endsWith("/host/target/hdbg-host.aot");
    }

    /**
     * {@code --gdb}'s loop does not poll while its JVM's compilers are busy; a batch's and the prompt's keep the
     * default (docs/benchmarks.md, "Fresh sessions, wave 13").
     */
    @Test
    void theBridgeAloneDoesNotPollWhileItsCompilersAreBusy() throws Exception {
        assertThat(hostOptions("--connect", "127.0.0.1:7321", "--gdb", "127.0.0.1:1234"))
                .isEqualTo("-Dhdbg.pollBeforeBlockWhileCompiling=false");
        assertThat(hostOptions("--connect=127.0.0.1:7321", "--gdb=127.0.0.1:1234"))
                .isEqualTo("-Dhdbg.pollBeforeBlockWhileCompiling=false");
        assertThat(hostOptions("--connect", "127.0.0.1:7321", "--batch", "cmds.txt", "--json"))
                .doesNotContain("pollBeforeBlockWhileCompiling");
        assertThat(hostOptions("--connect", "127.0.0.1:7321")).doesNotContain("pollBeforeBlockWhileCompiling");
    }

    /**
     * The prompt's host compiles the class-file API, which only its start-up runs (spinning the classes the AOT cache
     * does not hold), with C1 alone: C2 compiled it for 0.7 s of a fresh batch's CPU before batches lost C2
     * (docs/benchmarks.md, "Fresh batches, wave 14"). Counted in a JVM that spins classes with {@code -Xbatch} (each
     * compile done when it is asked for): without the options C2 compiles the API's methods, so the test can fail.
     */
    @Test
    void thePromptsHostCompilesTheClassFileApiOfItsStartUpWithoutC2() throws Exception {
        // A batch's host has no C2 at all (aBatchHostCompilesWithC1AloneWhileThePromptAndTheBridgeKeepC2); the
        // prompt's keeps C2 for the rest.
        List<String> prompt = new ArrayList<>(hostOptions("--connect", "127.0.0.1:7321").lines().toList());
        assertThat(classFileApiC2Compiles(prompt)).isZero();
        assertThat(classFileApiC2Compiles(new ArrayList<>())).isPositive();
        assertThat(hostOptions("--connect", "127.0.0.1:7321", "--gdb", "127.0.0.1:1234"))
                .doesNotContain("jdk.internal.classfile"); // the bridge's options are its own
    }

    /** How many methods of jdk.internal.classfile a JVM with OPTIONS compiles at level 4 while it spins classes. */
    private static long classFileApiC2Compiles(List<String> options) throws IOException, InterruptedException {
        return c2Compiles(options, method -> method.startsWith("jdk.internal.classfile."));
    }

    /** How many methods that WHICH accepts a JVM with OPTIONS compiles at level 4 while it spins classes. */
    private static long c2Compiles(List<String> options, Predicate<String> which)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-Xbatch", "-XX:+PrintCompilation"));
        all.addAll(options);
        String out = ChildJvm.run(all, ClassSpinner.class, Duration.ofSeconds(120));
        assertThat(out).contains("spun " + ClassSpinner.CLASSES);
        return ChildJvm.c2Compiles(out, which);
    }

    /**
     * An {@code --elf} agent compiles with C2 later, all of it: the path that serves the host's requests was scaled
     * back to the default thresholds once, which bought a fresh batch no wall time and doubled the compilers' CPU
     * beside a real program (docs/benchmarks.md, "After the wave 16 merges"). The loop sample's agent keeps HotSpot's
     * defaults.
     */
    @Test
    void anElfAgentCompilesAllItsCodeWithC2Later() throws Exception {
        List<String> elf = agentJit("--elf", "/bin/true", "--listen", "127.0.0.1:0");
        assertThat(elf).contains("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4CompileThreshold=60000",
                "-XX:Tier4BackEdgeThreshold=400000");
        assertThat(elf).noneMatch(o -> o.contains("CompileThresholdScaling"));
        assertThat(agentJit("--sample", "loop")).noneMatch(o -> o.contains("CompileThresholdScaling")
                || o.startsWith("-XX:Tier4"));
    }

    /** The compiler options hdbg_agent_jit gives an agent started with ARGS. */
    private static List<String> agentJit(String... args) throws IOException, InterruptedException {
        return LauncherScript.lines("hdbg_agent_jit", args);
    }

    /**
     * A batch's host compiles with C1 alone: over a batch's run C2 never paid back its compiles (a fresh 10,000
     * {@code r rip}: 1.4 s of C2 beside the batch thread's 1.5 s, on 2 cores; docs/benchmarks.md, "A batch host
     * without C2, stop 45"). The prompt and the bridge keep C2: a gdb session outlives its compiles. Counted in a JVM
     * with each option set: with the batch's options it compiles nothing at C2, with the prompt's it does, so the test
     * can fail.
     */
    @Test
    void aBatchHostCompilesWithC1AloneWhileThePromptAndTheBridgeKeepC2() throws Exception {
        List<String> batch = hostJvmOptions("--connect", "127.0.0.1:7321", "--batch", "cmds.txt", "--json");
        assertThat(batch).contains("-XX:TieredStopAtLevel=1");
        assertThat(hostJvmOptions("--connect=127.0.0.1:7321", "--batch=-")).contains("-XX:TieredStopAtLevel=1");
        List<String> prompt = hostJvmOptions("--connect", "127.0.0.1:7321");
        assertThat(prompt).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(hostJvmOptions("--connect", "127.0.0.1:7321", "--gdb", "127.0.0.1:1234"))
                .noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(LauncherScript.run("HDBG_BATCH_C2=1 && hdbg_host_jvm_options \"$@\"", "--connect", "127.0.0.1:7321",
                "--batch", "-")).doesNotContain("TieredStopAtLevel"); // a long stream of records keeps C2
        assertThat(c2Compiles(batch, method -> true)).isZero();
        assertThat(c2Compiles(prompt, method -> true)).isPositive();
    }

    /** The commands' training runs the verbs a session uses most, each of them many times. */
    @Test
    void theCommandsTrainingRunsTheVerbsASessionUsesMost() throws Exception {
        List<String> lines = LauncherScript.run("hdbg_train_batch").lines().toList();
        assertThat(lines).contains("r rip", "t", "u rip", "db rsp", "events");
        assertThat(lines.stream().filter("r rip"::equals).count()).isGreaterThanOrEqualTo(300);
    }

    /**
     * The bridge's training runs {@code --gdb} with the options {@code bin/hdbg --gdb} runs it with: trained without
     * them, the cache's profiles said the loop never asks whether the compilers are busy, and a fresh session's C2
     * code of that loop was thrown away and compiled again (docs/benchmarks.md, "A fresh bridge, wave 14"). And its
     * gdb session sets a breakpoint, continues to it, steps over it and deletes it, as a session after gdb's
     * {@code break main} and {@code continue} does in its first {@code stepi}: without it, that step loaded 15 classes
     * of the breakpoint requests the cache did not hold. The training runs here on a fake {@code java} and
     * {@code gdb} that write down their arguments.
     */
    @Test
    void theBridgeTrainsWithTheOptionsItRunsWithAndABreakpointSteppedOver(@TempDir Path dir) throws Exception {
        fakeExecutable(dir.resolve("jdk/bin/java"), """
                #!/bin/bash
                echo "$*" >>"%1$s/java.args"
                case "$*" in
                    *AgentMain*) echo 'hdbg-agent listening on 127.0.0.1:7321'; exec sleep 30 ;;
                    *--gdb*) echo 'gdb: listening on 127.0.0.1:1234 (loopback)' ;;
                esac
                """.formatted(dir));
        Path gdb = fakeExecutable(dir.resolve("bin/gdb"), "#!/bin/bash\necho \"$*\" >>\"" + dir + "/gdb.args\"\n");
        Files.createDirectories(dir.resolve("work"));
        LauncherScript.run("HDBG_JAVA_HOME=\"$1\" && HDBG_HOST_GDB_AOT=\"$2\" && PATH=\"$3:$PATH\" && "
                + "hdbg_train_bridge \"$4\"", dir.resolve("jdk").toString(), dir.resolve("gdb.aot").toString(),
                gdb.getParent().toString(), dir.resolve("work").toString());
        String gdbArgs = Files.readString(dir.resolve("gdb.args"));
        assertThat(gdbArgs).contains("target remote 127.0.0.1:1234");
        assertThat(gdbArgs).containsSubsequence("break *0x", "continue", "stepi 2", "delete", "stepi ", "kill");
        String bridge = Files.readAllLines(dir.resolve("java.args")).stream().filter(l -> l.contains("--gdb"))
                .findFirst().orElseThrow();
        assertThat(bridge).contains("-XX:AOTCacheOutput=" + dir.resolve("gdb.aot"));
        for (String option : hostJvmOptions("--connect", "127.0.0.1:7321", "--gdb", "127.0.0.1:1234")) {
            assertThat(bridge.split(" ")).as(bridge).contains(option);
        }
        assertThat(bridge).contains("-Dhdbg.pollBeforeBlockWhileCompiling=false");
    }

    /**
     * The training sourced by hand (docs/benchmarks.md's reproductions) with HDBG_JAVA_HOME unset finds the JDK 25 as
     * the launchers do. It ran {@code /bin/java}, not a JDK 25 here, and deleted every cache without making one. A fake
     * JDK 25 in JAVA_HOME writes down its arguments; no gdb on the PATH, so no bridge training.
     */
    @Test
    void theTrainingFindsTheJdkWhenHdbgJavaHomeIsUnset(@TempDir Path dir) throws Exception {
        fakeExecutable(dir.resolve("jdk/bin/java"), """
                #!/bin/bash
                case "$*" in
                    *-XshowSettings:properties*) echo '    java.specification.version = 25' ;;
                    *) echo "$*" >>"%1$s/java.args" ;;
                esac
                """.formatted(dir));
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "sed", "mktemp", "rm", "mkdir", "sleep", "head", "cat", "grep", "kill")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(tools.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        LauncherScript.run("unset HDBG_JAVA_HOME; JAVA_HOME=\"$1\"; PATH=\"$2\"; HDBG_HOST_AOT=\"$3/h.aot\"; "
                + "HDBG_HOST_GDB_AOT=\"$3/g.aot\"; HDBG_AGENT_AOT=\"$3/a.aot\"; HDBG_AGENT_ELF_AOT=\"$3/e.aot\"; hdbg_train",
                dir.resolve("jdk").toString(), tools.toString(), dir.toString());
        assertThat(Files.readString(dir.resolve("java.args"))).contains("-XX:AOTCacheOutput=" + dir.resolve("a.aot"));
    }

    /**
     * A process that writes its "listening" line and ends between the launcher's read of its log and its look at the
     * process is still heard: the log is read again once the process is gone. Under load that window lost the bridge
     * training's session (the test above failed in a fresh-clone CI, 11 misses in 400 with two cores busy). Here the
     * first read is made to come before the line, deterministically: a {@code sed} that answers nothing once.
     */
    @Test
    void aLineWrittenJustBeforeTheProcessEndedIsStillRead(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("bridge.log"), "gdb: listening on 127.0.0.1:1234 (loopback)\n");
        String port = LauncherScript.run("""
                marker="$2"
                sed() { if [ ! -e "$marker" ]; then : >"$marker"; return 0; fi; command sed "$@"; }
                true & gone=$!; wait "$gone"
                hdbg_port_in "$1" "$gone" 's/^gdb: listening on 127\\.0\\.0\\.1:\\([0-9]*\\) .*/\\1/p'""",
                log.toString(), dir.resolve("first-read").toString());
        assertThat(port).isEqualTo("1234");
    }

    /**
     * The commands' training runs its batch host with the options {@code bin/hdbg --batch} runs one with: a cache's
     * profiles are those of its training's options, and a batch host's include the thresholds of the JDK's start-up
     * code (docs/benchmarks.md, "Fresh batches, wave 16"). The training runs here on a fake {@code java} that writes
     * down its arguments.
     */
    @Test
    void theCommandsTrainWithTheOptionsABatchRunsWith(@TempDir Path dir) throws Exception {
        fakeExecutable(dir.resolve("jdk/bin/java"), "#!/bin/bash\necho \"$*\" >>\"" + dir + "/java.args\"\n");
        Files.createDirectories(dir.resolve("work"));
        LauncherScript.run("HDBG_JAVA_HOME=\"$1\" && HDBG_HOST_AOT=\"$2\" && hdbg_train_commands 127.0.0.1:7321 \"$3\"",
                dir.resolve("jdk").toString(), dir.resolve("host.aot").toString(), dir.resolve("work").toString());
        String host = Files.readString(dir.resolve("java.args")).strip();
        assertThat(host).contains("-XX:AOTCacheOutput=" + dir.resolve("host.aot"))
                .contains("--batch " + dir.resolve("work/train.txt") + " --json");
        List<String> options = hostJvmOptions("--connect", "127.0.0.1:7321", "--batch", "FILE", "--json");
        assertThat(options).anyMatch(o -> o.contains("CompileThresholdScaling,jdk.internal.classfile"));
        for (String option : options) {
            assertThat(host.split(" ")).as(host).contains(option);
        }
    }

    /** An executable script at FILE (its directories made): a fake java or gdb for a training to run. */
    private static Path fakeExecutable(Path file, String script) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, script);
        assertThat(file.toFile().setExecutable(true)).as("%s made executable", file).isTrue();
        return file;
    }

    /** The JVM options hdbg_host_jvm_options gives the host for ARGS (all but its cache's), one an element. */
    private static List<String> hostJvmOptions(String... args) throws IOException, InterruptedException {
        return LauncherScript.lines("hdbg_host_jvm_options", args);
    }

    /** The options hdbg_host_options adds for the host's ARGS. */
    private static String hostOptions(String... args) throws IOException, InterruptedException {
        return LauncherScript.run("hdbg_host_options \"$@\"", args).strip();
    }

    /**
     * bin/hdbg-agent runs an agent started with {@code --elf} on the Linux programs' AOT cache once it is trained
     * (the loop sample's training makes no system call: docs/benchmarks.md, "Real programs' fixed costs, wave 12"), and
     * every other agent, or an --elf one before that cache exists, on the loop sample's.
     */
    @Test
    void anElfAgentRunsOnTheProgramsCacheWhenItIsTrained() throws Exception {
        Path trained = Files.createTempFile("agent-elf", ".aot"); // newer than every jar: usable
        try {
            assertThat(agentCache(trained, "--elf", "/bin/true", "--root", "/")).isEqualTo(trained.toString());
            assertThat(agentCache(trained, "--listen", "127.0.0.1:0", "--elf=/bin/sort", "--", "in.txt"))
                    .isEqualTo(trained.toString());
            assertThat(agentCache(trained, "--sample", "loop")).endsWith("/agent/target/hdbg-agent.aot");
            // A program's own argument is not the agent's option.
            assertThat(agentCache(trained, "--image", "x.bin", "--", "--elf")).endsWith("/agent/target/hdbg-agent.aot");
        } finally {
            Files.delete(trained);
        }
        assertThat(agentCache(trained, "--elf", "/bin/true")).endsWith("/agent/target/hdbg-agent.aot");
    }

    /** The cache hdbg_agent_cache names for an agent's ARGS when the Linux programs' cache is {@code elfCache}. */
    private static String agentCache(Path elfCache, String... args) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(elfCache.toString()));
        arguments.addAll(List.of(args));
        return LauncherScript.run("HDBG_AGENT_ELF_AOT=\"$1\" && shift && hdbg_agent_cache \"$@\"",
                arguments.toArray(String[]::new)).strip();
    }

    /** The cache hdbg_host_cache names for the host's ARGS. */
    private static String hostCache(String... args) throws IOException, InterruptedException {
        return LauncherScript.run("hdbg_host_cache \"$@\"", args).strip();
    }

    /** The options hdbg_jvm_options prints for MODULE, as the launcher passes them to java. */
    private static List<String> launcherOptions(String module) throws IOException, InterruptedException {
        List<String> options = LauncherScript.lines("hdbg_jvm_options", module);
        assertThat(options).isNotEmpty();
        return options;
    }


    private record Child(int tracked, String output) {
    }

    /** Runs {@link #main} in a JVM with OPTIONS (a rejected option fails the test: the launcher would not start). */
    private static Child child(List<String> options) throws IOException, InterruptedException {
        String out = ChildJvm.run(options, LauncherOptionsTest.class, Duration.ofSeconds(60));
        String last = out.lines().filter(l -> l.startsWith("tracked ")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no result from the child JVM: " + out));
        String[] words = last.split(" ");
        return new Child(Integer.parseInt(words[1]), out);
    }

    /** The child: allocates and releases {@link #BUFFERS} buffers, counting those the leak detector tracks. */
    public static void main(String[] args) {
        AtomicInteger tracked = new AtomicInteger();
        ResourceLeakDetectorFactory plain = ResourceLeakDetectorFactory.instance();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                         long maxActive) {
                ResourceLeakDetector<T> inner = plain.newResourceLeakDetector(resource, samplingInterval, maxActive);
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    public ResourceLeakTracker<T> track(T obj) {
                        ResourceLeakTracker<T> tracker = inner.track(obj);
                        if (tracker != null) {
                            tracked.incrementAndGet();
                        }
                        return tracker;
                    }
                };
            }
        });
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(64);
            buf.writeLong(i);
            buf.release();
        }
        System.out.println("tracked " + tracked.get());
    }
}
