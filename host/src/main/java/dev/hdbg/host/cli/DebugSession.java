package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.forward.EventForwarding;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.parse.ExpressionParser;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.disasm.Disassembler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One host's session as the commands use it: the connection (which {@code .connect} replaces and
 * {@code .disconnect} drops), the output, the log file, the event outputs, and what the target did
 * last (so {@code g} in batch mode can wait for the next break or exit).
 */
public final class DebugSession implements AutoCloseable {
    /** The error of every command that needs an agent while there is none. */
    public static final String NOT_CONNECTED = "not connected (use .connect HOST:PORT)";

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@code .connect} retries an agent that still serves the host just dropped. */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(3);

    private final Output output;
    private final Optional<Transcript> transcript;
    private final ConnectSettings reconnectSettings;
    private final RecordJournal journal;
    private final EventForwarding forwarding;
    private final Object stops = new Object();
    private volatile DebuggerClient client;
    private volatile String address;
    private volatile boolean registersOnBreak;
    private long lastStopSeq;
    private DebuggerRecord lastStop;
    private String disconnectReason;
    /** The target was running when this connection attached, and no break or exit has come since. */
    private boolean runningSinceAttach;

    /** A session without a log file (the demo). */
    public DebugSession(DebuggerClient client, Output output) {
        this(client, null, output, null, null);
    }

    /**
     * @param address    where {@code client} is connected, for {@code .status}
     * @param transcript the tee {@code output} prints through, for {@code .logopen}; null for none
     * @param token      the token {@code .connect} presents when {@code client} cannot say how it connected; may be null
     */
    public DebugSession(DebuggerClient client, String address, Output output, Transcript transcript, String token) {
        this(client, address, output, transcript, token, null);
    }

    /**
     * @param journal where every record is appended before it is acknowledged ({@code --resume FILE}); may be null
     */
    public DebugSession(DebuggerClient client, String address, Output output, Transcript transcript, String token,
                        RecordJournal journal) {
        this.journal = journal;
        this.output = output;
        output.setSymbolizer(at -> symbols().describe(at));
        this.transcript = Optional.ofNullable(transcript);
        // .connect connects as this client did (token, TLS, liveness), except that an observer stays one and a host that
        // took over controls from then on, like any other.
        ConnectSettings initial = client.settings() != null ? client.settings() : ConnectSettings.defaults().withToken(token);
        this.reconnectSettings = initial.withMode(client.attachMode() == AttachMode.OBSERVE ? AttachMode.OBSERVE
                : AttachMode.CONTROL);
        this.forwarding = new EventForwarding(output::error);
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

    public Output output() {
        return output;
    }

    /** The log file of {@code .logopen}, when this session's output prints through one. */
    public Optional<Transcript> transcript() {
        return transcript;
    }

    public EventForwarding forwarding() {
        return forwarding;
    }

    /** Whether a break is followed by the registers, as WinDbg shows them after a break. */
    public void showRegistersOnBreak(boolean show) {
        this.registersOnBreak = show;
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
        long deadline = System.nanoTime() + BUSY_RETRY.toNanos();
        while (true) {
            try {
                DebuggerClient fresh = DebuggerClient.connectWith(host, port, reconnectSettings.withResumeFrom(resume));
                attach(fresh, host + ":" + port);
                return fresh;
            } catch (AgentError e) {
                // The agent serves one host; it may not have seen the connection just closed go yet.
                if (e.kind() != AgentError.Kind.BUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private volatile SymbolTable symbols;

    /** The target's symbols, fetched once per connection; empty for a raw image or an older agent. */
    public SymbolTable symbols() {
        SymbolTable table = symbols;
        if (table == null) {
            List<Symbol> fetched;
            try {
                fetched = connected() ? await(client().listSymbols("")) : List.of();
            } catch (AgentError e) {
                fetched = List.of();
            }
            table = new SymbolTable(fetched);
            symbols = table;
        }
        return table;
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
        lastResumePoint = old.resumePoint();
        synchronized (stops) {
            if (client == old) {
                client = null;
            }
            stops.notifyAll();
        }
        forwarding.forgetEvents();
        return true;
    }

    private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
    /** Where the last connection left off, for a .connect back to the same agent run. */
    private volatile DebuggerClient.ResumePoint lastResumePoint;

    private void attach(DebuggerClient fresh, String where) {
        symbols = null;
        synchronized (stops) {
            client = fresh;
            address = where;
            lastStopSeq = 0;
            lastStop = null;
            disconnectReason = null;
            AgentStatus status = fresh.statusAtConnect();
            runningSinceAttach = status != null && status.state() == TargetState.RUNNING;
        }
        if (journal != null) {
            journal.begin(fresh.resumePoint().agentInstance());
        }
        // Records and disconnects of a replaced connection are ignored.
        fresh.addRecordListener(record -> {
            if (client == fresh) {
                if (journal != null) {
                    journal.accept(record); // first: a record shown but not in the journal would be shown twice
                }
                onRecord(fresh, record);
            }
        });
        fresh.onDisconnect(reason -> {
            if (client == fresh) {
                onDisconnect(reason);
            }
        });
    }

    private void onRecord(DebuggerClient from, DebuggerRecord record) {
        if (!forwarding.forward(record)) {
            output.record(record);
        }
        if (record instanceof DebuggerRecord.Break && registersOnBreak) {
            // On the record thread, before g is told of the stop, so a script's output keeps its order.
            try {
                var registers = await(from.readRegisters(List.of()));
                output.registers(registers);
                showInstructionAt(from, registers.get("rip"));
            } catch (AgentError e) {
                output.error("cannot show the registers after the break: " + e.getMessage());
            }
        }
        if (record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit) {
            synchronized (stops) {
                lastStopSeq = record.seq();
                lastStop = record;
                runningSinceAttach = false;
                stops.notifyAll();
            }
            stopListeners.forEach(Runnable::run);
        }
    }

    /** Runs {@code listener} on the record thread after each break or exit, e.g. to show the new state in a prompt. */
    public void onStop(Runnable listener) {
        stopListeners.add(listener);
    }

    /** After a break, as WinDbg does: the instruction about to run, disassembled. */
    private void showInstructionAt(DebuggerClient from, long rip) {
        for (int length = 15; length > 0; length--) {
            try {
                byte[] code = await(from.readMemory(rip, length));
                try (Disassembler disassembler = Disassembler.x86_64()) {
                    var instructions = disassembler.disassemble(code, rip, 1);
                    if (!instructions.isEmpty()) {
                        output.disassembly(instructions, true);
                    }
                }
                return;
            } catch (AgentError e) {
                if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                    return;
                }
            }
        }
    }

    private void onDisconnect(String reason) {
        synchronized (stops) {
            disconnectReason = reason;
            stops.notifyAll();
        }
    }

    /**
     * Whether the target has been running since this connection attached, with no break or exit seen since: what a
     * host started again after a crash finds when its predecessor had let the target run.
     */
    public boolean runningSinceAttach() {
        synchronized (stops) {
            return runningSinceAttach;
        }
    }

    /** The sequence number of the last break or exit seen so far on this connection. */
    public long lastStopSeq() {
        synchronized (stops) {
            return lastStopSeq;
        }
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq}.
     *
     * @throws AgentError of kind CONNECTION if the agent goes away or the session is disconnected
     *                    first, TIMEOUT after {@code timeout}
     */
    public DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stops) {
            while (lastStopSeq <= afterSeq) {
                if (disconnectReason != null) {
                    throw new AgentError(AgentError.Kind.CONNECTION, disconnectReason);
                }
                if (client == null) {
                    throw new AgentError(AgentError.Kind.CONNECTION, NOT_CONNECTED);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AgentError(AgentError.Kind.TIMEOUT, "the target did not stop within " + timeout.toSeconds() + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(stops, left);
            }
            return lastStop;
        }
    }

    /** Waits for a reply, turning failures into {@link AgentError}. */
    public <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentError ae ? ae : new AgentError(AgentError.Kind.INTERNAL, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent did not answer within " + REPLY_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentError(AgentError.Kind.TIMEOUT, "interrupted");
        }
    }

    /**
     * Evaluates an address or value expression: hex by default, registers by name or {@code @name}
     * (read from the agent only when the expression names one), {@code poi(EXPR)} the qword at EXPR.
     */
    public long evaluate(String expression) {
        return ExpressionParser.evaluate(expression, name -> GuestRegister.byName(name)
                .map(r -> OptionalLong.of(await(client().readRegisters(List.of(r.wireName()))).get(r.wireName())))
                .orElseGet(() -> symbols().address(name)), address -> {
                    byte[] qword;
                    try {
                        qword = await(client().readMemory(address, 8));
                    } catch (AgentError e) {
                        if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                            throw e;
                        }
                        throw new IllegalArgumentException("poi(0x" + Long.toHexString(address) + "): " + e.getMessage(), e);
                    }
                    return ByteBuffer.wrap(qword).order(ByteOrder.LITTLE_ENDIAN).getLong();
                });
    }

    @Override
    public void close() {
        disconnect();
        forwarding.closeAll();
        transcript.ifPresent(Transcript::close);
    }
}
