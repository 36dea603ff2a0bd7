package dev.hdbg.host.cli;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.forward.EventForwarding;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.RecordListener;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.common.script.SymbolResolver;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.StepsTaken;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One host's session as the commands use it: the connection (which {@code .connect} replaces and {@code .disconnect}
 * drops) and where its records go: the journal first, then an event's output or the screen, then the display after a
 * break and whoever waits for a stop. Beside it: the screen and the form things are shown in, the log file, the event
 * outputs and the target's symbols.
 */
public final class DebugSession implements AutoCloseable {
    /** The error of every command that needs an agent while there is none. */
    public static final String NOT_CONNECTED = "not connected (use .connect HOST:PORT)";

    private final PrintWriter screen;
    private final OutputFormat format;
    private final Output output;
    /** HyperDbg's {@code settings addressconversion}: addresses shown with the symbol that holds them. */
    private final ShowSettings show = new ShowSettings();
    private final Optional<Transcript> transcript;
    private final RecordJournal journal;
    private final EventForwarding forwarding;
    /** {@code --gdb}: the stops of steps, which gdb asked for and shows, are not shown on the screen too. */
    private boolean stepStopsShownByGdb;
    private volatile Runnable beforeStop;
    private final Reconnector reconnector;
    private final SymbolCache symbols = new SymbolCache(this::fetchSymbols, this::fetchModules);
    private final SessionExpressions expressions = new SessionExpressions(this);
    private final StopTracker stops = new StopTracker();
    private final BreakDisplay breakDisplay;
    private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
    private volatile DebuggerClient client;
    private volatile String address;
    /** Where the last connection left off, for a .connect back to the same agent run. */
    private volatile DebuggerClient.ResumePoint lastResumePoint;

    /** A session without a log file or a journal (the demo). */
    public DebugSession(DebuggerClient client, PrintWriter screen, OutputFormat format) {
        this(client, null, screen, format, null, null, null);
    }

    /**
     * @param address    where {@code client} is connected, for {@code .status}
     * @param screen     where results and records are shown; picocli's writer for the commands
     * @param transcript the tee {@code screen} prints through, for {@code .logopen}; null for none
     * @param token      the token {@code .connect} presents when {@code client} cannot say how it connected; may be null
     * @param journal    where every record is appended before it is acknowledged ({@code --resume FILE}); may be null
     */
    public DebugSession(DebuggerClient client, String address, PrintWriter screen, OutputFormat format,
                        Transcript transcript, String token, RecordJournal journal) {
        this.screen = screen;
        this.format = format;
        this.output = outputOn(screen);
        this.transcript = Optional.ofNullable(transcript);
        this.journal = journal;
        this.forwarding = new EventForwarding(output::error);
        this.reconnector = new Reconnector(client, token);
        this.breakDisplay = new BreakDisplay(() -> output, show::disassemblySyntax);
        attach(client, address);
    }

    /**
     * The current connection.
     *
     * @throws AgentError of kind CONNECTION, "not connected (use .connect HOST:PORT)", while disconnected
     */
    public DebuggerClient client() {
        DebuggerClient current = client;
        if (current == null) {
            throw new AgentError(AgentError.Kind.CONNECTION, NOT_CONNECTED);
        }
        return current;
    }

    public boolean connected() {
        return client != null;
    }

    /** HOST:PORT of the current connection, or empty while disconnected. */
    public Optional<String> address() {
        return client == null ? Optional.empty() : Optional.ofNullable(address);
    }

    /** The writer results and records are shown on; the command shell gives it to picocli. */
    public PrintWriter screen() {
        return screen;
    }

    /** What is shown on the screen by others than a command: records, the batch echo, notes. */
    public Output output() {
        return output;
    }

    /** The session's form of output (text or JSON) on {@code out}, such as a command's picocli writer. */
    public Output outputOn(PrintWriter out) {
        return format.on(out, this::describe);
    }

    /** {@code main+0x12} for an address inside a known symbol, unless {@code settings addressconversion off}. */
    public Optional<String> describe(long address) {
        return show.addressConversion() ? symbols().describe(address) : Optional.empty();
    }

    /** {@code settings addressconversion} and {@code syntax}. */
    public ShowSettings show() {
        return show;
    }

    /** The log file of {@code .logopen}, when this session's output prints through one. */
    public Optional<Transcript> transcript() {
        return transcript;
    }

    /**
     * {@code hdbg --gdb}: the plain stop of a step (a {@code stepi}, the steps of gdb's {@code next} and {@code finish}),
     * which only gdb asks for there, is gdb's to show; the screen keeps the rest (breakpoints, events, logs, exits, a
     * step that ended elsewhere). JSON output keeps every record, for tools that follow a session.
     */
    void leaveStepStopsToGdb() {
        stepStopsShownByGdb = !(output instanceof dev.hdbg.host.cli.output.JsonOutput);
    }

