package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.HdbgMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code hdbg demo}: the agent in-process, a real socket, and every kind of action. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoIT {
    @Test
    void demoShowsEachKindOfActionAndEndsWithTheSum() {
        StringWriter out = new StringWriter();
        CommandLine cli = HdbgMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("demo");

        String text = out.toString();
        assertThat(code).as(text).isZero();
        assertThat(text).contains("[log", "rdi=0x0", "$context=0x400040");
        assertThat(text).contains("[buffer", "01 00 00 00 00 00 00 00");
        assertThat(text).contains("[break", "event 2 (!epthook, context 0x400040) at rip 0x400040");
        assertThat(text).contains("rdi=0000000000000007");
        assertThat(text).contains("[exit", "rax 0x2d");
        assertThat(text).contains("r13=0000000000001337");
        assertThat(text).contains("demo finished.");
        assertThat(text).doesNotContain("error:");

        List<String> lines = text.lines().toList();
        assertThat(lines).as(text).containsSubsequence(
                "hdbg> r rip", "   rip=0000000000400000",
                "hdbg> !epthook 400040 log {rdi [400080]:8 $context} imm no", "event 0 added with action 1",
                "hdbg> !epthook 400040 code {48 ff 01 48 89 c8} buffer 8", "event 1 added with action 2",
                "hdbg> !epthook 400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}", "event 2 added with action 3",
                "hdbg> !cpuid 1 code {48 c7 42 68 37 13 00 00}", "event 3 added with action 4",
                "hdbg> g", "hdbg> r rdi", "   rdi=0000000000000007", "hdbg> dq 400080 L1", "0000000000400080  0000000000000015",
                "hdbg> g", "hdbg> r rax r13", "   rax=000000000000002d    r13=0000000000001337", "hdbg> events");
        assertThat(lines.getLast()).isEqualTo("demo finished.");

        // The first g: each call of add_item(i) is a log of event 0 (rdi = i, the counter before it adds i) and then a
        // buffer of event 1 (its code counting the calls), until event 2's condition holds at rdi = 7 and breaks.
        List<String> firstRun = between(lines, 0, "hdbg> g", "hdbg> r rdi");
        assertThat(firstRun).as(text).hasSize(17);
        for (int i = 0; i <= 7; i++) {
            assertCall(firstRun, 2 * i, i, 2 * i + 1);
        }
        assertThat(firstRun.get(16)).isEqualTo("[break  #17] event 2 (!epthook, context 0x400040) at rip 0x400040");

        // The second g: the calls with rdi = 8 and 9, then the halt; CPUID ran event 3's code, which set r13.
        List<String> secondRun = between(lines, lines.indexOf("hdbg> r rdi"), "hdbg> g", "hdbg> r rax r13");
        assertThat(secondRun).as(text).hasSize(5);
        assertCall(secondRun, 0, 8, 18);
        assertCall(secondRun, 2, 9, 20);
        assertThat(secondRun.get(4)).matches("\\[exit   #22] target ended \\(hlt at 0x400029, rax 0x2d\\) after [0-9.]+ ms of execution");

        List<String> events = lines.subList(lines.lastIndexOf("hdbg> events") + 1, lines.size() - 1);
        assertThat(events).containsExactly(
                "id   state    event      where                              hits  actions",
                "0    enabled  !epthook   0x400040                             10  log (batched)",
                "1    enabled  !epthook   0x400040                             10  code 6 bytes, buffer 0x8",
                "2    enabled  !epthook   0x400040                             10  if condition: break",
                "3    enabled  !cpuid     0x1                                   1  code 8 bytes");
    }

    /**
     * The two records of add_item(rdi) at line {@code from} of {@code run}, numbered {@code seq} and the next: event 0's
     * log of rdi, the counter (the sum of the calls before) and the context, then event 1's buffer holding the number of
     * calls so far.
     */
    private static void assertCall(List<String> run, int from, int rdi, int seq) {
        long counter = (long) rdi * (rdi - 1) / 2;
        String counterBytes = HexFormat.ofDelimiter(" ").formatHex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(counter).array());
        String calls = HexFormat.ofDelimiter(" ").formatHex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(rdi + 1).array());
        assertThat(run.get(from)).isEqualTo(String.format("[log    #%d] event 0: rdi=0x%x  [0x400080]:0x8=%s  $context=0x400040",
                seq, rdi, counterBytes));
        assertThat(run.get(from + 1)).matches(String.format("\\[buffer #%d] event 1 action 2 from 0x[0-9a-f]+ \\(8 bytes\\): %s",
                seq + 1, calls));
    }

    /** The lines after the first {@code start} at or after {@code from}, up to the next {@code end}. */
    private static List<String> between(List<String> lines, int from, String start, String end) {
        int first = lines.subList(from, lines.size()).indexOf(start) + from + 1;
        int last = lines.subList(first, lines.size()).indexOf(end) + first;
        return lines.subList(first, last);
    }
}
