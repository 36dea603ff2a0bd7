package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HyperDbg's script language end to end (issue 10): scripts typed at {@code hdbg --batch} against the loop sample, and
 * through the Java client against a {@code gcc -static} program, each in a real agent over 127.0.0.1.
 *
 * <p>The loop sample counts RCX down: at 0x40000a {@code add rax, 1}, at 0x40000e {@code dec rcx}, at 0x400011
 * {@code jnz}, then {@code hlt} with RAX = the number of iterations.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptsIT {
    @TempDir
    static Path root;
    private static Path program;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileTheProgram() throws Exception {
        program = GuestPrograms.compile(GuestPrograms.source(root, "scripted.c"), root.resolve("scripted"), "-static", "-O1");
    }

    private HdbgBatch onTheLoop(String commands) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop")) {
            return HdbgBatch.run(dir, agent, commands);
        }
    }

    // ---- raw image, through the command line

    @Test
    void aConditionalPrintfFiresExactlyOnceAtTheExpectedHit() throws Exception {
        HdbgBatch run = onTheLoop("""
                r rcx = 0n20
                !epthook 40000a script { if (@rcx == 5) { printf("hit: rcx=%d rax=%d\\n", @rcx, @rax); } }
                g
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        // The 16th hit: RCX counts 20 .. 1, RAX 0 .. 19 before the add.
        assertThat(run.lines()).filteredOn(l -> l.startsWith("hit:")).containsExactly("hit: rcx=5 rax=15");
        assertThat(run.out()).contains("target ended (hlt at 0x400013, rax 0x14)");
    }

    @Test
    void aGlobalCounterIsReadBackWithQuestionMark() throws Exception {
        HdbgBatch run = onTheLoop("""
                r rcx = 0n20
                !epthook 40000a script { .hits = .hits + 1; }
                !epthook 40000e script { .hits += 0n100; }
                g
                ? .hits
                print .hits
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lines()).containsSequence("hdbg> ? .hits", "Evaluate expression: 0x7e4 = 2020",
                "hdbg> print .hits", "7e4");
    }

    @Test
    void pauseBreaksAtTheRightHitAndTheTargetGoesOn() throws Exception {
        HdbgBatch run = onTheLoop("""
                r rcx = 0n20
                !epthook 40000e script { if (@rcx == 0n10) { pause(); } }
                g
                ? @rax
                ? { printf("broken in at %llx, rcx %d\\n", @rip, @rcx); }
                g
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("event 0 (!epthook, context 0x40000e) at rip 0x40000e");
        // Ten adds ran before the tenth dec: rax is 0xa + 1 when rcx is 0n10 at the 11th.
        assertThat(run.lines()).containsSequence("hdbg> ? @rax", "Evaluate expression: 0xb = 11");
        assertThat(run.lines()).contains("broken in at 40000e, rcx 10");
        assertThat(run.out()).contains("target ended (hlt at 0x400013, rax 0x14)");
    }

    @Test
    void aScriptChangesARegisterTheGuestThenUses() throws Exception {
        HdbgBatch run = onTheLoop("""
                r rcx = 0n20
                !epthook 40000a script { if (@rcx == 3) { @rcx = 1; } }
                g
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        // RCX 3 becomes 1: the iterations for 2 and 1 are skipped, so 18 adds, not 20.
        assertThat(run.out()).contains("target ended (hlt at 0x400013, rax 0x12)");
    }

    @Test
    void aRunawayLoopIsStoppedWithAnErrorNamingTheEventAndLineWhileTheTargetFinishes() throws Exception {
        HdbgBatch run = onTheLoop("""
                r rcx = 3
                !epthook 400011 script {
                    .runs++;
                    while (1) {
                    }
                }
                g
                ? .runs
                """);

        assertThat(run.exitCode()).as(run.out()).isZero();
        List<String> errors = run.lines().stream().filter(l -> l.startsWith("[error")).toList();
        assertThat(errors).hasSize(3).allSatisfy(l -> assertThat(l)
                .contains("event 0 action 1: script: stopped at line 3; the guest goes on"));
        assertThat(run.out()).contains("the run exceeded its operation budget")
                .contains("target ended (hlt at 0x400013, rax 0x3)");
        assertThat(run.lines()).containsSequence("hdbg> ? .runs", "Evaluate expression: 0x3 = 3");
    }

    @Test
    void aSyntaxErrorIsShownWithItsCaretAndNothingIsAdded() throws Exception {
        HdbgBatch run = onTheLoop("""
                !epthook 40000a script {
                  .x = 1;
                  if (@rcx == ) { pause(); }
                }
                events
                """);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).containsSequence(
                "error: script has errors, nothing was added:",
                "script:3:15: error: expected an expression, found ')'",
                "  if (@rcx == ) { pause(); }",
                "              ^");
        assertThat(run.out()).doesNotContain("event 0 added");
        assertThat(run.lines()).last().asString().doesNotContain("!epthook");
    }

    // ---- an ELF program, through the Java client

    private static long addressOf(DebuggerClient client, String name) throws Exception {
        List<Symbol> symbols = client.listSymbols(name).get(10, TimeUnit.SECONDS);
        return symbols.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().address();
    }

    private static String stdout(Records records) {
        StringBuilder out = new StringBuilder();
        for (DebuggerRecord.Output o : records.of(DebuggerRecord.Output.class)) {
            out.append(new String(o.data(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void onAProgramAPrintfFiresOnceARegisterChangeReachesItAndACounterReadsBack() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString(), "--");
             DebuggerClient client = agent.connect()) {
            Records records = new Records();
            client.addRecordListener(records);
            long step = addressOf(client, "step");
            client.addEvent(EventSpec.eptHook(step, List.of(new ActionSpec.Script("""
                    .calls = .calls + 1;
                    if (@rdi == 7) {
                        printf("seven: %d, %s\\n", @rdi, $pname);
                    }
                    if (@rdi == 3) {
                        @rdi = 0n100;
                    }
                    """, true)))).get(10, TimeUnit.SECONDS);

            client.cont().get(10, TimeUnit.SECONDS);
            DebuggerRecord.Exit exit = records.awaitExit();

            assertThat(records.of(DebuggerRecord.ScriptOutput.class)).singleElement()
                    .satisfies(s -> assertThat(s.text()).startsWith("seven: 7, ").endsWith("scripted\n"));
            // 2 * (0 + 1 + ... + 9) = 90, with step(3) = 6 replaced by step(100) = 200: 284.
            assertThat(stdout(records)).isEqualTo("sum=284\n");
            assertThat(exit.status()).isEqualTo(284 & 0x7f);
            assertThat(client.evaluate(".calls", true).get(10, TimeUnit.SECONDS).value()).isEqualTo(10);
        }
    }

    @Test
    void onAProgramPauseBreaksAtTheRightCallAndARunawayScriptLetsItFinish() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString(), "--");
             DebuggerClient client = agent.connect()) {
            Records records = new Records();
            client.addRecordListener(records);
            long step = addressOf(client, "step");
            client.addEvent(EventSpec.eptHook(step, List.of(
                    new ActionSpec.Script("if (@rdi == 5) { pause(); }", true),
                    new ActionSpec.Script("for (i = 0; i < 1; i = i) { }", true)))).get(10, TimeUnit.SECONDS);

            client.cont().get(10, TimeUnit.SECONDS);
            DebuggerRecord.Break stop = records.awaitBreak();
            assertThat(stop.rip()).isEqualTo(step);
            assertThat(client.evaluate("@rdi", true).get(10, TimeUnit.SECONDS).value()).isEqualTo(5);
            client.cont().get(10, TimeUnit.SECONDS);
            DebuggerRecord.Exit exit = records.awaitExit();

            assertThat(stdout(records)).isEqualTo("sum=90\n");
            assertThat(exit.status()).isEqualTo(90);
            List<DebuggerRecord.ActionError> errors = new ArrayList<>(records.of(DebuggerRecord.ActionError.class));
            assertThat(errors).hasSize(10).allSatisfy(e -> assertThat(e.message()).contains("stopped at line 1"));
        }
    }
}
