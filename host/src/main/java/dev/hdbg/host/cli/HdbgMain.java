package dev.hdbg.host.cli;

import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.HumanOutput;
import dev.hdbg.host.cli.output.JsonOutput;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.TlsSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hdbg}: the debugger. Attaches to an agent, interactively or running a command file. */
@Command(name = "hdbg", mixinStandardHelpOptions = true, version = "hdbg 0.1.0",
        description = {"A HyperDbg-style debugger for x86-64 code emulated by hdbg-agent.",
                "Interactive by default; --batch runs a command file (g then waits for the next break or exit)."},
        subcommands = DemoCommand.class,
        footer = {"", "Examples:",
                "  hdbg --connect 127.0.0.1:7321",
                "  hdbg --batch session.txt --json",
                "  hdbg --connect agent.lan:7321 --tls --fingerprint SHA256:N8Pa9RMIpEc/EvuE/QjFABCITcQM0nInYqh3K5v/j/U --token \"$(cat token)\"",
                "  hdbg --connect agent.lan:7321 --tls --cert host.pem --key host.key",
                "  echo 'r rip' | hdbg --batch -",
                "  hdbg demo",
                "", "Exit status: 0 when every command succeeded, 1 when one failed, 2 when the agent could not be reached.",
                "Commands: see docs/commands.md, or type help at the prompt."})
public final class HdbgMain implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectOptions connect = new ConnectOptions();

    @Option(names = "--batch", paramLabel = "FILE", description = "run the commands in FILE ('-' for standard input), then exit")
    String batch;

    @Option(names = "--json", description = "print one JSON object a line (schema: docs/json.md)")
    boolean json;

    public static void main(String[] args) {
        // The demo runs an agent in this process: its operator log stays quiet unless asked for.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new HdbgMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Transcript transcript = new Transcript();
        Consumer<String> lines = transcript.tee(line -> {
            out.println(line);
            out.flush();
        });
        Output output = json ? new JsonOutput(lines) : new HumanOutput(lines);
        PrintWriter err = spec.commandLine().getErr();
        TlsSettings tls = connect.tls(notice -> {
            err.println(notice);
            err.flush();
        });
        DebuggerClient client;
        try {
            client = DebuggerClient.connect(connect.host(), connect.port(), connect.token(), tls);
        } catch (AgentError | IllegalArgumentException e) {
            output.error(e.getMessage());
            return 2;
        }
        String address = connect.host() + ":" + connect.port();
        if (batch == null) {
            return InteractivePrompt.run(client, address, connect.token(), tls, json);
        }
        try (DebugSession session = new DebugSession(client, address, output, transcript, connect.token(), tls)) {
            session.showRegistersOnBreak(!json);
            CommandShell shell = new CommandShell(session, true);
            if (batch.equals("-")) {
                return BatchRunner.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), shell, output)
                        .exitCode();
            }
            Path file = Path.of(batch);
            if (!Files.isReadable(file)) {
                output.error("cannot read the batch file " + file);
                return 1;
            }
            try (BufferedReader reader = Files.newBufferedReader(file)) {
                return BatchRunner.run(reader, shell, output).exitCode();
            }
        }
    }
}
