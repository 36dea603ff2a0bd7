package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.ChildJvm;
import dev.hdbg.common.testing.LauncherScript;
import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.record.DebuggerRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's hit path on an AOT cache trained as bin/hdbg-env.sh trains it (every kind of action on one address),
 * then run with one false machine-code condition, as bench/run.sh's row 2 runs it. JDK 25 compiles a trained method
 * from tier 2 to C2 only once the classes its training's C2 compile depended on are initialized in the run: with
 * runActions inlined into the training's compile of the upcall, that compile depended on the script's and the log's
 * classes, which such an agent never initializes, and the upcall stayed at tier 2 through a whole run. And with the
 * register batches inlined into the training's large compiles, C2 reached its node budget and left their downcalls out
 * (docs/benchmarks.md, "Trained hits, wave 16"). The child JVMs run with the launcher's agent options, the training
 * with the training's own beside them. Counted from their -XX:+AOTPrintTrainingInfo and -XX:+LogCompilation, not timed:
 * without the launcher's dontinline options the training's compiles of the hit path depend on those classes and the
 * batches are inlined, so the test can fail.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TrainedHitPathTest {
    private static final long BODY = 0x40000a;
    private static final byte[] FALSE_CONDITION = {0x31, (byte) 0xc0}; // xor eax, eax
    /** As many hits as the agent's training runs. */
    private static final long TRAINING_HITS = 300_000;
    private static final long HITS = 200_000;

    /** The hit path's methods, as -XX:+AOTPrintTrainingInfo names them in a compile's line. */
    private static final Pattern HIT_PATH_COMPILE = Pattern.compile("^\\s*C dev/hdbg/agent/(unicorn/Trampolines\\$Code"
            + "\\[L]\\.invoke|vmx/ExitHooks\\[L]\\.(onExecution|lambda\\$arm\\$\\d+)|debugger/Kicker\\$2\\[L]\\.onExit"
            + "|debugger/ActionRunner\\[L]\\.(onExit|trigger|conditionHolds))\\(.*L4 .*");
    /** Classes only the script's and the log's actions initialize. */
    private static final Pattern ACTION_CLASS = Pattern.compile(" dep:dev/hdbg/(agent/debugger/ScriptActions"
            + "|agent/script/PrintfRenderer|common/record/DebuggerRecord\\$(Log|ScriptOutput))\\[");

    @Test
    void theTrainedHitPathWaitsForNoActionsClassesAndCompilesTheRegisterBatchesAlone(@TempDir Path dir) throws Exception {
        String classPath = jarredClassPath(dir);
        List<String> options = LauncherScript.lines("hdbg_jvm_options", "agent");
        List<String> training = new ArrayList<>(options);
        training.addAll(LauncherScript.run("hdbg_lines \"${HDBG_AGENT_TRAINING_JIT[@]}\"").lines()
                .filter(l -> !l.isBlank()).toList());
        training.addAll(List.of("-XX:AOTCacheOutput=" + dir.resolve("agent.aot"), "-Xlog:aot*=off"));
        assertThat(child(training, classPath, "training")).contains("exited after " + TRAINING_HITS);

        String trained = child(withCache(options, dir, "-XX:+UnlockDiagnosticVMOptions", "-XX:+AOTPrintTrainingInfo"),
                classPath, "none");
        List<String> hitPath = trained.lines().filter(l -> HIT_PATH_COMPILE.matcher(l).matches()).toList();
        assertThat(hitPath).as("the training's C2 compiles of the hit path").isNotEmpty();
        assertThat(hitPath.stream().filter(l -> ACTION_CLASS.matcher(l).find())
                .map(l -> l.trim().split(" ")[1] + " waits for " + ACTION_CLASS.matcher(l).results()
                        .map(m -> m.group().trim()).toList()).distinct())
                .as("C2 compiles of the hit path that wait for the actions' classes").isEmpty();

        Path log = dir.resolve("compilation.log");
        String inlining = child(withCache(options, dir, "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation",
                "-XX:LogFile=" + log), classPath, "condition");
        assertThat(inlining).contains("exited after " + HITS);
        assertThat(inliningDecisions(Files.readAllLines(log), "dev.hdbg.agent.unicorn.Registers", "readBatch"))
                .as("inlining decisions at the call sites of the register batch read").isNotEmpty()
                .allMatch(reason -> reason.equals("disallowed by CompileCommand"));
    }

    private static final Pattern KLASS = Pattern.compile("<klass id='(\\d+)' name='([^']*)'");
    private static final Pattern METHOD = Pattern.compile("<method id='(\\d+)' holder='(\\d+)' name='([^']*)'");
    private static final Pattern CALL = Pattern.compile("<call method='(\\d+)'");
    private static final Pattern DECISION = Pattern.compile("<inline_(?:fail|success) reason='([^']*)'");

    /**
     * The compilers' reason at each call site of {@code holder.name}, from -XX:+LogCompilation: each compiler thread's
     * log is whole there, where -XX:+PrintInlining's lines from C1 and C2 interleave on a busy machine (a reason landed
     * on another compile's line and failed this test in a fresh-clone CI). Ids are a task's own.
     */
    static List<String> inliningDecisions(List<String> log, String holder, String name) {
        Map<String, String> klasses = new HashMap<>();
        Map<String, String> methods = new HashMap<>();
        List<String> reasons = new ArrayList<>();
        boolean atCall = false;
        for (String line : log) {
            if (line.startsWith("<task ")) {
                klasses.clear();
                methods.clear();
                atCall = false;
            }
            Matcher m;
            if ((m = KLASS.matcher(line)).lookingAt()) {
                klasses.put(m.group(1), m.group(2));
            } else if ((m = METHOD.matcher(line)).lookingAt()) {
                methods.put(m.group(1), klasses.get(m.group(2)) + "::" + m.group(3));
            } else if ((m = CALL.matcher(line)).lookingAt()) {
                atCall = (holder + "::" + name).equals(methods.get(m.group(1)));
            } else if (atCall && (m = DECISION.matcher(line)).lookingAt()) {
                reasons.add(m.group(1));
                atCall = false;
            }
        }
        return reasons;
    }

    private static List<String> withCache(List<String> options, Path dir, String... printing) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("-XX:AOTCache=" + dir.resolve("agent.aot"), "-Xlog:aot*=off"));
        all.addAll(List.of(printing));
        return all;
    }

    /**
     * This JVM's class path with each directory of classes made a jar: an AOT cache holds only classes from jars, so
     * without them the cache would hold no training of the agent's own methods.
     */
    private static String jarredClassPath(Path dir) throws IOException {
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jarred = dir.resolve(entries.size() + ".jar");
                assertThat(jar.run(System.out, System.err, "--create", "--file", jarred.toString(), "-C", entry, "."))
                        .isZero();
                entries.add(jarred.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String child(List<String> options, String classPath, String events)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dhdbg.trainedHits.events=" + events));
        return ChildJvm.run(all, classPath, TrainedHitPathTest.class, Duration.ofSeconds(120));
    }

    /**
     * The child: the loop sample with hot events on its body, run to its end. {@code training}: the agent training's
     * four events (hdbg_train in bin/hdbg-env.sh); {@code condition}: the false condition alone; {@code none}: nothing
     * (the JVM prints what its options ask for at start).
     */
    public static void main(String[] args) throws Exception {
        String which = System.getProperty("hdbg.trainedHits.events");
        if (which.equals("none")) {
            return;
        }
        boolean training = which.equals("training");
        long hits = training ? TRAINING_HITS : HITS;
        List<EventSpec> events = new ArrayList<>(List.of(new EventSpec(EventType.EPT_HOOK, BODY, OptionalLong.empty(),
                Optional.of(MachineCode.of(FALSE_CONDITION)), List.of(), true)));
        if (training) {
            events.add(EventSpec.eptHook(BODY, List.of(
                    new ActionSpec.Script("if (@rdi == 0x12345) { pause(); }", 0, true))));
            events.add(EventSpec.eptHook(BODY, List.of(new ActionSpec.Log(
                    new LogConfiguration(List.of(new LogItem.Register("rdi"))), false))));
            events.add(EventSpec.eptHook(BODY, List.of(
                    new ActionSpec.Script("printf(\"%llx %llx\\n\", @rax, @rcx);", 0, false))));
        }
        try (Machine machine = new Machine()) {
            var info = Target.sample("loop").loadInto(machine);
            RecordQueue queue = new RecordQueue(4096, 256, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            CountDownLatch exited = new CountDownLatch(1);
            queue.attach(batch -> {
                for (DebuggerRecord record : batch) {
                    if (record instanceof DebuggerRecord.Exit) {
                        exited.countDown();
                    }
                }
            });
            try {
                debugger.setTarget(info);
                debugger.writeRegister(GuestRegister.RCX, hits).get();
                for (EventSpec event : events) {
                    debugger.addEvent(event).get();
                }
                debugger.cont().get();
                if (!exited.await(100, TimeUnit.SECONDS)) {
                    throw new AssertionError("the loop did not end");
                }
            } finally {
                debugger.close();
                queue.close();
            }
        }
        System.out.println("exited after " + hits + " hits");
    }
}