    public EventForwarding forwarding() {
        return forwarding;
    }

    /** Whether a break is followed by the registers and the instruction about to run, as WinDbg shows them. */
    public void showRegistersOnBreak(boolean show) {
        breakDisplay.enable(show);
    }

    /** A step; its stop without the registers unless a break shows them: nothing else here reads them (1.16). */
    public CompletableFuture<Void> step(StepMode mode) {
        return breakDisplay.enabled() ? client().step(mode) : client().stepBare(mode);
    }

    /** Up to {@code count} steps in one request ({@link DebuggerClient#steps}), bare as {@link #step}'s. */
    public CompletableFuture<StepsTaken> steps(StepMode mode, long count) {
        return client().steps(mode, count, !breakDisplay.enabled());
    }

    /** The target's symbols, fetched once per connection and after a stop that changed its modules; may be empty. */
    public SymbolTable symbols() {
        return symbols.table();
    }

    /**
     * {@code ~ N}, {@code .process pid N}, {@code .thread tid N}: the selected core may be another process's, whose
     * modules (after its execve, another program's) the symbols must then be.
     */
    public void coreSelected() {
        symbols.stopped();
    }

    private List<Symbol> fetchSymbols() {
        return connected() ? await(client().listSymbols("")) : List.of();
    }

    /** The current connection's modules, asked of the agent; none while disconnected. */
    List<LoadedModule> fetchModules() {
        return connected() ? await(client().listModules()) : List.of();
    }

    /**
     * {@code .connect}: drops the current connection, then connects to HOST:PORT with the
     * session's token and TLS settings. On failure the session stays disconnected.
     *
     * @throws AgentError as {@link DebuggerClient#connect} does
     */
    public DebuggerClient connect(String host, int port) throws InterruptedException {
        disconnect();
        // Back to the same agent run: what this session showed is not shown again, what the agent kept is.
        DebuggerClient.ResumePoint resume = journal != null ? journal.resumePoint().orElse(null) : lastResumePoint;
        DebuggerClient fresh = reconnector.connect(host, port, resume);
        attach(fresh, host + ":" + port);
        return fresh;
    }

    /** {@code .disconnect}: closes the connection; its records are not shown any more. @return whether one was open */
    public boolean disconnect() {
        DebuggerClient old = client;
        if (old == null) {
            return false;
        }
        // Closed while still this session's connection: closing delivers and acknowledges what it has received,
        // so those records must still be journaled and shown. Dropped first, they were acknowledged unseen and
        // lost to the next host.
        old.close();
        output.noMoreRecords();
        lastResumePoint = old.resumePoint();
        synchronized (this) {
            if (client == old) {
                client = null;
                stops.detached();
            }
        }
        forwarding.forgetEvents();
        return true;
    }

    /**
     * A target that ended while no host was attached, whose records up to its exit this host's journal does not hold
     * yet: they come (the agent keeps what no host acknowledged), so a {@code g} waits for the exit as for a running
     * target's next stop (docs/security.md, step 5). Without a journal nothing says which records will come, so a
     * {@code g} then reports the exit at once.
     */
    private boolean exitStillToCome(AgentStatus status, DebuggerClient fresh) {
        if (status.state() != TargetState.EXITED || journal == null) {
            return false;
        }
        String instance = fresh.resumePoint().agentInstance();
        long journaled = journal.resumePoint().filter(p -> p.agentInstance().equals(instance))
                .map(DebuggerClient.ResumePoint::lastSeq).orElse(0L);
        return status.lastSeq() > journaled;
    }

    private void attach(DebuggerClient fresh, String where) {
        symbols.forget();
        synchronized (this) {
            client = fresh;
            address = where;
            AgentStatus status = fresh.statusAtConnect();
            stops.attached(status != null && (status.state() == TargetState.RUNNING || exitStillToCome(status, fresh)));
        }
        if (journal != null) {
            journal.begin(fresh.resumePoint().agentInstance());
        }
        // Records and disconnects of a replaced connection are ignored.
        fresh.addRecordListener(new RecordListener() {
            @Override
            public void accept(DebuggerRecord record) {
                if (client == fresh) {
                    if (journal != null) {
                        journal.accept(record); // first: a record shown but not in the journal would be shown twice
                    }
                    onRecord(fresh, record);
                }
            }

            @Override
            public void batchDelivered() {
                if (client == fresh) {
                    output.endOfRecords();
                }
            }
        });
        fresh.onDisconnect(reason -> {
            if (client == fresh) {
                stops.lost(reason);
            }
        });
    }

