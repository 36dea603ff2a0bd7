package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HyperDbg's {@code !track} on a {@code gcc -static} program under a real agent: the call tree names what nm names. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TrackIT {
    private static final Pattern NODE = Pattern.compile(
            "\\{\"kind\":\"(call|return)\",\"depth\":(\\d+),\"address\":\"0x[0-9a-f]+\"(?:,\"symbol\":\"([^\"]+)\")?");

    @TempDir
    Path root;

    @Test
    void theCallTreeOfAStaticProgramNamesItsFunctionsAsNmDoes() throws Exception {
        Path program = RestartIT.compileCalls(root);
        Set<String> nm = nmNames(program);
        try (AgentProcess agent = AgentProcess.start("--elf", program.toString(), "--root", root.toString())) {
            HdbgBatch run = HdbgBatch.run(root, agent, """
                    bp work
                    g
                    !track 3000
                    """, "--json");

            String track = run.lines().stream().filter(l -> l.startsWith("{\"type\":\"track\"")).findFirst()
                    .orElseThrow(() -> new AssertionError(run.out()));
            // the program ends within 0x3000 instructions of work: the track ends with it, at _exit's system call
            assertThat(run.lines()).anySatisfy(l -> assertThat(l).startsWith("{\"type\":\"exit\"")
                    .contains("\"reason\":\"exit\""));
            assertThat(track).doesNotContain("\"instructions\":" + 0x3000);
            List<String> nodes = NODE.matcher(track).results().map(m -> m.group(1) + " " + m.group(2) + " "
                    + (m.group(3) == null ? "?" : m.group(3))).toList();
            // work's loop calls leaf(0) and leaf(1), each calling square; then printf
            assertThat(nodes.subList(0, 8)).as(track).satisfiesExactly(
                    n -> assertThat(n).isEqualTo("call 0 leaf"),
                    n -> assertThat(n).isEqualTo("call 1 square"),
                    n -> assertThat(n).startsWith("return 1 square+0x"),
                    n -> assertThat(n).startsWith("return 0 leaf+0x"),
                    n -> assertThat(n).isEqualTo("call 0 leaf"),
                    n -> assertThat(n).isEqualTo("call 1 square"),
                    n -> assertThat(n).startsWith("return 1 square+0x"),
                    n -> assertThat(n).startsWith("return 0 leaf+0x"));
            assertThat(nodes.get(8)).isIn("call 0 printf", "call 0 _IO_printf");
            assertThat(nodes).as("work returns to main once printf is done").anySatisfy(n -> assertThat(n)
                    .startsWith("return 0 work+0x"));
            assertThat(nodes.getLast()).endsWith(" _exit");
            List<String> named = NODE.matcher(track).results().map(m -> m.group(3)).filter(s -> s != null)
                    .map(s -> s.replaceAll("\\+0x[0-9a-f]+$", "")).distinct().toList();
            assertThat(named).as("names in the tree").hasSizeGreaterThan(10).allSatisfy(name -> assertThat(nm).contains(name));
        }
    }

    /** The names of {@code nm program}'s symbols. */
    private static Set<String> nmNames(Path program) throws Exception {
        Process nm = new ProcessBuilder("nm", program.toString()).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes());
        assertThat(nm.waitFor()).as(out).isZero();
        return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 3).map(f -> f[2])
                .collect(Collectors.toSet());
    }

}
