package dev.hdbg.agent;

import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.debugger.OnFull;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.machine.Samples;
import dev.hdbg.agent.server.ServerOptions;
import dev.hdbg.agent.server.ServerTls;
import dev.hdbg.agent.server.TlsIdentity;
import dev.hdbg.agent.unicorn.LibraryPatch;
import dev.hdbg.agent.unicorn.SoftTlbSize;
import dev.hdbg.agent.unicorn.StopsBetweenBlocks;
import dev.hdbg.agent.unicorn.StoreFastPath;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.common.auth.Tokens;
import dev.hdbg.common.text.Echo;
import dev.hdbg.common.text.HostPort;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hdbg-agent}: the debuggee. Wiring only. Just over 400 lines: one annotated field per command-line option,
 * which picocli needs in the class that declares them.
 */
@Command(name = "hdbg-agent", mixinStandardHelpOptions = true, version = "hdbg-agent 0.1.0",
        description = {"Runs an emulated x86-64 machine (Unicorn) with a target loaded, paused at its entry,",
                "and serves one hdbg host at a time over TCP."},
        footer = {"", "Examples:",
                "  hdbg-agent --sample demo",
                "  hdbg-agent --elf ./hello --root . -- world",
                "  hdbg-agent --elf /usr/bin/sort --root / --cwd /tmp/work --writable-dir /tmp/work -- -o out.txt in.txt",
                "  hdbg-agent --elf /bin/busybox --root /tmp/sandbox --stdin input.txt -- sha256sum input.txt",
                "  hdbg-agent --image shellcode.bin --base 0x10000 --entry 0x10020 --listen 127.0.0.1:7400 --once",
                "  hdbg-agent --sample loop --listen 0.0.0.0:7321 --token-file hdbg.token",
                "  hdbg-agent --sample demo --tls --listen 0.0.0.0:7321 --token-file hdbg.token",
                "  hdbg-agent --sample demo --listen 0.0.0.0:7321 --client-ca hosts-ca.pem",
                "", "Samples: " + "loop, cpuid, demo (assembly source in the agent's samples/ resources)"})
