package dev.hdbg.host.cli;

import dev.hdbg.common.io.IoReasons;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.ByteScreen;
import dev.hdbg.host.cli.output.CoalescedFlush;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.DebuggerClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
                "  hdbg --observe --json --batch watch.txt     # watch while another host debugs",
                "  hdbg --resume records.jsonl --batch run.txt # start again after a crash: nothing lost or repeated",
                "  hdbg --connect agent.lan:7321 --tls --fingerprint SHA256:N8Pa9RMIpEc/EvuE/QjFABCITcQM0nInYqh3K5v/j/U --token-file hdbg.token",
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

    @Option(names = "--resume", paramLabel = "FILE", description = "append every record to FILE (JSON lines) before "
            + "acknowledging it, and start after the last record FILE holds from this agent run: a host killed at any "
            + "moment and started again with the same FILE neither loses nor repeats a record")
    Path resume;

    @Option(names = "--gdb", paramLabel = "HOST:PORT", description = "serve one GDB remote-protocol session on HOST:PORT "
            + "(gdb: target remote HOST:PORT), then exit; loopback only unless --gdb-any-address (docs/gdb.md)")
    String gdb;

    @Option(names = "--gdb-any-address", description = "let --gdb listen on an address other than loopback: the remote "
            + "protocol has no authentication, anyone who reaches the port controls the target")
    boolean gdbAnyAddress;

    /**
     * The process's stdout when {@link #main} runs the program (null under a test's {@code CommandLine}, whose writer
     * is picocli's): a batch writes its screen there as bytes ({@link ByteScreen}).
     */
    private final PrintStream stdout;

    public HdbgMain() {
        this(null);
    }

    private HdbgMain(PrintStream stdout) {
        this.stdout = stdout;
    }

    public static void main(String[] args) {
        // The demo runs an agent in this process: its operator log stays quiet unless asked for.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(commandLine(new HdbgMain(System.out)).execute(args));
    }

    /** The program as {@link #main} runs it: a mistake on the command line is one line and exit status 2. */
    public static CommandLine commandLine() {
        return commandLine(new HdbgMain());
    }

    private static CommandLine commandLine(HdbgMain program) {
        return UserErrors.install(new CommandLine(program), "hdbg");
    }

    @Override
    public Integer call() throws Exception {
        Transcript transcript = new Transcript();
        ConnectionIo io = ConnectionIo.of(batch, gdb != null);
        if (stdout != null && batch != null) {
            return callOnBytes(stdout, transcript, io);
        }
        // picocli's writer flushes every println; this one leaves the flushing to outFlush, a block at a time.
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), false);
        try (CoalescedFlush outFlush = new CoalescedFlush(out)) {
            PrintWriter screen = ScreenWriter.over(transcript.tee(line -> {
                out.println(line);
                outFlush.request();
            }));
            return run(screen, transcript, io);
        }
    }

    /**
     * A batch's screen on the process's stdout as bytes: the results' text encoded as picocli's writer would, the JSON
     * lines of records (UTF-8) written as they are unless a log file must see them too. A record's line on its way to
     * a file was copied six times through chars and writers, the host's largest cost per record after decoding
     * (docs/benchmarks.md, "Records, wave 6").
     */
    private int callOnBytes(PrintStream stdout, Transcript transcript, ConnectionIo io) throws Exception {
        ByteScreen bytes = new ByteScreen(stdout, stdout.charset());
        try (CoalescedFlush flush = new CoalescedFlush(bytes)) {
            ScreenWriter.ByteLane lane = !bytes.takesUtf8() ? null : new ScreenWriter.ByteLane() {
                @Override
                public boolean write(byte[] utf8, int length) {
                    if (transcript.logging()) {
                        return false;
                    }
                    bytes.write(utf8, 0, length);
                    return true;
                }

                @Override
                public void written() {
                    flush.request();
                }
            };
            PrintWriter screen = ScreenWriter.over(transcript.tee(line -> {
                bytes.println(line);
                flush.request();
            }), lane);
            if (io.flushesAtWaits()) {
                flush.deferOwnFlushes();
                CallerDrivenLoop.beforeEachWait(flush::flushDeferred);
            }
            try {
                return run(screen, transcript, io);
            } finally {
                CallerDrivenLoop.beforeEachWait(null);
            }
        }
    }

    private int run(PrintWriter screen, Transcript transcript, ConnectionIo io) throws Exception {
        OutputFormat format = OutputFormat.of(json);
        Output output = format.on(screen, address -> Optional.empty());
        // Every option and file is checked before anything is created or connected: a refused start changes nothing.
        PrintWriter err = spec.commandLine().getErr();
        ConnectSettings settings = connect.settings(notice -> {
            err.println(notice);
            err.flush();
        });
        connect.port();
        if (io.refusal() != null) {
            throw new IllegalArgumentException(io.refusal());
        }
        settings = io.applyTo(settings);
        try (CommandFile commands = batch == null ? null : CommandFile.open(batch, "the batch file", System.in);
             RecordJournal journal = resume == null ? null : openJournal(resume)) {
            return attachAndRun(screen, format, output, transcript, settings, commands, journal);
        }
    }

    private static RecordJournal openJournal(Path file) {
        try {
            return RecordJournal.open(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot open the journal " + file + ": " + IoReasons.of(e), e);
        }
    }

    /**
     * Says what an earlier host left armed in the agent: a session file run again after a dropped network would
     * otherwise add every event a second time, each hit then logged twice (docs/security.md, step 5).
     */
    private static void armedAlready(DebuggerClient client, Output output) {
        try {
            var listed = client.listEvents();
            CallerDrivenLoop.await(listed, System.nanoTime() + TimeUnit.SECONDS.toNanos(ARMED_QUERY_SECONDS));
            int events = listed.get(ARMED_QUERY_SECONDS, TimeUnit.SECONDS).size();
            if (events > 0) {
                output.note("the agent has " + events + " event" + (events > 1 ? "s" : "") + " armed already (list them "
                        + "with: events; events c all clears them)");
            }
        } catch (ExecutionException | TimeoutException e) {
            // Only a courtesy: the commands that follow report whatever is wrong with the agent.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final long ARMED_QUERY_SECONDS = 10;

    /** @param output where the host shows what happens before there is a session, which shows everything after */
    private int attachAndRun(PrintWriter screen, OutputFormat format, Output output, Transcript transcript,
                             ConnectSettings settings, CommandFile commands, RecordJournal journal) throws Exception {
        DebuggerClient client;
        try {
            DebuggerClient.ResumePoint from = journal == null ? null : journal.resumePoint().orElse(null);
            client = DebuggerClient.connectWith(connect.host(), connect.port(), settings.withResumeFrom(from));
        } catch (AgentError | IllegalArgumentException e) {
            output.error(e.getMessage());
            return 2;
        }
        client.tookOverFrom().ifPresent(previous -> output.note("took over from " + previous + " (it was disconnected)"));
        armedAlready(client, output);
        String address = connect.host() + ":" + connect.port();
        if (gdb != null) {
            if (batch != null) {
                client.close();
                output.error("--gdb serves a front end instead of running commands: drop --batch (at the prompt, .gdb "
                        + "HOST:PORT serves one beside the commands)");
                return 1;
            }
            try (DebugSession session = new DebugSession(client, address, screen, format, transcript, connect.token(), journal)) {
                return GdbServe.once(session, gdb, gdbAnyAddress);
            }
        }
        if (commands == null) {
            return InteractivePrompt.run(client, address, connect.token(), json, journal);
        }
        try (DebugSession session = new DebugSession(client, address, screen, format, transcript, connect.token(), journal)) {
            session.showRegistersOnBreak(!json);
            CommandShell shell = new CommandShell(session, true);
            return BatchRunner.run(commands, shell, session.output()).exitCode();
        }
    }
}