    /** Runs {@code hook} (null: none) before each break or exit is shown: a batch's joined t lines echo there. */
    public void beforeEachStop(Runnable hook) {
        beforeStop = hook;
    }

    private void onRecord(DebuggerClient from, DebuggerRecord record) {
        boolean stop = record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit;
        Runnable hook = beforeStop;
        if (stop && hook != null) {
            hook.run();
        }
        if (stop && !from.cameWithStepReply(record)) {
            // Before the record and the break display name addresses. Not after a step whose stop came with its reply:
            // it ran no system call, so no library came or went, and asking for the modules again cost every stop
            // shown (a gdb stepi through the bridge, a t at the prompt) a round trip to the agent (issue 14).
            symbols.stopped();
        }
        if (stepStopsShownByGdb && record instanceof DebuggerRecord.Break b && b.isPlainStep()) {
            // gdb's own step: gdb shows where it stopped (the screen had a line for each of a stepi 5000's stops)
        } else if (!forwarding.forward(record)) {
            output.recordOfBatch(record); // shown when the batch ends (batchDelivered), a block of lines at once
        }
        breakDisplay.after(from, record);
        if (stop) {
            stops.stopped(record);
            stopListeners.forEach(Runnable::run);
        }
        stops.received(record);
    }

    /** How long {@link #targetStarted} waits for the records of the start; they are on their way with its reply. */
    private static final Duration START_RECORDS_WAIT = Duration.ofSeconds(10);

    /**
     * The target was started again ({@code .start}, {@code .restart}) and is now as {@code status} says: its symbols
     * are fetched again when next needed, and the records of the start (the old target's exit, the notice) are
     * waited for, so that a {@code g} that follows waits for the new run's stop.
     */
    public void targetStarted(AgentStatus status) throws InterruptedException {
        symbols.forget();
        stops.awaitRecord(status.lastSeq(), START_RECORDS_WAIT);
    }

    /** Runs {@code listener} on the record thread after each break or exit, e.g. to show the new state in a prompt. */
    public void onStop(Runnable listener) {
        stopListeners.add(listener);
    }

    /**
     * Whether the target has been running since this connection attached, with no break or exit seen since: what a
     * host started again after a crash finds when its predecessor had let the target run.
     */
    public boolean runningSinceAttach() {
        return stops.runningSinceAttach();
    }

    /** The sequence number of the last break or exit seen so far on this connection. */
    public long lastStopSeq() {
        return stops.lastStopSeq();
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq}.
     *
     * @throws AgentError of kind CONNECTION if the agent goes away or the session is disconnected
     *                    first, TIMEOUT after {@code timeout}
     */
    public DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout) throws InterruptedException {
        return stops.awaitStopAfter(afterSeq, timeout);
    }

    /**
     * The stop that ended steps taken in one request ({@link #steps}): the one its reply names, or, for a step that went
     * through the agent's execution thread (none named), the first after {@code before}.
     */
    public DebuggerRecord awaitStopOf(StepsTaken taken, long before, Duration timeout) throws InterruptedException {
        return stops.awaitStopAfter(Math.max(before, taken.lastStopSeq() - 1), timeout);
    }

    /** {@link StopTracker#awaitStopAfter(long, Duration, CompletableFuture, Duration)}: a step's stop, woken once. */
    public DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout, CompletableFuture<?> request)
            throws InterruptedException {
        return stops.awaitStopAfter(afterSeq, timeout, request, Await.REPLY_TIMEOUT);
    }

    /** Waits for a reply, turning failures into {@link AgentError}. */
    public <T> T await(CompletableFuture<T> reply) {
        return Await.reply(reply);
    }

    /**
     * The target's symbols as scripts name them: {@code main}, or {@code module!main}; a module hdbg does not know
     * ({@code nt!}, in HyperDbg's examples) is passed over for the plain name.
     */
    public SymbolResolver scriptSymbols() {
        return expressions.scriptSymbols();
    }

    /** A command line starts: the expressions of the one before it no longer explain an error. */
    public void commandStarts() {
        expressions.commandStarts();
    }

    /** {@link SessionExpressions#numbersNamingSymbols}. */
    public Optional<String> numbersNamingSymbols() {
        return expressions.numbersNamingSymbols();
    }

    /**
     * Evaluates an address or value expression: hex by default, registers by name or {@code @name}
     * (read from the agent only when the expression names one), {@code poi(EXPR)} the qword at EXPR.
     */
    public long evaluate(String expression) {
        return expressions.evaluate(expression);
    }

    @Override
    public void close() {
        disconnect();
        forwarding.closeAll();
        transcript.ifPresent(Transcript::close);
    }
}
