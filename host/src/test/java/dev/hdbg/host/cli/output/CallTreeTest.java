package dev.hdbg.host.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.CallTrack.Kind;
import dev.hdbg.common.model.CallTrack.Transfer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code !track}'s tree as HyperDbg draws it: a call opens a level, a return closes one. */
class CallTreeTest {
    private static final Map<Long, String> NAMES = Map.of(0x1000L, "main", 0x2000L, "work", 0x2010L, "work+0x10");

    @Test
    void callsNestAndReturnsCloseTheirLevelAndAReturnWithoutACallStaysOutermost() {
        CallTrack track = new CallTrack(List.of(
                new Transfer(Kind.RETURN, 0x9000, 0x9100, Map.of()),
                new Transfer(Kind.CALL, 0x1005, 0x2000, Map.of()),
                new Transfer(Kind.CALL, 0x2005, 0x3000, Map.of()),
                new Transfer(Kind.RETURN, 0x3004, 0x200a, Map.of()),
                new Transfer(Kind.RETURN, 0x2010, 0x100a, Map.of())), 42, 0);
        CallTree tree = CallTree.of(track, a -> Optional.ofNullable(NAMES.get(a)));

        StringWriter text = new StringWriter();
        OutputFormat.HUMAN.on(new PrintWriter(text, true), a -> Optional.empty()).callTree(tree);
        assertThat(text.toString()).isEqualTo("""
                └── 0x9000
                ┌── work (0x2000)
                │  ┌── 0x3000
                │  └── 0x3004
                └── work+0x10 (0x2010)
                tracked 42 instructions
                """);
        StringWriter json = new StringWriter();
        OutputFormat.JSON.on(new PrintWriter(json, true), a -> Optional.empty()).callTree(tree);
        assertThat(json.toString()).startsWith("{\"type\":\"track\",\"instructions\":42,\"dropped\":0,\"transfers\":["
                + "{\"kind\":\"return\",\"depth\":0,\"address\":\"0x9000\"},"
                + "{\"kind\":\"call\",\"depth\":0,\"address\":\"0x2000\",\"symbol\":\"work\"},");
    }
}
