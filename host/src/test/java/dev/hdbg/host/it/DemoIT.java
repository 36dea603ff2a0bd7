package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.HdbgMain;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        CommandLine cli = new CommandLine(new HdbgMain());
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("demo");

        String text = out.toString();
        assertThat(code).as(text).isZero();
        assertThat(text).contains("[log", "rdi=0x0", "$context=0x400040");
        assertThat(text).contains("[buffer", "01 00 00 00 00 00 00 00");
        assertThat(text).contains("[break", "event 3 (!epthook, context 0x400040) at rip 0x400040");
        assertThat(text).contains("rdi=0000000000000007");
        assertThat(text).contains("[exit", "rax 0x2d");
        assertThat(text).contains("r13=0000000000001337");
        assertThat(text).contains("demo finished.");
        assertThat(text).doesNotContain("error:");
    }
}
