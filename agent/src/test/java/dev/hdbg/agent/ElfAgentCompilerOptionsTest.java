package dev.hdbg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.testing.LauncherScript;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bin/hdbg-agent gives an agent started with {@code --elf} later C2 compiles (HDBG_AGENT_ELF_JIT): in a program's run
 * of a fifth of a second, C2's compiles of the system-call path took more of the 2 cores than they gave back
 * (docs/benchmarks.md, "Real programs, wave 13"). Counted, not timed: a method called 20,000 times is compiled by C2
 * in a JVM without the options and not in one with them (compiles made in the foreground, -Xbatch, so the count does
 * not depend on the compiler thread's pace).
 */
class ElfAgentCompilerOptionsTest {
    private static final int CALLS = 20_000;
    private static final String HOT = ElfAgentCompilerOptionsTest.class.getName() + "::hot";

    @Test
    void onlyAnElfAgentGetsTheLaterCompilerThresholds() throws Exception {
        assertThat(agentJit("--elf", "/bin/true", "--root", "/")).contains("-XX:Tier4InvocationThreshold=50000");
        assertThat(agentJit("--listen", "127.0.0.1:0", "--elf=/bin/sort", "--", "in.txt"))
                .contains("-XX:Tier4InvocationThreshold=50000");
        assertThat(agentJit("--sample", "loop")).noneMatch(o -> o.startsWith("-XX:Tier4"));
        // A program's own argument is not the agent's option.
        assertThat(agentJit("--image", "x.bin", "--", "--elf")).noneMatch(o -> o.startsWith("-XX:Tier4"));
    }

    /**
     * A Linux program's exit path compiles in the background: its thread waiting for those compiles cost busybox
     * md5sum and sha256sum of 4 MiB 4 to 5 % of their run (docs/benchmarks.md, "The exit path's compiles of a Linux
     * program, stop 32"). A sample's or an image's hot events keep theirs in the foreground.
     */
    @Test
    void onlyAnAgentThatIsNotAnElfAgentWaitsForItsExitPathsCompiles() throws Exception {
        String foreground = "-XX:CompileCommand=BackgroundCompilation,dev.hdbg.agent.vmx.ExitHooks::*,false";
        assertThat(agentJit("--elf", "/bin/true", "--root", "/")).noneMatch(o -> o.contains("BackgroundCompilation"));
        assertThat(agentJit("--sample", "loop")).contains(foreground);
        assertThat(agentJit("--image", "x.bin", "--", "--elf")).contains(foreground);
        assertThat(LauncherScript.lines("hdbg_jvm_options", "agent")).as("the sample's training").contains(foreground);
    }

    @Test
    void aMethodCalledTwentyThousandTimesReachesC2OnlyWithoutTheElfOptions() throws Exception {
        List<String> elf = agentJit("--elf", "/bin/true").stream().filter(o -> o.startsWith("-XX:Tier4")).toList();
        assertThat(elf).hasSize(3);
        assertThat(c2Compiles(elf)).as("with the --elf agent's options").isZero();
        assertThat(c2Compiles(List.of())).as("with the JVM's defaults").isPositive();
    }

    /** The lines of -XX:+PrintCompilation that compile {@link #hot} at tier 4, in a child JVM with OPTIONS. */
    private static long c2Compiles(List<String> options) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of("-Xbatch", "-XX:+PrintCompilation"));
        String out = ChildJvm.run(all, ElfAgentCompilerOptionsTest.class, Duration.ofSeconds(60));
        assertThat(out).contains("sum ");
        return ChildJvm.c2Compiles(out, HOT::equals);
    }

    /** HDBG_AGENT_JIT and what hdbg_agent_jit adds for an agent's ARGS, one option an element. */
    private static List<String> agentJit(String... args) throws IOException, InterruptedException {
        return LauncherScript.lines("hdbg_agent_jit", args);
    }


    /** Not trivial (a branch, a call): the JVM sends a trivial method to C2 at once, whatever the thresholds. */
    static int hot(int i) {
        int x = i;
        if ((i & 7) == 3) {
            x = Integer.toString(i).length();
        }
        return (x * 31) ^ (i >>> 3);
    }

    /** The child: calls {@link #hot} {@link #CALLS} times. */
    public static void main(String[] args) {
        int sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += hot(i);
        }
        System.out.println("sum " + sum);
    }
}
