package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.testing.LauncherScript;
import dev.hdbg.host.cli.HdbgMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The AOT cache bin/hdbg-env.sh trains for agents started with {@code --elf} (hdbg_train_elf) covers a program's system
 * calls: a program run on it spins none of the syscall handlers' lambda classes in the guest's run. Without it, the
 * first system call made about 130 of them (and loaded the syscall classes from the jar), on the execution thread,
 * inside the run (docs/benchmarks.md, "Real programs' fixed costs, wave 12"). It covers the ELF symbol reader too,
 * which runs only when a session first asks for a module's symbols ("Real programs, wave 14"). Counted from the JVM's
 * class loading log, not timed; an agent without a cache is the control that shows each count can fail.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ElfTrainingIT {
    /** A class the JVM spun at run time from a lambda in the Linux system calls, not one read from an AOT cache. */
    private static final Pattern SPUN_SYSCALL_LAMBDA = Pattern.compile(
            "dev\\.hdbg\\.agent\\.os\\.linux\\.\\w+\\$\\$Lambda/\\S+ source: dev\\.hdbg\\.agent\\.os\\.linux\\.");
    /** A class of the Linux system calls (the virtual /proc of a static program's start) read from the jar. */
    private static final Pattern SYSCALL_CLASS_FROM_JAR = Pattern.compile(
            "dev\\.hdbg\\.agent\\.os\\.linux\\.\\S+ source: (file|jar):");
    /**
     * A class the JVM spun for a pattern switch of hdbg's (SwitchBootstraps), which no AOT cache holds; not
     * AgentRuntime's, which runs once as the agent starts, before any program.
     */
    private static final Pattern SPUN_TYPE_SWITCH = Pattern.compile(
            "dev\\.hdbg\\.(?!agent\\.AgentRuntime\\$)\\S+\\$\\$TypeSwitch/");
    /** A class of the ELF symbol reader read from the agent's jar or classes, not from an AOT cache. */
    private static final Pattern SYMBOL_READER_FROM_JAR = Pattern.compile(
            "dev\\.hdbg\\.agent\\.machine\\.elf\\.(ElfParser|SymbolFiles|Symbols)\\S* source: (file|jar):");

    @TempDir
    Path dir;

    @Test
    void aProgramOnTheTrainedElfCacheSpinsNoSyscallLambdasAndItsFirstXReadsSymbolsWithCachedClasses() throws Exception {
        Path cache = dir.resolve("agent-elf.aot");
        String trained = LauncherScript.run("export HDBG_JAVA_HOME=\"$1\" HDBG_AGENT_ELF_AOT=\"$2\"; hdbg_train_elf \"$3\"",
                System.getProperty("java.home"), cache.toString(), dir.toString());
        assertThat(cache).as("the training left no cache: %s", trained).isRegularFile();

        List<String> cached = List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        assertThat(classesLoaded(cached, "cached", "g\n", SPUN_SYSCALL_LAMBDA)).isZero();
        assertThat(classesLoaded(List.of(), "plain", "g\n", SPUN_SYSCALL_LAMBDA)).isGreaterThan(50);

        // A static program reads /proc/self/exe as it starts (static glibc), which no dynamic program of the training
        // did until busybox joined it: its classes came from the jar inside every static program's run, 3.5 ms of a
        // trivial one's (docs/benchmarks.md, "A program's first milliseconds, stop 43").
        Path busybox = Path.of("/bin/busybox");
        assertThat(classesLoaded(cached, "cached-static", busybox, "g\n", SYSCALL_CLASS_FROM_JAR)).isZero();
        assertThat(classesLoaded(List.of(), "plain-static", busybox, "g\n", SYSCALL_CLASS_FROM_JAR)).isPositive();
        // A pattern switch's first run spins a class, cache or not: none on a program's path (six did before stop 43)
        assertThat(classesLoaded(cached, "cached-switches", busybox, "g\n", SPUN_TYPE_SWITCH)).isZero();

        String askSymbols = "g\nx libc!mallo*\n";
        assertThat(classesLoaded(cached, "cached-x", askSymbols, SYMBOL_READER_FROM_JAR))
                .as("the symbol reader's classes a session's first x loads from the jar").isZero();
        assertThat(classesLoaded(List.of(), "plain-x", askSymbols, SYMBOL_READER_FROM_JAR)).isPositive();
    }

    /**
     * Runs /bin/true to its end in an agent started with JVM {@code options}, with the host's batch {@code script};
     * counts the classes the agent's class loading log has that match {@code loaded}.
     */
    private long classesLoaded(List<String> options, String name, String script, Pattern loaded) throws Exception {
        return classesLoaded(options, name, Path.of("/bin/true"), script, loaded);
    }

    /** {@link #classesLoaded(List, String, String, Pattern)} of {@code program}, run with no arguments. */
    private long classesLoaded(List<String> options, String name, Path program, String script, Pattern loaded)
            throws Exception {
        Path log = dir.resolve(name + "-classes.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-Xlog:class+load=info:file=" + log, "--enable-native-access=ALL-UNNAMED",
                "-cp", LauncherScript.run("hdbg_jars agent").strip(), "dev.hdbg.agent.AgentMain",
                "--elf", program.toString(), "--root", "/", "--listen", "127.0.0.1:0"));
        try (AgentProcess agent = AgentProcess.startCommand(command)) {
            StringWriter out = new StringWriter();
            CommandLine cli = HdbgMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            Path batch = Files.writeString(dir.resolve(name + ".txt"), script);
            cli.execute("--connect", "127.0.0.1:" + agent.port(), "--batch", batch.toString(), "--json");
            assertThat(out.toString()).as(out.toString()).contains("\"type\":\"exit\"");
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> loaded.matcher(l).find()).count();
        }
    }
}
