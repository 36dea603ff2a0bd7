package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.record.DebuggerRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's cores as gdb's threads: ids, the list, the current one. */
class GuestThreadsTest {
    private static final List<CoreInfo> CORES = List.of(
            new CoreInfo(0, 1000, 0x460f76, "futex wait", false, 1000),
            new CoreInfo(1, 1001, 0x401665, "running", false, 1000),
            new CoreInfo(2, 1002, 0x401665, "running", true, 1000),
            new CoreInfo(3, 1003, 0x467589, "exited", false, 1000));

    private final GuestThreads threads = new GuestThreads();

    @Test
    void eachLiveCoreIsAThreadWrittenInHexWithItsProcessUnderMultiprocess() {
        threads.multiprocess(true);
        threads.attached(CORES, 2);

        assertThat(threads.list()).isEqualTo("mp3e8.3e8,p3e8.3e9,p3e8.3ea");
        assertThat(threads.id(threads.current())).isEqualTo("p3e8.3ea");
        assertThat(new String(threads.xml(), StandardCharsets.US_ASCII)).contains(
                "<thread id=\"p3e8.3e8\" core=\"0\"/>", "<thread id=\"p3e8.3ea\" core=\"2\"/>")
                .doesNotContain("3eb"); // exited
        threads.multiprocess(false);
        assertThat(threads.list()).isEqualTo("m3e8,3e9,3ea");
    }

    /** Since 1.19 a thread has a name (Linux's comm), which qXfer:threads gives gdb, escaped as XML wants it. */
    @Test
    void aThreadsNameGoesToGdbEscapedAndAStopKeepsIt() {
        threads.multiprocess(true);
        threads.attached(List.of(new CoreInfo(0, 1000, 0x401000, "running", true, 1000, "boss"),
                new CoreInfo(1, 1001, 0x401000, "running", false, 1000, "a<b>&\"c\"\u0001")), 0);

        assertThat(new String(threads.xml(), StandardCharsets.UTF_8)).contains(
                "<thread id=\"p3e8.3e8\" core=\"0\" name=\"boss\"/>",
                "<thread id=\"p3e8.3e9\" core=\"1\" name=\"a&lt;b&gt;&amp;&quot;c&quot;&#1;\"/>");
        threads.stoppedAt(new DebuggerRecord.Break(7, DebuggerRecord.BreakReason.BREAKPOINT, 1, Optional.empty(), 0,
                0x401000, "bp", Map.of(), 1, 1000, 1001));
        assertThat(threads.current().name()).as("the stop's thread, as the list knows it").isEqualTo("a<b>&\"c\"\u0001");
    }

    @Test
    void gdbsIdsNameAThreadOrAnyOrAll() {
        threads.refresh(CORES);

        assertThat(threads.byId("p3e8.3e9")).hasValueSatisfying(t -> assertThat(t.core()).isEqualTo(1));
        assertThat(threads.byId("3e8")).hasValueSatisfying(t -> assertThat(t.core()).isZero());
        assertThat(threads.byId("p3e8.-1")).isEmpty();
        assertThat(threads.byId("0")).isEmpty();
        assertThat(threads.byId("-1")).isEmpty();
        assertThat(threads.byId("p3e9.3e8")).as("another process").isEmpty();
        assertThat(threads.byId("p3e8.3eb")).as("exited").isEmpty();
        assertThatThrownBy(() -> threads.byId("pq.1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStopMakesItsThreadCurrentAndAnAgentThatSaysNothingOfThreadsHasOne() {
        assertThat(threads.list()).isEqualTo("m1");
        threads.multiprocess(true);
        assertThat(threads.id(threads.current())).isEqualTo("p1.1");
        threads.refresh(List.of()); // an agent before 1.10
        assertThat(threads.list()).isEqualTo("mp1.1");

        threads.stoppedAt(new DebuggerRecord.Break(7, DebuggerRecord.BreakReason.BREAKPOINT, 1, Optional.empty(), 0,
                0x401665, "breakpoint 1 hit", Map.of(), 1, 1000, 1001));

        assertThat(threads.id(threads.current())).isEqualTo("p3e8.3e9");
        assertThat(threads.current().core()).isEqualTo(1);
    }
}
