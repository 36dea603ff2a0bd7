package dev.hdbg.host.it;

import dev.hdbg.host.cli.HdbgMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** {@code hdbg --connect 127.0.0.1:PORT --batch FILE [EXTRA...]} run in this process, its output kept. */
record HdbgBatch(int exitCode, String out) {
    static HdbgBatch run(Path dir, AgentProcess agent, String script, String... extra) throws Exception {
        Path file = Files.createTempFile(dir, "script", ".txt");
        Files.writeString(file, script);
        StringWriter out = new StringWriter();
        CommandLine cli = HdbgMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(List.of("--connect", "127.0.0.1:" + agent.port(), "--batch", file.toString()));
        args.addAll(List.of(extra));
        int code = cli.execute(args.toArray(String[]::new));
        return new HdbgBatch(code, out.toString());
    }

    List<String> lines() {
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
