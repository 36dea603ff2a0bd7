package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code bp}, {@code bl}, {@code bc}, {@code bd}, {@code be}. */
class BreakpointVerbsTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().symbol("main", 0x401000, 0x40);
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);

    @Test
    void bpSetsOneAtAnExpressionWithItsConditionLast() {
        Verb bp = new Verb(new BreakpointCommand(session));

        assertThat(bp.run("main+4")).isZero();
        assertThat(bp.run("400040 condition {31 c0}")).isZero();

        assertThat(bp.lines()).containsExactly("breakpoint 1 set", "breakpoint 2 set");
        assertThat(client.calls("addBreakpoint").getFirst().arguments()).containsExactly(0x401004L, null);
        MachineCode condition = (MachineCode) client.calls("addBreakpoint").get(1).arguments().get(1);
        assertThat(condition.bytes()).containsExactly(0x31, 0xc0);
    }

    @Test
    void bpTakesItsOptionsOnlyAfterTheAddress() {
        Verb bp = new Verb(new BreakpointCommand(session));

        assertThat(bp.run("condition {31 c0} 400040")).isEqualTo(1);

        assertThat(bp.failure()).hasMessage("bp needs an address, e.g. bp 400040");
        assertThat(client.calls("addBreakpoint")).isEmpty();
    }

    @Test
    void bpTakesPidTidAndCoreAsHyperDbgsBpAndBlShowsThem() {
        Verb bp = new Verb(new BreakpointCommand(session));
        Verb bl = new Verb(new BreakpointListCommand(session));

        assertThat(bp.run("main pid 3e9")).isZero();
        assertThat(bp.run("main core 1 tid 0n1001 condition {31 c0}")).isZero();
        assertThat(bp.run("main pid all")).isZero();
        assertThat(bl.run("")).isZero();

        assertThat(client.calls("addBreakpoint").getFirst().arguments()).containsExactly(0x401000L, null,
                new Scope(OptionalLong.of(0x3e9), OptionalLong.empty(), OptionalInt.empty()));
        assertThat(client.calls("addBreakpoint").get(1).arguments().get(2))
                .isEqualTo(new Scope(OptionalLong.empty(), OptionalLong.of(1001), OptionalInt.of(1)));
        assertThat(client.calls("addBreakpoint").get(2).arguments()).containsExactly(0x401000L, null);
        assertThat(bl.lines()).containsExactly(
                "  1 e 0000000000401000        0 hits  pid 3e9",
                "  2 e 0000000000401000        0 hits  tid 3e9 core 1  if condition",
                "  3 e 0000000000401000        0 hits");
    }

    @Test
    void bpRefusesAnOptionWithoutItsValueOrTwice() {
        Verb bp = new Verb(new BreakpointCommand(session));

        assertThat(bp.run("main pid")).isEqualTo(1);
        assertThat(bp.failure()).hasMessage("pid needs a process id or all, e.g. pid 4 or pid all");
        assertThat(bp.run("main core 1 core 2")).isEqualTo(1);
        assertThat(bp.failure()).hasMessage("core given twice (give it once per bp)");
        assertThat(bp.run("main tid 0")).isEqualTo(1);
        assertThat(bp.failure()).hasMessage("tid 0 is not a thread id (1 .. 0x400000), e.g. tid 3e9 or tid all");
        assertThat(client.calls("addBreakpoint")).isEmpty();
    }

    @Test
    void blListsThemAndBdBeBcChangeThem() {
        new Verb(new BreakpointCommand(session)).run("400040");
        new Verb(new BreakpointCommand(session)).run("400050 condition {31 c0}");
        Verb bd = new Verb(new BdCommand(session));
        Verb be = new Verb(new BeCommand(session));
        Verb bc = new Verb(new BcCommand(session));
        Verb bl = new Verb(new BreakpointListCommand(session));

        assertThat(bd.run("all")).isZero();
        assertThat(be.run("2")).isZero();
        assertThat(bl.run("")).isZero();
        assertThat(bc.run("*")).isZero();
        assertThat(bl.run("")).isZero();

        assertThat(bd.lines()).containsExactly("disabled breakpoints 1, 2");
        assertThat(be.lines()).containsExactly("enabled breakpoint 2");
        assertThat(bc.lines()).containsExactly("cleared breakpoints 1, 2");
        assertThat(bl.lines()).containsExactly(
                "  1 d 0000000000400040        0 hits",
                "  2 e 0000000000400050        0 hits  if condition",
                "no breakpoints");
    }
}
