package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debugger over several processes and threads (issue 13, protocol 1.14): each log and script-output record says
 * the process and thread that produced it; {@code bp} takes HyperDbg's {@code pid}, {@code tid} and {@code core}. The
 * sources are in {@code src/test/resources/elf} ({@code pids.c}, {@code execd.c}, {@code cores.c}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DebuggerOverProcessesIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void compileThePrograms() throws Exception {
        for (String name : List.of("pids", "execd", "cores")) {
            Path source = dir.resolve(name + ".c");
            try (InputStream in = DebuggerOverProcessesIT.class.getResourceAsStream("/elf/" + name + ".c")) {
                assertThat(in).as("test resource elf/%s.c", name).isNotNull();
                Files.copy(in, source);
            }
            Process gcc = new ProcessBuilder("gcc", "-static", "-O1", "-pthread", "-o", dir.resolve(name).toString(),
                    source.toString()).redirectErrorStream(true).start();
            String messages = new String(gcc.getInputStream().readAllBytes());
            assertThat(gcc.waitFor()).as("gcc %s:\n%s", source, messages).isZero();
        }
    }

    private static AgentProcess agent(String program, String... args) throws IOException {
        List<String> agentArgs = new java.util.ArrayList<>(List.of("--elf", dir.resolve(program).toString(), "--root",
                "/", "--cwd", dir.toString(), "--"));
        agentArgs.addAll(List.of(args));
        return AgentProcess.start(agentArgs.toArray(String[]::new));
    }

    private static List<String> groups(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(m -> m.group(1)).toList();
    }

    @Test
    void logAndScriptRecordsCarryThePidAndTidOfTheProcessThatProducedThem() throws Exception {
        try (AgentProcess agent = agent("pids")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !epthook marker log {rdi}
                    !epthook marker script { printf("marker in %d\\n", @rdi); }
                    g
                    """, "--json");
            String out = run.out();
            // What the guest's getpid() returned in each process, printed by the guest itself.
            String child = groups(out, "\"text\":\"child getpid (\\d+)\\\\n\"").getFirst();
            String parent = groups(out, "\"text\":\"parent getpid (\\d+)\\\\n\"").getFirst();
            assertThat(child).as(out).isNotEqualTo(parent);
            // Each log record: its pid and tid, and rdi, which marker() received from getpid().
            Matcher logs = Pattern.compile("\\{\"type\":\"log\",\"seq\":\\d+,\"event\":\\d+,\"action\":\\d+,\"core\":\\d+,"
                    + "\"pid\":(\\d+),\"tid\":(\\d+),\"values\":\\[\\{\"name\":\"rdi\",\"value\":\"0x([0-9a-f]+)\"").matcher(out);
            List<String> logged = logs.results().map(m -> m.group(1) + "/" + m.group(2) + "/"
                    + Long.parseLong(m.group(3), 16)).toList();
            assertThat(logged).as(out).containsExactly(child + "/" + child + "/" + child,
                    parent + "/" + parent + "/" + parent);
            List<String> printed = Pattern.compile("\\{\"type\":\"script\",\"seq\":\\d+,\"event\":\\d+,\"action\":\\d+,"
                    + "\"core\":\\d+,\"pid\":(\\d+),\"tid\":(\\d+),\"text\":\"marker in (\\d+)\\\\n\"").matcher(out)
                    .results().map(m -> m.group(1) + "/" + m.group(2) + "/" + m.group(3)).toList();
            assertThat(printed).as(out).containsExactly(child + "/" + child + "/" + child,
                    parent + "/" + parent + "/" + parent);
        }
    }

    @Test
    void aLogRecordOfTheChildSaysItsCoreAndProcessAtThePrompt() throws Exception {
        try (AgentProcess agent = agent("pids")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!epthook marker log {rdi}\ng\n");
            assertThat(run.out()).containsPattern("\\[log +#\\d+\\] event 0 on core 1 \\(process 1001\\): rdi=0x3e9")
                    .containsPattern("\\[log +#\\d+\\] event 0: rdi=0x3e8");
        }
    }

    @Test
    void aBreakpointWithTheChildsPidStopsOnlyInTheChildAndBlShowsIt() throws Exception {
        try (AgentProcess agent = agent("pids")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp marker pid 3e9
                    bl
                    g
                    r rdi
                    g
                    """);
            String out = run.out();
            assertThat(out).containsPattern("(?m)^  1 e [0-9a-f]{16} +0 hits  pid 3e9$")
                    .containsPattern("breakpoint 1 hit at rip 0x[0-9a-f]+ \\(marker\\) on core 1 \\(process 1001\\)")
                    .contains("rdi=00000000000003e9", "parent getpid 1000", "the program exited with status 0");
            assertThat(groups(out, "(breakpoint 1 hit)")).as(out).hasSize(1);
        }
    }

    @Test
    void aBreakpointOnCore1StopsOnlyInTheSecondThreadAndOneOnATidOnlyInThatThread() throws Exception {
        try (AgentProcess agent = agent("cores")) {
            // Breakpoint 1 admits no thread (the main thread runs on core 0): were filters ignored, it would win each time.
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    bp marker tid 3e8 core 1
                    bp marker core 1
                    bp marker tid 3e8
                    g
                    r rdi
                    g
                    r rdi
                    g
                    """);
            String out = run.out();
            assertThat(groups(out, "(breakpoint \\d+ hit)")).as(out).containsExactly("breakpoint 3 hit", "breakpoint 2 hit");
            assertThat(out).containsPattern("breakpoint 2 hit at rip 0x[0-9a-f]+ \\(marker\\) on core 1 "
                            + "\\(thread 1001 of process 1000\\)")
                    .contains("main 0, worker 4", "the program exited with status 0");
            assertThat(groups(out, "(?m)^ +rdi=([0-9a-f]{16})$")).as(out).containsExactly("0000000000000000", "0000000000000001");
        }
    }

    @Test
    void afterAnExecTheChildsModulesAndSymbolsAreTheNewProgramsAndABreakpointOnOneOfItsFunctionsStops() throws Exception {
        try (AgentProcess agent = agent("pids", "exec", dir.resolve("execd").toString())) {
            // The breakpoint is added while broken in at the child's getppid, execd_only the function it calls
            // next: no step first (it was armed only at the watchdog's kick, after execd_only had run: issue 13,
            // ArmAfterSystemCallBreakTest).
            HdbgBatch run = HdbgBatch.run(dir, agent, """
                    !syscall 6e pid 3e9
                    g
                    .process pid 0n1000
                    lm
                    x execd_only
                    .process pid 0n1001
                    lm
                    x execd_only
                    bp execd_only pid 3e9
                    g
                    g
                    """);
            String out = run.out();
            String parentView = out.substring(out.indexOf("hdbg> .process pid 0n1000"), out.indexOf("hdbg> .process pid 0n1001"));
            String childView = out.substring(out.indexOf("hdbg> .process pid 0n1001"));
            // The parent's program, without the child's symbols; the child's exec'd program (its address is the same
            // as marker's in the parent: both static, linked alike), without the parent's.
            assertThat(parentView).as(out).containsPattern("(?m)^0000000000400000 [0-9a-f]{16}  pids$")
                    .contains("x execd_only\nno matching symbols").doesNotContainPattern("(?m)^[0-9a-f ]+ +execd$");
            assertThat(childView).as(out).containsPattern("(?m)^0000000000400000 [0-9a-f]{16}  execd$")
                    .containsPattern("(?m)^[0-9a-f]{16} +5 function execd_only$")
                    .doesNotContainPattern("(?m)^[0-9a-f ]+ +pids$");
            assertThat(out).containsPattern("breakpoint 1 hit at rip 0x[0-9a-f]+ \\(execd_only\\) on core 1 \\(process 1001\\)")
                    .contains("execd getpid 1001", "the program exited with status 3");
            assertThat(groups(out, "(breakpoint \\d+ hit)")).as("not in the parent's marker, at the same address")
                    .containsExactly("breakpoint 1 hit");
        }
    }
}
