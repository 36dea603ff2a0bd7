package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.TargetState;
import dev.hdbg.host.cli.HdbgMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Debian's gdb, in batch mode, against {@code hdbg --connect AGENT --gdb 127.0.0.1:0} on a {@code gcc -static -g}
 * program under a real agent: what a user types in gdb works as it does with gdbserver, and {@code monitor} reaches
 * hdbg's events. The programs are in {@code src/test/resources/gdb}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GdbBridgeIT {
    private static final Pattern LISTENING = Pattern.compile("gdb: listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    static Path dir;

    @BeforeAll
    static void compile() throws Exception {
        for (String resource : List.of("gdb/calls", "gdb/spin", "gdb/crash", "gdb/signals", "gdb/named", "gdb/tally",
                "elf/threads", "elf/selfstop")) {
            String name = resource.substring(resource.indexOf('/') + 1);
            Path source = dir.resolve(name + ".c");
            try (InputStream in = GdbBridgeIT.class.getResourceAsStream("/" + resource + ".c")) {
                Files.copy(in, source);
            }
            Process gcc = new ProcessBuilder("gcc", "-static", "-g", "-O0", "-o", dir.resolve(name).toString(),
                    source.toString()).redirectErrorStream(true).start();
            String messages = new String(gcc.getInputStream().readAllBytes());
            assertThat(gcc.waitFor()).as("gcc -static -g %s.c:\n%s", name, messages).isZero();
        }
        Process gcc = new ProcessBuilder("gcc", "-g", "-O0", "-o", dir.resolve("calls-dynamic").toString(),
                dir.resolve("calls.c").toString()).redirectErrorStream(true).start();
        String messages = new String(gcc.getInputStream().readAllBytes());
        assertThat(gcc.waitFor()).as("gcc -g calls.c (dynamically linked):\n%s", messages).isZero();
    }

    /** The bridge in this process, as {@code hdbg --connect 127.0.0.1:PORT --gdb 127.0.0.1:0} runs it. */
    private record Bridge(CompletableFuture<Integer> exit, StringWriter out, int port) {
        static Bridge start(AgentProcess agent) throws Exception {
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new HdbgMain());
            PrintWriter writer = new PrintWriter(out, true);
            cli.setOut(writer);
            cli.setErr(writer);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
                    "--connect", "127.0.0.1:" + agent.port(), "--gdb", "127.0.0.1:0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(out.toString());
                if (m.find()) {
                    return new Bridge(exit, out, Integer.parseInt(m.group(1)));
                }
                assertThat(exit).as("hdbg --gdb ended early:\n%s", out).isNotDone();
                Thread.sleep(20);
            }
            throw new AssertionError("the bridge did not listen:\n" + out);
        }
    }

    /** gdb -batch on {@code program} with {@code commands} after {@code target remote}; its output, stdout and stderr. */
    private static Process gdb(String program, int port, String... commands) throws IOException {
        List<String> command = new ArrayList<>(List.of("gdb", "-batch", "-nx", "-ex", "set confirm off",
                "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            command.add("-ex");
            command.add(c);
        }
        command.add(dir.resolve(program).toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** What gdb and the bridge printed in one session. */
    private record GdbRun(String gdb, String bridge) {
    }

    /**
     * gdb -batch on {@code program} with {@code commands}, through a new bridge to {@code agent}, which exits 0 once
     * gdb has ended.
     */
    private static GdbRun gdbThroughBridge(AgentProcess agent, String program, String... commands) throws Exception {
        Bridge bridge = Bridge.start(agent);
        String out = finish(gdb(program, bridge.port(), commands));
        assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).as("hdbg --gdb:\n%s", bridge.out()).isZero();
        return new GdbRun(out, bridge.out().toString());
    }

    private static String finish(Process gdb) throws Exception {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        if (!gdb.waitFor(120, TimeUnit.SECONDS)) {
            gdb.destroyForcibly();
            throw new AssertionError("gdb did not finish:\n" + output.getNow(""));
        }
        return output.get(10, TimeUnit.SECONDS);
    }

    @Test
    void gdbsBreakpointConditionIsEvaluatedInTheAgent() throws Exception {
        // gdb sends the condition with Z0 (ConditionalBreakpoints+) and the agent evaluates it at each hit: gdb is
        // told of the true hit alone ("already hit 1 time"), and a new condition replaces the old one
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls", "break main", "continue", "break f if a == 6", "continue",
                    "p a", "info breakpoints", "condition 2 a == 100 || a == 7", "continue", "p a", "delete",
                    "continue");
            String out = run.gdb();

            assertThat(out).as(out).containsSubsequence("Breakpoint 2, f (a=6)", "$1 = 6",
                    "stop only if a == 6 (target evals)", "breakpoint already hit 1 time",
                    "Breakpoint 2, f (a=7)", "$2 = 7", "exited normally");
            String screen = run.bridge();
            assertThat(screen.split("\\(!epthook", -1).length - 1).as("the agent broke in at the true hits alone:\n%s",
                    screen).isEqualTo(2);
        }
    }

    @Test
    void aConditionTheAgentCannotReadIsGdbsAndStillHolds() throws Exception {
        // Twenty alternatives are more branches than the bridge follows (AgentExpression's 16): the condition is not
        // read into the agent's script, the agent stops at every hit, and gdb, which tests the condition again at each
        // stop, goes on until it holds (a = 5, 6, 7: at 6)
        StringBuilder alternatives = new StringBuilder();
        for (int i = 100; i < 119; i++) {
            alternatives.append("a == ").append(i).append(" || ");
        }
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls", "break main", "continue",
                    "break f if " + alternatives + "a == 6", "continue", "p a", "delete", "continue");
            String out = run.gdb();

            assertThat(out).as(out).containsSubsequence("Breakpoint 2, f (a=6)", "$1 = 6", "exited normally");
            String screen = run.bridge();
            assertThat(screen).as("a plain breakpoint, no event of the agent's:\n%s", screen)
                    .doesNotContain("(!epthook");
        }
    }

    @Test
    void aDivisionIsTheAgentsAndADivisionByZeroStopsAsInGdb() throws Exception {
        // gdb's div_signed is read into the agent's script: at a = 6 the condition is false in the agent; at a = 5 it
        // would divide by zero, and the agent breaks in where gdb, testing it again, stops with "Division by zero"
        // (as its own evaluation does); at a = 7 it holds
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls", "break main", "continue", "break f if 6 / (a - 5) == 3",
                    "continue", "p a", "continue", "p a", "delete", "continue");
            String out = run.gdb();

            assertThat(out).as(out).containsSubsequence("Error in testing breakpoint condition:", "Division by zero",
                    "Breakpoint 2, f (a=5)", "$1 = 5", "Breakpoint 2, f (a=7)", "$2 = 7", "exited normally");
            String screen = run.bridge();
            assertThat(screen.split("\\(!epthook", -1).length - 1).as("the agent broke in at a = 5 and 7 alone:\n%s",
                    screen).isEqualTo(2);
        }
    }

    @Test
    void aConditionWhoseReadFaultsStopsTheTargetAndGdbSaysWhy() throws Exception {
        // The agent checks the condition's reads on the branch it takes: at a = 5 and 7 the read of address 8 would
        // fault and the agent breaks in, where gdb, testing the condition again, fails to read it and stops with its
        // error (as gdbserver stops when its evaluation fails); at a = 6 the || is true before the read, a plain hit.
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls", "break main", "continue",
                    "break f if a == 6 || *(long *) 8 == 1", "continue", "p a", "continue", "p a", "continue", "p a",
                    "delete", "continue");
            String out = run.gdb();

            assertThat(out).as(out).containsSubsequence(
                    "Error in testing breakpoint condition:", "Cannot access memory at address 0x8", "$1 = 5",
                    "Breakpoint 2, f (a=6)", "$2 = 6",
                    "Error in testing breakpoint condition:", "Cannot access memory at address 0x8", "$3 = 7",
                    "exited normally");
            String screen = run.bridge();
            assertThat(screen).as(screen).doesNotContain("script: stopped");
        }
    }

    @Test
    void gdbsNextIsARangeStepTheAgentTakesAtOnce() throws Exception {
        // gdb steps a source line with vCont;r when the stub offers it (range stepping): one request to the agent for
        // the line's instructions, not a stepi round trip each (protocol 1.20)
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls", "break calls.c:19", "continue", "delete",
                    "set debug remote 1", "next", "next", "next", "set debug remote 0", "p i", "info line *$pc",
                    "kill");
            String out = run.gdb();

            assertThat(out).as(out).contains("Breakpoint 1, main () at ")
                    .containsPattern("Sending packet: \\$vCont;r[0-9a-f]+,[0-9a-f]+")
                    .containsPattern("18\\s+for \\(long i = 0; i < 1000; i\\+\\+\\) \\{")
                    .contains("$1 = 1")
                    .containsPattern("Line 18 of \".*calls.c\"");
        }
    }

    @Test
    void gdbBreaksStepsWatchesAndReachesHdbgsEventsThroughMonitor() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            GdbRun run = gdbThroughBridge(agent, "calls",
                    "break f", "continue", "bt", "info registers rip", "p x", "x/4gx $rsp",
                    // hdbg's event commands take numbers (hex, as HyperDbg's: "f" is 0xf): gdb writes f's address in
                    "eval \"monitor !epthook %lx log {rdi}\", (long) &f",
                    "watch global", "continue", "delete",
                    "finish", "stepi 100", "info registers rip",
                    "until", "info proc mappings", "monitor events", "continue",
                    "kill");
            String out = run.gdb();

            assertThat(out).as(out)
                    .contains("Breakpoint 1, f (a=5) at ")
                    .containsPattern("#0  f \\(a=5\\) at .*calls.c:8")
                    .containsPattern("#1  0x[0-9a-f]+ in main \\(\\) at .*calls.c:16")
                    .containsPattern("rip +0x[0-9a-f]+ +0x[0-9a-f]+ <f\\+\\d+>")
                    .contains("$1 = 42")
                    .containsPattern("0x7ffffe[0-9a-f]+:\\s+0x[0-9a-f]{16}\\s+0x0000000000401[0-9a-f]{3}")
                    .contains("Hardware watchpoint 2: global")
                    .contains("Old value = 0", "New value = 11")
                    // x86 reports a data breakpoint after the write: the next line of f, as with gdbserver
                    .containsPattern("f \\(a=5\\) at .*calls.c:10\\s+10\\s+return y \\+ x;")
                    .contains("Value returned is $2 = 52")
                    .containsPattern("0x401000\\s+0x4[0-9a-f]{5}\\s+0x[0-9a-f]+\\s+0x0\\s+r-xp\\s+.*calls")
                    .contains("event 0 added with action 1")
                    // the hook's records reach gdb's console while the target runs: f(6) and f(7)
                    .contains("event 0: rdi=0x6", "event 0: rdi=0x7")
                    .containsPattern("0 +enabled +!epthook +0x401[0-9a-f]{3} +2 +log")
                    .containsPattern("\\[Inferior 1 \\(.*\\) exited normally\\]")
                    .doesNotContain("Remote connection closed", "Protocol error", "Ignoring packet error");
            assertThat(out.lines().filter(l -> l.startsWith("rip ")).count()).as(out).isEqualTo(2);
            // The bridge's screen: the breakpoint and the watchpoint's stops, not each of gdb's 100 steps (gdb shows them)
            assertThat(run.bridge()).as(run.bridge())
                    .containsPattern("\\[break +#\\d+\\] breakpoint")
                    .doesNotContain("stepped");
        }
    }

    /**
     * A dynamically linked PIE run with {@code --root /}: gdb places the program and the dynamic linker from the
     * auxiliary vector ({@code qXfer:auxv:read}) and finds the shared libraries through the dynamic linker's list in
     * memory, as with gdbserver, and reads their symbols ({@code bt} in libc's {@code printf}); the local files are
     * the target's ({@code set sysroot /}).
     */
    /**
     * A program a signal's default action ends stops first, as under gdbserver (protocol 1.18): gdb says "Program
     * received signal", shows the stack at the faulting store (or in abort) and the signal's siginfo ({@code $_siginfo}),
     * and the next continue ends the program.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"segv, SIGSEGV, 11, Segmentation fault, #0  (0x[0-9a-f]+ in )?depth \\(n=0\\) at .*crash.c:11",
            "assert, SIGABRT, 6, Aborted, #[2-9]  0x[0-9a-f]+ in abort \\(\\)"})
    void gdbStopsAtASignalThatEndsTheProgramBeforeItEnds(String how, String signal, int number, String description,
                                                         String frame) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("crash").toString(), "--", how)) {
            GdbRun run = gdbThroughBridge(agent, "crash", "continue", "bt", "info registers rip",
                    "p $_siginfo.si_signo", "continue");
            String out = run.gdb();

            assertThat(out).as(out)
                    .contains("Program received signal " + signal + ", " + description + ".")
                    .containsPattern(frame)
                    .containsPattern("#[1-9]  0x[0-9a-f]+ in main \\(argc=[12], argv=0x[0-9a-f]+\\) at .*crash.c:2[0-3]")
                    .containsPattern("rip +0x[0-9a-f]+ +0x[0-9a-f]+ <")
                    .contains("$1 = " + number) // qXfer:siginfo:read, the signal the stop holds back
                    .contains("Program terminated with signal " + signal + ", " + description + ".")
                    .doesNotContain("Remote failure reply", "Protocol error");
            assertThat(out.indexOf("Program received")).isLessThan(out.indexOf("Program terminated"));
            assertThat(HdbgBatch.run(dir, agent, "settings breakonfatal\n").out())
                    .as("the bridge leaves the agent's setting as it found it").contains("breakonfatal off");
        }
    }

    /**
     * gdb's {@code signal 0} at the stop before a fault's signal drops the signal, as ptrace's: moved past the faulting
     * store, the program runs on and exits with depth(3)'s 3. The prompt's {@code gh} (WinDbg's) does the same, and
     * without the move the store faults again and breaks again.
     */
    @Test
    void signal0InGdbAndGhAtThePromptGoOnWithoutTheSignalOfAFault() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("crash").toString())) {
            GdbRun run = gdbThroughBridge(agent, "crash", "continue", "x/i $pc", "set $pc = $pc + 6", "signal 0");
            String out = run.gdb();
            assertThat(out).as(out)
                    .contains("Program received signal SIGSEGV")
                    .containsPattern("=> 0x[0-9a-f]+ <depth\\+\\d+>:\\s+movl\\s+\\$0x1,\\(%rax\\)")
                    .contains("[Inferior 1 (process 1000) exited with code 03]")
                    .doesNotContain("Program terminated");
        }
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("crash").toString())) {
            String out = HdbgBatch.run(dir, agent, "settings breakonfatal on\ng\ngh\nr rip = rip + 6\ngh\n").out();
            assertThat(out).as(out)
                    .containsPattern("(?s)fault: signal 11 \\(SIGSEGV\\).*hdbg> gh\n\\[break +#\\d+\\] fault: signal 11")
                    .contains("the program exited with status 3");
        }
    }

    /**
     * gdb sees a program's signals as under gdbserver (protocol 1.19): it passes the timer's SIGALRM without a stop
     * (QPassSignals), stops at raise's SIGUSR1 and at a SIGSEGV the program handles, and {@code signal SIGUSR2}
     * delivers another signal in SIGUSR1's place (GDB's number 31 is Linux's 12); {@code stepi} at a signal stops at
     * its handler's first instruction, and {@code handle SIGSEGV nostop} lets the fault go to its handler unseen. The
     * outputs are gdbserver's, checked by hand on the same binary. The agent's set is put back after each session.
     */
    @Test
    void gdbStopsAtEachSignalItDoesNotPassAndResumesWithTheSignalItNames() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("signals").toString())) {
            GdbRun run = gdbThroughBridge(agent, "signals", "continue", "p $_siginfo.si_signo", "signal SIGUSR2",
                    "p $_siginfo.si_signo", "x/i $pc", "continue");
            String out = run.gdb();
            assertThat(out).as(out)
                    .contains("Program received signal SIGUSR1, User defined signal 1.")
                    .contains("$1 = 10")
                    .contains("Program received signal SIGSEGV, Segmentation fault.")
                    .contains("$2 = 11")
                    .containsPattern("=> 0x[0-9a-f]+ <main\\+\\d+>:\\s+movl\\s+\\$0x1,\\(%rax\\)")
                    .contains("usr1 0, usr2 1, alarms 1, segvs 1")
                    .contains("[Inferior 1 (process 1000) exited normally]")
                    .doesNotContain("SIGALRM", "Remote failure reply", "Protocol error");
            assertThat(out.indexOf("SIGUSR1, User")).isLessThan(out.indexOf("SIGSEGV, Segmentation"));
            assertThat(HdbgBatch.run(dir, agent, "sx\n").out()).as("the set the session found")
                    .contains("no signal breaks before its delivery");
        }
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("signals").toString())) {
            GdbRun run = gdbThroughBridge(agent, "signals", "continue", "stepi", "x/i $pc",
                    "handle SIGSEGV nostop noprint", "continue");
            String out = run.gdb();
            assertThat(out).as(out)
                    .contains("Program received signal SIGUSR1")
                    .containsPattern("on_usr1 \\(s=\\d+\\) at .*signals.c:13")
                    .containsPattern("=> 0x[0-9a-f]+ <on_usr1>:")
                    .contains("usr1 1, usr2 0, alarms 1, segvs 1")
                    .doesNotContain("SIGSEGV", "SIGALRM");
        }
    }

    /**
     * A program that stops itself (job control, stop 56) stops gdb as a signal does; each continue goes on with
     * SIGCONT, whose handler runs, as a shell's fg would. kill's SIGTSTP first stops before its delivery (gdb does not
     * pass it silently), then, passed, stops the program.
     */
    @Test
    void aProgramThatStopsItselfStopsGdbAndContinueGoesOnWithSigcont() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("selfstop").toString())) {
            GdbRun run = gdbThroughBridge(agent, "selfstop", "continue", "continue", "continue", "continue",
                    "continue");
            String out = run.gdb();
            assertThat(out).as(out)
                    .contains("Program received signal SIGSTOP, Stopped (signal).")
                    .contains("continued, SIGCONT handled 1 time(s)")
                    .contains("Program received signal SIGTSTP, Stopped (user).")
                    .contains("continued again, SIGCONT handled 2 time(s)")
                    .contains("[Inferior 1 (process 1000) exited normally]")
                    .doesNotContain("deadlock", "SIGKILL", "Remote failure reply");
        }
    }

    /**
     * gdb's {@code catch syscall} (QCatchSyscalls, as gdbserver serves it) is HyperDbg's {@code !syscall} and
     * {@code !sysret}: the call's entry, then its return with the result in rax; the events are the agent's while gdb
     * catches, and go with the catchpoint.
     */
    @Test
    void gdbCatchesASystemCallAtItsEntryAndItsReturn() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("crash").toString())) {
            GdbRun run = gdbThroughBridge(agent, "crash", "catch syscall write", "continue", "monitor events",
                    "continue", "p $rax", "x/i $pc", "delete", "continue", "monitor events");
            String out = run.gdb();

            assertThat(out).as(out)
                    .contains("Catchpoint 1 (syscall 'write' [1])")
                    .containsPattern("Catchpoint 1 \\(call to syscall write\\), 0x[0-9a-f]+ in write \\(\\)")
                    .containsPattern("enabled +!syscall +0x1")
                    .containsPattern("Catchpoint 1 \\(returned from syscall write\\), 0x[0-9a-f]+ in write \\(\\)")
                    .contains("$1 = 13") // "about to end\n"
                    .contains("Program received signal SIGSEGV")
                    .doesNotContain("does not support this type", "Remote failure reply", "Protocol error");
            assertThat(out.indexOf("call to syscall write")).isLessThan(out.indexOf("about to end"));
            assertThat(out.indexOf("about to end")).isLessThan(out.indexOf("returned from syscall write"));
            // At the return the program counter is past the SYSCALL, as Linux shows it to gdb.
            String atReturn = out.substring(out.indexOf("$1 = 13"), out.indexOf("Program received signal SIGSEGV"));
            assertThat(atReturn).as(out).containsPattern("=> 0x[0-9a-f]+ <write\\+[0-9]+>:").doesNotContain("syscall");
            // gdb tells the target what it catches when it resumes it, as it tells gdbserver
            String afterDelete = out.substring(out.indexOf("Program received signal SIGSEGV"));
            assertThat(afterDelete).as("the events went with the catchpoint").doesNotContain("!syscall", "!sysret");
        }
    }

    @Test
    void gdbDebugsADynamicallyLinkedProgram() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls-dynamic").toString(), "--root", "/")) {
            Bridge bridge = Bridge.start(agent);
            // No "set sysroot": gdb reads the dynamic linker and libc from the target through the bridge's vFile, as
            // from gdbserver (protocol 1.17's ReadFileRequest); the relative-path test below reads them locally.
            Process gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-ex", "set confirm off",
                    "-ex", "target remote 127.0.0.1:" + bridge.port(), "-ex", "break f", "-ex", "continue", "-ex", "bt",
                    "-ex", "p x", "-ex", "info sharedlibrary", "-ex", "finish", "-ex", "stepi", "-ex", "info registers rip",
                    "-ex", "delete 1", "-ex", "break printf", "-ex", "continue", "-ex", "bt",
                    "-ex", "kill", dir.resolve("calls-dynamic").toString()).redirectErrorStream(true).start();
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).as("hdbg --gdb:\n%s", bridge.out()).isZero();

            assertThat(out).as(out)
                    .contains("Breakpoint 1, f (a=5) at ")
                    .containsPattern("#0  f \\(a=5\\) at .*calls.c:8")
                    .containsPattern("#1  0x0000555555[0-9a-f]+ in main \\(\\) at .*calls.c:16")
                    .contains("$1 = 42")
                    .containsPattern("0x[0-9a-f]+ +0x[0-9a-f]+ +Yes +target:/lib64/ld-linux-x86-64.so.2")
                    .containsPattern("0x[0-9a-f]+ +0x[0-9a-f]+ +Yes +target:/lib/x86_64-linux-gnu/libc.so.6")
                    .doesNotContain("Could not open", "does not support file transfer")
                    // gdb 13 wants each library's namespace (lmid), or warns and walks the link maps itself
                    .doesNotContain("while parsing target library list")
                    .contains("Value returned is $2 = 52")
                    .containsPattern("rip +0x5555555[0-9a-f]+ +0x[0-9a-f]+ <main\\+\\d+>")
                    // libc's symbols were read (issue 14): the breakpoint is in libc's printf, not the program's stub
                    .containsPattern("#0  [^\\n]*printf \\(")
                    .containsPattern("#1  0x0000555555[0-9a-f]+ in main \\(\\) at .*calls.c:21")
                    .doesNotContain("printf@plt")
                    .contains("[Inferior 1 (process 1000) killed]")
                    .doesNotContain("Remote failure reply", "Cannot insert breakpoint", "Protocol error");
        }
    }

    /**
     * A threaded program's threads are gdb's (issue 14: {@code qXfer:threads} once threads exist): each core's thread
     * is listed with its process ({@code Thread 1000.1001}), a breakpoint names the thread that hit it, {@code thread N}
     * shows that thread's registers and stack (main's, waiting in the library), and {@code stepi} steps the chosen one:
     * a running thread at once, the waiting main thread once the others have woken it, as ptrace's step of a thread in
     * a system call completes the call.
     */
    @Test
    void gdbSeesEachThreadOfAThreadedProgramAndSwitchesBetweenThem() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("threads").toString())) {
            Bridge bridge = Bridge.start(agent);
            Process gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-ex", "set confirm off",
                    "-ex", "target remote 127.0.0.1:" + bridge.port(), "-ex", "break add", "-ex", "continue",
                    "-ex", "info threads", "-ex", "thread 1", "-ex", "bt", "-ex", "thread 2", "-ex", "stepi",
                    "-ex", "p $pc", "-ex", "delete", "-ex", "thread 1", "-ex", "stepi", "-ex", "info threads",
                    "-ex", "continue", dir.resolve("threads").toString())
                    .redirectErrorStream(true).start();
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).as("hdbg --gdb:\n%s", bridge.out()).isZero();

            assertThat(out).as(out)
                    .contains("[New Thread 1000.1001]")
                    .containsPattern("Thread 2 \"threads\" hit Breakpoint 1, add \\(unused=0x0\\) at .*threads.c:\\d+")
                    .containsPattern("(?m)^  1 +Thread 1000\\.1000 \"threads\" +")
                    .containsPattern("(?m)^\\* 2 +Thread 1000\\.1001 \"threads\" +add \\(unused=0x0\\)")
                    .contains("[Switching to thread 1 (Thread 1000.1000)]")
                    .containsPattern("#\\d+ +0x[0-9a-f]+ in main \\(\\) at .*threads.c:\\d+")
                    .contains("[Switching to thread 2 (Thread 1000.1001)]")
                    // thread 1 waits in pthread_join's futex: its stepi completes once the others have woken it
                    .containsPattern("(?m)^\\* 1 +Thread 1000\\.1000 +")
                    .contains("4 threads, counter 400000")
                    .contains("[Inferior 1 (process 1000) exited normally]")
                    .doesNotContain("Remote failure reply", "Could not read registers", "Protocol error");
            // thread 2's stepi moved it past the breakpoint, within add
            Matcher breakpoint = Pattern.compile("Breakpoint 1 at (0x[0-9a-f]+)").matcher(out);
            Matcher pc = Pattern.compile("\\$1 = \\(void \\(\\*\\)\\(\\)\\) (0x[0-9a-f]+) <add\\+\\d+>").matcher(out);
            assertThat(breakpoint.find() && pc.find()).as(out).isTrue();
            assertThat(Long.decode(pc.group(1))).isGreaterThan(Long.decode(breakpoint.group(1)));
        }
    }

    /**
     * The agent started with a relative {@code --elf} path: the bridge names the program, by an absolute path, as
     * gdbserver does ({@code qXfer:exec-file}), so gdb, given no program, reads it and places the dynamic linker's
     * breakpoint and the user's. The relative path's regions used to keep the name as given, and the bridge named
     * the first region with an absolute path: the dynamic linker's.
     */
    /**
     * Threads' names (protocol 1.19, Linux's comm) reach gdb's {@code info threads} as gdbserver gives them: main renamed
     * itself "boss" with prctl, the worker "worker" with pthread_setname_np; the program reads its names back as it
     * does natively, /proc/self/comm included. The lines are gdbserver's on the same binary (checked by hand, stop 35).
     */
    @Test
    void gdbShowsEachThreadsNameAsTheProgramSetIt() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("named").toString())) {
            GdbRun run = gdbThroughBridge(agent, "named", "break stop_here", "continue", "info threads",
                    "info auxv", "info proc exe", "info proc cmdline", "continue");
            String out = run.gdb();
            assertThat(out).as(out)
                    .containsPattern("Thread 1 \"boss\" hit Breakpoint 1, stop_here \\(\\) at .*named.c:\\d+")
                    .containsPattern("(?m)^\\* 1 +Thread 1000\\.1000 \"boss\" +stop_here \\(\\)")
                    .containsPattern("(?m)^  2 +Thread 1000\\.1001 \"worker\" +")
                    .contains("worker: worker", "main: boss")
                    // the process's own vector (/proc/PID/auxv, protocol 1.19), as gdbserver sends it
                    .containsPattern("33 +AT_SYSINFO_EHDR +System-supplied DSO's ELF header +0x[0-9a-f]+")
                    .containsPattern("25 +AT_RANDOM +Address of 16 random bytes +0x[0-9a-f]+")
                    .containsPattern("31 +AT_EXECFN +File name of executable +0x[0-9a-f]+ \".*/named\"")
                    .containsPattern("exe = '.*/named'")
                    .containsPattern("cmdline = '.*/named'")
                    .contains("[Inferior 1 (process 1000) exited normally]");
            assertThat(HdbgBatch.run(dir, agent, "~\n").out()).as("the prompt's ~ after the end")
                    .containsPattern("core 0  thread 1000 \"boss\"");
        }
    }

    @Test
    void gdbFindsADynamicProgramTheAgentWasGivenByARelativePath() throws Exception {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("calls-dynamic"));
        assertThat(relative.isAbsolute()).isFalse();
        try (AgentProcess agent = AgentProcess.start("--elf", relative.toString(), "--root", "/")) {
            Bridge bridge = Bridge.start(agent);
            Process gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-ex", "set confirm off", "-ex", "set sysroot /",
                    "-ex", "target remote 127.0.0.1:" + bridge.port(), "-ex", "info inferiors", "-ex", "break f",
                    "-ex", "continue", "-ex", "bt", "-ex", "kill").redirectErrorStream(true).start();
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).as("hdbg --gdb:\n%s", bridge.out()).isZero();

            assertThat(out).as(out)
                    .contains(dir.resolve("calls-dynamic").toString())
                    .contains("Breakpoint 1, f (a=5) at ")
                    .containsPattern("#1  0x0000555555[0-9a-f]+ in main \\(\\) at .*calls.c:16")
                    .contains("[Inferior 1 (process 1000) killed]")
                    .doesNotContain("Unable to find dynamic linker breakpoint function", "Remote failure reply");
        }
    }

    /**
     * A second client with another feature set: gdb-multiarch, given no program, learns it from the bridge
     * ({@code qXfer:exec-file}) and reads its symbols from the local disk ({@code set sysroot /}).
     */
    @Test
    void gdbMultiarchFindsTheProgramThroughTheBridge() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            Bridge bridge = Bridge.start(agent);
            Process gdb = new ProcessBuilder("gdb-multiarch", "-batch", "-nx", "-ex", "set confirm off",
                    "-ex", "set sysroot /", "-ex", "target remote 127.0.0.1:" + bridge.port(),
                    "-ex", "break f", "-ex", "continue", "-ex", "bt", "-ex", "p $xmm0.v2_int64", "-ex", "nexti",
                    "-ex", "detach").redirectErrorStream(true).start();
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).isZero();
            assertThat(out).as(out).containsPattern("Reading symbols from .*calls")
                    .contains("Breakpoint 1, f (a=5) at ")
                    .containsPattern("#1  0x[0-9a-f]+ in main \\(\\) at .*calls.c:16")
                    .containsPattern("\\$1 = \\{-?\\d+, -?\\d+\\}")
                    .contains("[Inferior 1 (process 1000) detached]");
            assertThat(bridge.out().toString()).contains("detached; the target stays as it is");
        }
    }

    @Test
    void ctrlCInGdbInterruptsAProgramThatLoopsForever() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("spin").toString())) {
            Bridge bridge = Bridge.start(agent);
            Process gdb = gdb("spin", bridge.port(), "continue", "info registers rip", "p counter > 1000", "kill");
            // Once the target runs, gdb waits; SIGINT is what Ctrl-C at gdb's terminal sends it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!bridge.out().toString().contains("front end connected") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            agent.awaitState(TargetState.RUNNING); // gdb's continue reached the agent
            Thread.sleep(300); // and gdb waits for its stop reply
            new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start().waitFor();
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).isZero();
            assertThat(out).as(out).contains("Program received signal SIGINT, Interrupt.")
                    .containsPattern("main \\(\\) at .*spin.c:\\d+")
                    .containsPattern("rip +0x40[0-9a-f]+ +0x40[0-9a-f]+ <main\\+\\d+>")
                    .contains("$1 = 1");
        }
    }

    /**
     * Ctrl-C twice in a program that sums a table, with a breakpoint set that is never hit (a code hook on the engine),
     * then {@code continue} to its end: it prints the native sum. Before stops were exact (docs/targets.md, "Stops while
     * the guest runs"), an interrupted block's first instructions ran again on resume and the sum was another.
     */
    @Test
    void aProgramInterruptedByCtrlCAndContinuedPrintsWhatItPrintsNatively() throws Exception {
        Process natively = new ProcessBuilder(dir.resolve("tally").toString()).redirectErrorStream(true).start();
        String expected = new String(natively.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(natively.waitFor()).isZero();
        assertThat(expected).startsWith("sum ");
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("tally").toString())) {
            Bridge bridge = Bridge.start(agent);
            Process gdb = gdb("tally", bridge.port(), "break never", "continue", "continue", "continue");
            for (int interrupt = 1; interrupt <= 2; interrupt++) {
                agent.awaitState(TargetState.RUNNING); // gdb's continue reached the agent
                Thread.sleep(300); // and the program has run a while
                new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start().waitFor();
                awaitPauses(bridge, interrupt);
            }
            String out = finish(gdb);
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).isZero();
            assertThat(out).as(out).containsSubsequence("Program received signal SIGINT, Interrupt.",
                    "Program received signal SIGINT, Interrupt.", expected, "exited normally");
            assertThat(out).doesNotContain("never called");
        }
    }

    /**
     * Waits until the bridge has printed {@code count} pauses. Not the agent's PAUSED state: gdb sends its next
     * {@code continue} as soon as it has shown the stop, so the state can be PAUSED for less than a poll's interval,
     * and a poll that missed it waited for a state that had come and gone (this test hung for 180 s in a CI run).
     */
    private static void awaitPauses(Bridge bridge, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Pattern.compile("\\] paused at rip ").matcher(bridge.out().toString()).results().count() < count) {
            assertThat(System.nanoTime()).as("pause %d within 60 s; the bridge printed:%n%s", count, bridge.out())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void anAgentKilledWhileGdbIsIdleClosesGdbsConnectionAtOnceAndTheBridgeExits() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", dir.resolve("calls").toString())) {
            Bridge bridge = Bridge.start(agent);
            try (Socket gdb = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
                gdb.setSoTimeout(60_000); // a read that waits this long fails the test: the bridge did not close
                gdb.getOutputStream().write("$?#3f".getBytes(StandardCharsets.US_ASCII)); // gdb's first question
                InputStream in = gdb.getInputStream();
                StringBuilder reply = new StringBuilder();
                for (int c = in.read(); c != '#'; c = in.read()) {
                    assertThat(c).as("the stop reply to ?, so far: %s\n%s", reply, bridge.out()).isNotNegative();
                    reply.append((char) c);
                }
                in.readNBytes(2);
                gdb.getOutputStream().write('+');
                assertThat(reply.toString()).as("acknowledged, then the stop reply").startsWith("+$T05");

                // gdb now waits at its prompt and sends nothing; the agent dies under it.
                new ProcessBuilder("kill", "-KILL", Long.toString(agent.pid())).start().waitFor();

                assertThat(in.readAllBytes()).as("gdb's connection closed, with nothing more sent").isEmpty();
            }
            assertThat(bridge.exit().get(30, TimeUnit.SECONDS)).as(bridge.out().toString()).isEqualTo(2);
            assertThat(bridge.out().toString()).contains("gdb: the agent disconnected (")
                    .contains("the bridge exits");
        }
    }
}