public final class AgentMain implements Callable<Integer> {
    /** A condition or custom code travels in one frame, with the rest of its request. */
    private static final int MAX_CODE_ON_THE_WIRE = Framing.MAX_FRAME_BYTES - 64 * 1024;
    /** Where the canonical lower half of the address space ends: user-mode code and data lie below. */
    private static final long USER_LIMIT = 0x0000_8000_0000_0000L;
    /** A message quoting what was typed is cut to this, whatever was pasted. */
    /** A day: a longer wait is no timeout, and larger values overflow a Duration in milliseconds. */
    private static final long MAX_HOST_TIMEOUT_SECONDS = 86_400;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "address to listen on (default: ${DEFAULT-VALUE}); port 0 picks a free one")
    private String listen = "127.0.0.1:" + Protocol.DEFAULT_PORT;

    @Option(names = "--token", paramLabel = "SECRET", description = "hosts must present this token (at least "
            + Tokens.MIN_LENGTH + " characters); required when listening on a non-loopback address without --client-ca. "
            + "Visible to other users in ps: prefer --token-file")
    private String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "read the token from FILE (one line; e.g. made with "
            + "'" + Tokens.HOW_TO_MAKE_ONE + "')")
    private Path tokenFile;

    @Option(names = "--tls", description = "encrypt the connection with TLS; the agent's key pair and self-signed certificate are "
            + "created in --state-dir on first use, and its fingerprint (SHA256:...) is printed at start for hosts to pin")
    private boolean tls;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where --tls keeps the agent's key pair and certificate "
            + "(default: $XDG_STATE_HOME/hdbg-agent, or ~/.local/state/hdbg-agent); delete its files for a new key pair")
    private Path stateDir;

    @Option(names = "--client-ca", paramLabel = "FILE", description = "mutual TLS (implies --tls): every host must present a "
            + "certificate issued by a CA in FILE (PEM); counts as authentication, like --token, on a non-loopback address")
    private Path clientCa;

    @Option(names = "--once", description = "exit after the first host session ends")
    private boolean once;

    @Option(names = "--host-timeout", paramLabel = "SECONDS", description = "a host that pings while idle (hdbg does) and "
            + "is silent this long is taken as gone, e.g. behind a dropped network, so another may attach; also the time "
            + "a new connection has to say Hello (default: ${DEFAULT-VALUE})")
    private long hostTimeoutSeconds = ServerOptions.DEFAULT_HOST_TIMEOUT.toSeconds();

    @Option(names = "--image", paramLabel = "FILE", description = "raw image to load (flat machine code)")
    private Path image;

    @Option(names = "--sample", paramLabel = "NAME", description = "built-in sample target: loop, cpuid, demo")
    private String sample;

    @Option(names = "--elf", paramLabel = "FILE", description = "a Linux x86-64 executable, static or dynamically linked "
            + "(its interpreter and libraries come from --root); its arguments follow --")
    private Path elf;

    @Option(names = "--root", paramLabel = "DIR", description = "the directory an ELF program sees as / (default: the "
            + "current directory); --root / runs it against the host's own libraries, read-only")
    private Path root = Path.of(".");

    @Option(names = "--cwd", paramLabel = "DIR", description = "the ELF program's working directory, a path beneath "
            + "--root as the program names it (default: /)")
    private String cwd = "/";

    @Option(names = "--env", paramLabel = "K=V", description = "an environment variable for the ELF program (repeatable); "
            + "the environment is empty otherwise")
    private List<String> env = new ArrayList<>();

    @Option(names = "--inherit-env", description = "give the ELF program the agent's own environment, before --env")
    private boolean inheritEnv;

    @Option(names = "--writable-dir", paramLabel = "DIR", description = "let the ELF program create and change files "
            + "beneath DIR, a directory beneath --root as the program names it (repeatable); elsewhere writes fail "
            + "with EROFS")
    private List<String> writableDirs = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "DIR", description = "give the ELF program a DIR of its own, empty at the "
            + "start and removed when its run ends, as a tmpfs mounted there (repeatable): --tmpfs /tmp for programs "
            + "that write temporary files, without the host's /tmp")
    private List<String> tmpfsDirs = new ArrayList<>();

    @Option(names = "--stdin", paramLabel = "FILE", description = "the ELF program's standard input (default: empty)")
    private Path stdin;

    @Option(names = "--writable", description = "let the ELF program create and change files beneath --root")
    private boolean writable;

    @Option(names = "--forward", paramLabel = "HOSTPORT:PORT", description = "let host programs connect to the ELF "
            + "program's TCP server at PORT through the host's 127.0.0.1:HOSTPORT (0: a free port, logged; "
            + "repeatable); the machine then waits for them in real time, where it would end a program no one of its "
            + "own can wake")
    private List<String> forwardSpecs = new ArrayList<>();

    @Option(names = "--no-store-fast-path", description = "leave libunicorn.so.2 as loaded: every guest store takes its "
            + "slow path (by default the agent patches its own copy of Debian's 2.0.1 so that stores to pages without "
            + "EXEC are inline, 40 to 60 times faster; translated code stays exact either way)")
    private boolean noStoreFastPath;

    @Option(names = "--no-large-tlb", description = "leave Unicorn's soft TLB at QEMU's sizes (256 entries, shrinking to "
            + "64): by default the agent patches its own copy of Debian's 2.0.1 for 4,096 entries at least, so that two "
            + "hot pages of a program rarely evict each other on every access")
    private boolean noLargeTlb;

    @Option(names = "--no-exact-stops", description = "leave libunicorn.so.2 as loaded: a pause, a request made while "
            + "the guest runs or a guest timer may stop it inside a translated block and make the instructions before "
            + "the stop run twice (by default the agent patches its own copy of Debian's 2.0.1 so that such stops land "
            + "between blocks, where they are exact)")
    private boolean noExactStops;

    @Option(names = "--no-kept-code", description = "translate each program's code anew after every process switch and "
            + "exec (by default a parent's code waits on the engine while its child runs another program, and a program "
            + "loaded again reuses its last load's code and translations: docs/targets.md, \"Idle code across exec\")")
    private boolean noKeptCode;

    @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "ARG", description = "the ELF program's arguments, after --")
    private List<String> programArgs = new ArrayList<>();

    @Option(names = "--base", paramLabel = "ADDR", description = "load address of the raw image (hex; default 0x400000)")
    private String base = "0x" + Long.toHexString(RawImageLoader.DEFAULT_BASE);

    @Option(names = "--entry", paramLabel = "ADDR", description = "entry point (hex; default: the base)")
    private String entry;

    @Option(names = "--code-budget", paramLabel = "N", description = "instructions a condition or custom code may run per call (default: ${DEFAULT-VALUE})")
    private long codeBudget = Limits.DEFAULT.codeBudget();

    @Option(names = "--max-events", paramLabel = "N", description = "events alive at once, and breakpoints (default: ${DEFAULT-VALUE})")
    private int maxEvents = Limits.DEFAULT.maxEvents();

    @Option(names = "--max-actions", paramLabel = "N", description = "actions one event may hold (default: ${DEFAULT-VALUE})")
    private int maxActions = Limits.DEFAULT.maxActionsPerEvent();

    @Option(names = "--max-code-bytes", paramLabel = "N", description = "size of one condition or custom code (default: ${DEFAULT-VALUE})")
    private int maxCodeBytes = Limits.DEFAULT.maxCodeBytes();

    @Option(names = "--max-buffer-bytes", paramLabel = "N", description = "requested buffer of one custom code action (default: ${DEFAULT-VALUE})")
    private int maxBufferBytes = Limits.DEFAULT.maxBufferBytes();

    @Option(names = "--max-log-bytes", paramLabel = "N", description = "memory one log action may take per trigger (default: ${DEFAULT-VALUE})")
    private int maxLogBytes = Limits.DEFAULT.maxLogBytes();

    @Option(names = "--max-root-bytes", paramLabel = "N", description = "vmx-root memory all conditions, custom codes and buffers may hold together (default: ${DEFAULT-VALUE})")
    private long maxRootBytes = Limits.DEFAULT.maxRootBytes();

    @Option(names = "--batch-size", paramLabel = "N", description = "records that make a batch leave at once (default: "
            + Delivery.DEFAULT_BATCH_SIZE + ", or less to fit --queue-capacity)")
    private Integer batchSize;

    @Option(names = "--batch-delay-ms", paramLabel = "MS", description = "longest wait of a batched record (default: ${DEFAULT-VALUE})")
    private long batchDelayMs = Delivery.DEFAULT.maxDelay().toMillis();

    @Option(names = "--queue-capacity", paramLabel = "N", description = "records held for the host before the guest waits (default: ${DEFAULT-VALUE})")
    private int queueCapacity = Delivery.DEFAULT.capacity();

    @Option(names = "--queue-bytes", paramLabel = "N", description = "about how much memory the records waiting for the "
            + "host may take, whatever their number; reaching it counts as full too (default: ${DEFAULT-VALUE})")
    private long queueBytes = Delivery.DEFAULT_BYTE_BUDGET;

    @Option(names = "--on-full", paramLabel = "POLICY", converter = OnFullConverter.class,
            description = "when --queue-capacity records wait for the host: block (the guest waits; nothing is lost) or "
                    + "drop-oldest (the oldest give way to a 'lost' record saying which) (default: block)")
    private OnFull onFull = OnFull.BLOCK;

    /** block, drop-oldest: the spelling users type. */
    static final class OnFullConverter implements CommandLine.ITypeConverter<OnFull> {
        @Override
        public OnFull convert(String value) {
            return switch (value) {
                case "block" -> OnFull.BLOCK;
                case "drop-oldest" -> OnFull.DROP_OLDEST;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not block or drop-oldest");
            };
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = commandLine().execute(args);
        } catch (Error e) {
            // A heap exhausted or a native failure at start: one line, and an exit the execution thread cannot hold up.
            System.err.println("hdbg-agent: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /**
     * The program as {@link #main} runs it: a mistake on the command line is one line and a pointer to --help, exit
     * status 2, as is any option or file that cannot be used ({@link StartFailures#reportUserError}).
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AgentMain());
        commandLine.setParameterExceptionHandler((e, args) -> {
            StartFailures.say(e.getCommandLine().getErr(), e.getMessage() + " (see hdbg-agent --help)");
            return 2;
        });
        return commandLine.setExecutionExceptionHandler(StartFailures::reportUserError);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int targets = (image == null ? 0 : 1) + (sample == null ? 0 : 1) + (elf == null ? 0 : 1);
        if (targets != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one target: --elf FILE, --image FILE or "
                    + "--sample NAME (samples: " + String.join(", ", Samples.NAMES) + ")");
        }
        List<String> environment = new ArrayList<>();
        if (inheritEnv) {
            System.getenv().forEach((k, v) -> environment.add(k + "=" + v));
        }
        environment.addAll(env);
        long loadAt = address("--base", base);
        long entryPoint = entry == null ? loadAt : address("--entry", entry);
        List<PortForwards.Forward> forwardList = new ArrayList<>();
        for (String spec : forwardSpecs) {
            forwardList.add(PortForwards.Forward.parse(spec));
        }
        if (!forwardList.isEmpty() && elf == null) {
            throw new IllegalArgumentException("--forward reaches an ELF program's sockets: give --elf");
        }
        PortForwards forwards = new PortForwards(forwardList);
        Target target = elf != null ? new ElfTarget(elf, programArgs, environment, root, writable,
                        Optional.ofNullable(stdin), cwd, writableDirs, tmpfsDirs, forwards)
                : image != null ? new Target.Raw(image, loadAt, entryPoint)
                : new Target.Sample(sample, loadAt, entryPoint);
        InetSocketAddress where = parseListen(listen);
        // Every option is checked before anything is created: a refused start leaves no key pair and no socket behind.
        Optional<String> secret = token();
        ServerOptions.requireAuthentication(where.getHostString(), secret, clientCa != null);
        if (clientCa != null) {
            ServerTls.requireCertificates(clientCa);
        }
        requireTargetFiles();
        Limits limits = limits();
        Delivery delivery = delivery();
        requirePositive("--host-timeout", hostTimeoutSeconds, MAX_HOST_TIMEOUT_SECONDS, "seconds");
        ServerOptions serverOptions = new ServerOptions(where.getHostString(), where.getPort(), secret, once,
                serverTls(), Duration.ofSeconds(hostTimeoutSeconds));
        if (noStoreFastPath) {
            StoreFastPath.turnOff();
        }
        if (noLargeTlb) {
            SoftTlbSize.turnOff();
        }
        if (noExactStops) {
            StopsBetweenBlocks.turnOff();
        }
        if (noKeptCode) {
            Unicorn.turnOffTranslationContexts();
        }
        forwards.bind();
        try (forwards; AgentRuntime runtime = AgentRuntime.start(target, serverOptions, limits, delivery)) {
            LibraryPatch.Status fastPath = StoreFastPath.status();
            if (fastPath.state() == LibraryPatch.State.REFUSED) {
                LoggerFactory.getLogger(AgentMain.class).warn("guest stores take Unicorn's slow path (40 to 60 times "
                        + "slower): {}", fastPath.detail());
            }
            LibraryPatch.Status stops = StopsBetweenBlocks.status();
            if (stops.state() == LibraryPatch.State.REFUSED) {
                LoggerFactory.getLogger(AgentMain.class).warn("a pause or a guest timer may repeat instructions of the "
                        + "block it stops: {}", stops.detail());
            }
            LibraryPatch.Status tlb = SoftTlbSize.status();
            if (tlb.state() == LibraryPatch.State.REFUSED) {
                LoggerFactory.getLogger(AgentMain.class).warn("the soft TLB keeps QEMU's sizes: {}", tlb.detail());
            }
            if (!noKeptCode) {
                Unicorn.translationContextsRefused().ifPresent(why -> LoggerFactory.getLogger(AgentMain.class).warn(
                        "programs' code is translated anew after every switch and exec: {}", why));
            }
            // Before the listening line, which scripts and tests wait for: when they see it, the fingerprint is there.
            serverOptions.tls().ifPresent(t -> out.printf("hdbg-agent TLS fingerprint %s%n", t.identity().fingerprint()));
            out.printf("hdbg-agent listening on %s:%d%n", runtime.address().getHostString(), runtime.address().getPort());
            if (serverOptions.clearTextToOtherMachines()) {
                // Without --tls: say what that means for whoever listens on a network.
                spec.commandLine().getErr().println("hdbg-agent: warning: the connection is not encrypted: the token, the code "
                        + "hosts send and everything the target logs cross the network in clear text; on a network you do "
                        + "not trust, use --tls, or listen on 127.0.0.1 and tunnel the port (ssh -L)");
            }
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    runtime.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            runtime.awaitStop();
        }
        return 0;
    }

    /** The files the target needs, checked before the TLS state is created: a refused start creates nothing. */
    private void requireTargetFiles() throws IOException {
        StartFailures.requireFile(elf, "--elf");
        StartFailures.requireFile(image, "--image");
        StartFailures.requireFile(stdin, "--stdin");
        if (elf != null) {
            Target.requireLoadable(elf, "--elf");
        }
        if (image != null) {
            Target.requireLoadable(image, "--image");
        }
        if (elf != null && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("--root is not a directory: " + root);
        }
    }

    /** --token or --token-file: at most one, and a token that could not be guessed. */
    private Optional<String> token() {
        if (token != null && tokenFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the token once: --token or --token-file, not both");
        }
        if (tokenFile != null) {
            return Optional.of(Tokens.requireUsable(Tokens.read(tokenFile), "--token-file " + tokenFile));
        }
        return Optional.ofNullable(token).map(t -> Tokens.requireUsable(t, "--token"));
    }

    /** --tls (or --client-ca, which implies it): the identity in the state directory, created on first use. */
    private Optional<ServerTls> serverTls() throws IOException {
        if (!tls && clientCa == null) {
            if (stateDir != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--state-dir keeps the agent's TLS key pair: use it with --tls");
            }
            return Optional.empty();
        }
        Path directory = stateDir != null ? stateDir
                : TlsIdentity.defaultDirectory(System.getenv(), Path.of(System.getProperty("user.home")));
        return Optional.of(new ServerTls(TlsIdentity.loadOrCreate(directory), Optional.ofNullable(clientCa)));
    }

    private Limits limits() {
        requirePositive("--max-events", maxEvents, Integer.MAX_VALUE, "");
        requirePositive("--max-actions", maxActions, Integer.MAX_VALUE, "");
        requirePositive("--max-code-bytes", maxCodeBytes, MAX_CODE_ON_THE_WIRE, "bytes: a longer code does not fit in one frame");
        requireAtLeastZero("--max-buffer-bytes", maxBufferBytes);
        requirePositive("--max-log-bytes", maxLogBytes, Integer.MAX_VALUE, "bytes");
        requirePositive("--code-budget", codeBudget, Long.MAX_VALUE, "instructions");
        requirePositive("--max-root-bytes", maxRootBytes, Long.MAX_VALUE, "bytes");
        try {
            return new Limits(maxEvents, maxActions, maxCodeBytes, maxBufferBytes, maxLogBytes, codeBudget, maxRootBytes);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Delivery delivery() {
        requirePositive("--queue-capacity", queueCapacity, Integer.MAX_VALUE, "records");
        int batch = batchSize != null ? batchSize : Delivery.defaultBatchSize(queueCapacity, onFull);
        requirePositive("--batch-size", batch, queueCapacity, "records (at most --queue-capacity)");
        requirePositive("--batch-delay-ms", batchDelayMs, MAX_HOST_TIMEOUT_SECONDS * 1000, "milliseconds");
        requirePositive("--queue-bytes", queueBytes, Long.MAX_VALUE, "bytes");
        try {
            return new Delivery(queueCapacity, batch, Duration.ofMillis(batchDelayMs), onFull, queueBytes);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** A number of {@code units} from 1 to {@code max}, refused naming the option and the value as the user typed it. */
    private void requirePositive(String option, long value, long max, String units) {
        if (value < 1 || value > max) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + typed(option) + ": give "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "a number above 0" : "a number from 1 to " + max)
                    + (units.isEmpty() ? "" : " " + units));
        }
    }

    private void requireAtLeastZero(String option, long value) {
        if (value < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + typed(option) + ": give 0 or more");
        }
    }

    /** An option's value as typed, for a message in the user's own units ("-1", not "PT-1S"). */
    private String typed(String option) {
        CommandLine.Model.OptionSpec found = spec.findOption(option);
        return found == null || found.originalStringValues().isEmpty() ? "?" : Echo.cut(found.originalStringValues().getLast());
    }

    /** --base and --entry: a hex address where user code can be (canonical, lower half: the guest runs in user mode). */
    private long address(String option, String value) {
        long parsed;
        try {
            parsed = Numbers.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + Echo.cut(value) + ": " + e.getMessage());
        }
        if (Long.compareUnsigned(parsed, USER_LIMIT) >= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + Echo.cut(value)
                    + ": not a user-mode address (give one below 0x" + Long.toHexString(USER_LIMIT)
                    + ", the top of the canonical lower half)");
        }
        return parsed;
    }

    private InetSocketAddress parseListen(String value) {
        try {
            HostPort address = HostPort.parse("--listen", value);
            return InetSocketAddress.createUnresolved(address.host(), address.port());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
