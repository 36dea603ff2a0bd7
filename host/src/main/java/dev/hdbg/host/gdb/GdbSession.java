package dev.hdbg.host.gdb;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.Replies;
import dev.hdbg.host.client.StepStop;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One front end's session, in all-stop mode: packets are answered one at a time on the session's thread, which reads
 * them itself while the target is stopped ({@link FrontEndInput}); while it runs, a reader thread turns the socket
 * into {@link Inbound}s and the client's record thread adds the target's stops, both into one bounded queue, so that a
 * Ctrl-C and a stop are seen in the order they came. While the target runs, records reach the front end's console as
 * {@code O} packets; when it is stopped they wait (bounded) for the next run or monitor command. Whatever the front
 * end does — vanish mid-packet, send garbage — the session ends and the target is left as it is, without the session's
 * breakpoints. It is over 400 lines: the dispatch of every packet that is not a query stays in one switch, beside the
 * run state it reads and the choice of where the next event comes from, which reads that state too ({@link Queries}
 * has the queries, {@link StopReplies} the replies, {@link ConsoleRelay} the console, {@link StopMemory} the memory
 * read ahead at a stop, {@link FrontEndInput} the socket's reading).
 */
final class GdbSession {
    /** The largest packet gdb may send: {@code PacketSize} in {@code qSupported}, hex there. */
    static final int MAX_PACKET = 0x4000;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    /** What the session thread waits for. */
    private sealed interface Event {
    }

    private record FromFrontEnd(Inbound inbound) implements Event {
    }

    private record Stopped(DebuggerRecord stop) implements Event {
    }

    private record Gone(String why) implements Event {
    }

    private final Socket socket;
    private final DebuggerClient client;
    private final Monitor monitor;
    private final Consumer<String> log;
    /**
     * Unbounded on purpose: the record listener must never block here, since in a batch the thread that delivers
     * records is the one that drives the connection's I/O ({@code CallerDrivenLoop}), and this session's thread may
     * be waiting for a reply only it can read. What it holds stays small without a bound: the front end's input is one
     * hand-over at a time ({@link FrontEndInput}), and each stop halts the target until something resumes it.
     */
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final FrontEnd frontEnd;
    private final FrontEndInput input;
    /** gdb's socket waited for in the loop this thread drives ({@code hdbg --gdb}); empty with a loop thread. */
    private final Optional<DrivenSocket> driven;
    private final RegisterFile registers;
    private final StopMemory memory;
    private final TargetPoints points;
    private final SyscallCatch syscalls;
    private final SignalHandling signals;
    private final Queries queries;
    private final StopReplies replies;
    private final ConsoleRelay console;
    private volatile boolean running;
    private volatile boolean ended;
    /** Why the agent's connection ended, once it did (the client's disconnect listener sets it). */
    private volatile String agentGone;
    private boolean interrupted;
    private boolean exited;
    private DebuggerRecord lastStop;
    /**
     * The sequence number of the last stop taken from a step's reply (since 1.15): the record listener delivers the
     * same stop later, and it, or anything older, is not a new stop.
     */
    private long stopTakenFromReply;
    private final GuestThreads threads = new GuestThreads();
    /** The agent's id of {@link #stepWhenWoken}'s breakpoint while that step waits; -1 when none does. */
    private long wakeBreakpoint = -1;
    private volatile int queueWaits;

    /** @param log where the session tells the operator what happens (connections, hostile input) */
    GdbSession(Socket socket, DebuggerClient client, Monitor monitor, Consumer<String> log) throws IOException {
        this(socket, Optional.empty(), client, monitor, log);
    }

    /** @param driven gdb's socket in the loop this thread drives, when it drives one (its reads and writes go there) */
    GdbSession(Socket socket, Optional<DrivenSocket> driven, DebuggerClient client, Monitor monitor, Consumer<String> log)
            throws IOException {
        this.socket = socket;
        this.driven = driven;
        this.client = client;
        this.monitor = monitor;
        this.log = log;
        this.frontEnd = new FrontEnd(driven.isPresent() ? driven.get().out() : socket.getOutputStream());
        this.input = new FrontEndInput(driven.isPresent() ? driven.get().in() : socket.getInputStream(), MAX_PACKET,
                inbound -> offer(new FromFrontEnd(inbound)), failure -> offer(new Gone(why(failure))));
        this.console = new ConsoleRelay(frontEnd);
        RegisterFile.Replies waits = this::await;
        this.registers = new RegisterFile(client, waits);
        this.memory = new StopMemory(client, waits);
        this.points = new TargetPoints(client, waits);
        this.syscalls = new SyscallCatch(client, waits);
        this.queries = new Queries(this, client, waits);
        this.signals = new SignalHandling(client, waits, log);
        this.replies = new StopReplies(registers, points, syscalls, frontEnd, this::threadId, log);
    }

    /** Serves the front end until it detaches, kills or goes away. */
    void run() throws InterruptedException, IOException {
        socket.setTcpNoDelay(true);
        client.addRecordListener(this::onRecord);
        signals.start();
        try {
            serve();
        } finally {
            ended = true;
            signals.end();
            driven.ifPresent(DrivenSocket::close);
            closeSocket();
            input.close();
            try {
                points.clear();
                syscalls.clear();
            } catch (RuntimeException e) {
                log.accept("gdb: could not remove the session's breakpoints and catchpoints: " + e.getMessage());
            }
        }
    }

    /**
     * gdb resumes from {@code lastStop} with GDB's signal {@code gdbSignal} (0: none, {@code c}; {@code C} names one):
     * the agent delivers the held signal, drops it or replaces it ({@link SignalHandling}).
     */
    void resumeWithSignal(int gdbSignal) {
        signals.resume(lastStop, gdbSignal);
    }

    SignalHandling signals() {
        return signals;
    }

    private void serve() throws InterruptedException {
        while (true) {
            Event event = next();
            try {
                switch (event) {
                    case Gone gone -> {
                        log.accept("gdb: " + gone.why());
                        return;
                    }
                    case Stopped stopped -> {
                        if (stopped.stop().seq() > stopTakenFromReply) {
                            onStop(stopped.stop());
                        }
                    }
                    case FromFrontEnd(Inbound.Packet packet) -> {
                        frontEnd.ack(true);
                        if (!answer(packet)) {
                            return;
                        }
                    }
                    case FromFrontEnd(Inbound.Interrupt _) -> interrupt();
                    case FromFrontEnd(Inbound.Nack _) -> frontEnd.resend();
                    case FromFrontEnd(Inbound.Damaged damaged) -> {
                        log.accept("gdb: damaged packet (" + damaged.why() + ")");
                        if (frontEnd.acknowledging()) {
                            frontEnd.ack(false);
                        } else {
                            frontEnd.send("E01");
                        }
                    }
                    case FromFrontEnd(Inbound.Oversized oversized) -> {
                        log.accept("gdb: dropped a packet of " + oversized.length() + " bytes (limit " + MAX_PACKET + ")");
                        frontEnd.ack(true);
                        frontEnd.send("E01");
                    }
                }
            } catch (IOException e) {
                log.accept("gdb: the front end went away: " + e.getMessage());
                return;
            } catch (AgentError e) {
                // The packets' own failures are answered in answer(); this is what handling a stop met. An agent's
                // error is gdb's to hear, never the end of its session (issue 14).
                log.accept("gdb: the agent failed while the bridge handled a stop: " + e.getMessage());
                if (running) {
                    running = false;
                    try {
                        console.closeWith(replies.withRegisters(5, ""));
                    } catch (IOException gone) {
                        log.accept("gdb: the front end went away: " + gone.getMessage());
                        return;
                    }
                }
            }
            if (running && driven.isEmpty()) {
                input.readInBackground(); // a Ctrl-C may come while the session waits for the stop
            }
        }
    }

    /**
     * What to do next: while the target runs (or the reader thread still reads from when it did), what the queue
     * brings; while it is stopped, a stop or a loss queued meanwhile, else the front end's next packet, read here.
     */
    private Event next() throws InterruptedException {
        if (driven.isPresent()) {
            return nextDriven(driven.get());
        }
        if (running || input.readingInBackground()) {
            queueWaits++;
            Event event = events.take();
            if (event instanceof FromFrontEnd) {
                input.tookHandOver();
            }
            return event;
        }
        Event queued = events.poll(); // a stop gdb did not resume for (a monitor g): before gdb's next packet
        if (queued != null) {
            return queued;
        }
        try {
            return new FromFrontEnd(input.read());
        } catch (IOException e) {
            return new Gone(why(e));
        }
    }

    /**
     * What to do next on a thread that drives the client's I/O: a stop or loss queued (delivered on this thread while
     * it drove the loop), else gdb's next packet (a Ctrl-C while the target runs), whichever comes first, both waited
     * for in one selector.
     */
    private Event nextDriven(DrivenSocket gdb) {
        while (true) {
            Event queued = events.poll();
            if (queued != null) {
                return queued;
            }
            if (agentGone != null) {
                return new Gone(why(new EOFException()));
            }
            try {
                if (input.buffered() || gdb.awaitInput(() -> !events.isEmpty() || agentGone != null)) {
                    return new FromFrontEnd(input.read());
                }
            } catch (IOException e) {
                return new Gone(why(e));
            }
        }
    }

    private String why(IOException failure) {
        String agent = agentGone;
        if (agent != null) {
            return "the agent disconnected (" + agent + "): gdb's connection is closed";
        }
        if (failure instanceof EOFException) {
            return "the front end closed the connection";
        }
        return ended ? "session ended" : "the connection failed: " + failure.getMessage();
    }

    /** @return false when the session ends ({@code D}, {@code k}) */
    private boolean answer(Inbound.Packet packet) throws IOException, InterruptedException {
        String text = packet.text();
        if (text.isEmpty()) {
            frontEnd.send("");
            return true;
        }
        if (running) {
            // All-stop: nothing but Ctrl-C is expected while the target runs.
            frontEnd.send("E01");
            return true;
        }
        try {
            return dispatch(text, packet.payload());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            frontEnd.send("E01");
        } catch (AgentError e) {
            frontEnd.send(e.kind() == AgentError.Kind.UNMAPPED_ADDRESS ? "E14" : "E01");
        }
        return true;
    }

    private boolean dispatch(String text, byte[] payload) throws IOException, InterruptedException {
        char command = text.charAt(0);
        String args = text.substring(1);
        switch (command) {
            case '?' -> frontEnd.send(stopReplyForAttach());
            case 'g' -> frontEnd.send(registers.readAll());
            case 'G' -> {
                registers.writeAll(Packets.unhex(args));
                frontEnd.send("OK");
            }
            case 'p' -> frontEnd.send(registers.read(register(args)));
            case 'P' -> {
                int eq = args.indexOf('=');
                registers.write(register(args.substring(0, eq)), Packets.unhex(args.substring(eq + 1)));
                frontEnd.send("OK");
            }
            case 'm' -> frontEnd.send(Packets.hex(readMemory(args)));
            case 'M' -> {
                int colon = args.indexOf(':');
                long[] range = range(args.substring(0, colon));
                writeMemory(range[0], Packets.unhex(args.substring(colon + 1)), range[1]);
            }
            case 'X' -> {
                int colon = text.indexOf(':');
                long[] range = range(text.substring(1, colon));
                writeMemory(range[0], Packets.unescape(payload, colon + 1, payload.length - colon - 1), range[1]);
            }
            case 'Z', 'z' -> {
                // TYPE,ADDR,KIND[;X LEN,BYTECODE]...: gdb's conditions for the target to evaluate (Z0 and Z1)
                String[] conditions = args.split(";");
                String[] parts = conditions[0].split(",");
                TargetPoints.Kind kind = TargetPoints.Kind.values()[Integer.parseInt(parts[0])];
                TargetPoints.Point point = new TargetPoints.Point(kind, Packets.number(parts[1]), Packets.number(parts[2]),
                        kind.watches() ? null : ConditionList.script(conditions).orElse(null));
                if (command == 'Z') {
                    points.insert(point);
                } else {
                    points.remove(point);
                }
                frontEnd.send("OK");
            }
            case 'c', 'C' -> {
                resumeWithSignal(command == 'c' ? 0 : signalOf(args));
                resume(false, command == 'c' ? args : afterSignal(args));
            }
            case 's', 'S' -> {
                resumeWithSignal(command == 's' ? 0 : signalOf(args));
                resume(true, command == 's' ? args : afterSignal(args));
            }
            case 'H' -> {
                if (args.startsWith("g")) {
                    String id = args.substring(1);
                    Optional<GuestThreads.Thread> thread = threads.byId(id);
                    if (thread.isEmpty() && !id.equals("0") && !id.equals("-1")) {
                        threads.refresh(await(client.status()).cores()); // a thread started since the last list
                        thread = threads.byId(id);
                    }
                    thread.ifPresent(this::selectThread);
                }
                frontEnd.send("OK"); // Hc: all-stop, every thread resumes together
            }
            case 'T' -> {
                threads.refresh(await(client.status()).cores());
                frontEnd.send(threads.byId(args).isPresent() ? "OK" : "E01");
            }
            case 'D' -> {
                points.clear();
                syscalls.clear();
                frontEnd.send("OK");
                log.accept("gdb: detached; the target stays as it is");
                return false;
            }
            case 'k' -> {
                if (!exited) {
                    pauseQuietly();
                }
                log.accept("gdb: kill: the session ends; the target stays paused in the agent");
                return false;
            }
            case 'q', 'Q', 'v' -> {
                return queries.answer(text, payload);
            }
            default -> frontEnd.send("");
        }
        return true;
    }

    // ---- execution ---------------------------------------------------------------------------------------------

    /** {@code c}, {@code s}, {@code vCont}: lets the target run; the stop reply follows when it stops. */
    void resume(boolean step, String address) throws IOException {
        resume(step, address, null);
    }

    /** {@link #resume(boolean, String)}; a step with a {@code range} is gdb's range stepping ({@code vCont;r}). */
    private void resume(boolean step, String address, StepRange range) throws IOException {
        if (exited) {
            frontEnd.send(StopReplies.exit(lastStop));
            return;
        }
        if (!address.isEmpty()) {
            registers.write(TargetDescription.REGISTERS.get(16), Packets.unhex(Packets.littleEndian(Packets.number(address), 8)));
        }
        points.sync();
        syscalls.sync();
        registers.invalidate();
        memory.forget();
        interrupted = false;
        console.open();
        running = true;
        try {
            if (!step) {
                await(client.cont());
                return;
            }
            // A step the agent took at once answers with its stop: gdb's stop reply leaves now, without waiting for
            // the record to come round through the record listener.
            Optional<StepStop> stop = await(range == null ? client.stepWithStop(StepMode.INTO, StopMemory.WINDOW)
                    : client.stepWithStop(StopMemory.WINDOW, range));
            if (stop.isPresent()) {
                stopTakenFromReply = stop.get().stop().seq();
                onStop(stop.get().stop(), stop.get().stack());
            }
        } catch (AgentError e) {
            running = false;
            console.close();
            throw e;
        }
    }

    /**
     * A step of one thread ({@code vCont;s:ID}): it becomes the current thread first (the thread list is asked only
     * when gdb names another than the current one: a {@code stepi} costs no request more), then steps alone. A thread
     * that waits (in a futex, for a child) cannot step alone: it steps when the others wake it ({@link #stepWhenWoken}).
     */
    void stepThread(String id) throws IOException {
        stepThread(id, null);
    }

    /**
     * {@link #stepThread(String)}, through {@code range} when it is not null (gdb's range stepping); an empty
     * {@code id}: the current thread.
     */
    void stepThread(String id, StepRange range) throws IOException {
        Optional<GuestThreads.Thread> thread = id.isEmpty() ? Optional.of(threads.current()) : threads.byId(id);
        if (thread.isEmpty() || !thread.get().same(threads.current())) {
            threads.refresh(await(client.status()).cores());
            threads.byId(id).ifPresent(this::selectThread);
        }
        try {
            resume(true, "", range);
        } catch (AgentError e) {
            if (e.kind() != AgentError.Kind.BAD_STATE || threads.all().size() < 2) {
                throw e;
            }
            stepWhenWoken(threads.current());
        }
    }

    /**
     * The step of a thread that waits in a system call, as ptrace's: the call completes while the other threads run,
     * and the step stops the thread at the instruction after it, where its rip already is. A breakpoint there for this
     * thread alone, and the target continues; the stop that comes first is reported (this thread's, as a step, or
     * another thread's breakpoint), and the breakpoint goes at any stop.
     */
    private void stepWhenWoken(GuestThreads.Thread thread) throws IOException {
        long rip = registers.general("rip");
        wakeBreakpoint = await(client.addBreakpoint(rip, null, new Scope(OptionalLong.of(thread.pid()),
                OptionalLong.of(thread.tid()), OptionalInt.empty())));
        resume(false, "");
    }

    /** The breakpoint of a step that waits for its thread to wake ({@link #stepWhenWoken}), dropped at the stop. */
    private void dropWakeBreakpoint() {
        if (wakeBreakpoint < 0) {
            return;
        }
        long id = wakeBreakpoint;
        wakeBreakpoint = -1;
        try {
            await(client.modifyBreakpoints(id, false, EventModification.CLEAR));
        } catch (AgentError e) {
            log.accept("gdb: could not remove the breakpoint of a waiting thread's step: " + e.getMessage());
        }
    }

    /**
     * gdb's thread for registers, memory and steps ({@code Hg}): the agent selects its core ({@code ~ N}); what was
     * read at the stop was another thread's.
     */
    private void selectThread(GuestThreads.Thread thread) {
        if (thread.same(threads.current())) {
            return;
        }
        await(client.selectCore(thread.core()));
        if (thread.pid() != threads.current().pid()) {
            memory.forget(); // another process: another address space
        }
        threads.select(thread);
        registers.invalidate();
    }

    /** Ctrl-C: a running target pauses; its PAUSE break becomes the stop reply (SIGINT). */
    private void interrupt() {
        if (running) {
            interrupted = true;
            client.pause(); // a stop that wins the race makes the pause a no-op; its reply is not needed
        }
    }

    private void pauseQuietly() {
        try {
            if (running || await(client.status()).state() == TargetState.RUNNING) {
                await(client.pause());
            }
        } catch (AgentError e) {
            log.accept("gdb: could not pause the target: " + e.getMessage());
        }
    }

    private void onStop(DebuggerRecord stop) throws IOException {
        onStop(stop, Optional.empty());
    }

    /** A stop, with the stack the step's reply brought from it (since 1.15) when it did. */
    private void onStop(DebuggerRecord stop, Optional<StackBytes> stack) throws IOException {
        dropWakeBreakpoint();
        registers.stoppedAt(stop);
        threads.stoppedAt(stop);
        memory.forget();
        if (stack.isPresent()) {
            memory.stoppedWith(stack.get()); // read at the stop by the agent: no request of the bridge's
        } else if (stop instanceof DebuggerRecord.Break b && b.registers().containsKey(GuestRegister.RSP)) {
            // gdb reads the stack next, to find the frame: the read crosses the network while gdb takes the reply in
            memory.stopped(b.registers().get(GuestRegister.RSP), b.registers().get(GuestRegister.RBP));
        }
        if (stop instanceof DebuggerRecord.Exit) {
            exited = true;
        }
        lastStop = stop;
        if (!running) {
            return; // a stop gdb did not resume for (a monitor g): gdb hears of it at its next resume or '?'
        }
        String reply = replies.of(stop, interrupted);
        running = false;
        console.closeWith(reply);
    }

    private String stopReplyForAttach() throws IOException, InterruptedException {
        AgentStatus status = await(client.status());
        threads.attached(status.cores(), status.selectedCore());
        if (status.state() == TargetState.EXITED) {
            exited = true;
            return lastStop instanceof DebuggerRecord.Exit ? StopReplies.exit(lastStop) : "W00";
        }
        if (status.state() == TargetState.RUNNING) {
            // gdb attaches in all-stop mode: the target must be stopped when it asks.
            long seq = -1;
            await(client.pause());
            Event event = pollEvent(REPLY_TIMEOUT);
            if (event instanceof Stopped(DebuggerRecord stop)) {
                lastStop = stop;
                seq = stop.seq();
            }
            if (seq < 0) {
                throw new AgentError(AgentError.Kind.TIMEOUT, "the target did not pause");
            }
        }
        return lastStop instanceof DebuggerRecord.Break b && b.reason() == DebuggerRecord.BreakReason.PAUSE
                ? replies.withRegisters(2, "") : replies.withRegisters(5, "");
    }

    // ---- memory --------------------------------------------------------------------------------------------------

    private byte[] readMemory(String args) {
        long[] range = range(args);
        if (range[1] > MAX_PACKET / 2) {
            range[1] = MAX_PACKET / 2; // gdb takes a shorter reply as a partial read
        }
        return memory.read(range[0], (int) range[1]);
    }

    private void writeMemory(long address, byte[] data, long length) throws IOException {
        if (data.length != length) {
            throw new IllegalArgumentException("length " + length + " but " + data.length + " bytes");
        }
        if (data.length > 0) {
            memory.forget();
            await(client.writeMemory(address, data));
        }
        frontEnd.send("OK");
    }

    private static long[] range(String addressComma) {
        int comma = addressComma.indexOf(',');
        long length = Packets.number(addressComma.substring(comma + 1));
        if (length < 0 || length > MAX_PACKET) {
            throw new IllegalArgumentException("length " + length);
        }
        return new long[] {Packets.number(addressComma.substring(0, comma)), length};
    }

    private static TargetDescription.Register register(String hexNumber) {
        return TargetDescription.byNumber(Packets.number(hexNumber))
                .orElseThrow(() -> new IllegalArgumentException("no register " + hexNumber));
    }

    /** {@code C sig[;addr]}'s signal, in GDB's numbers. */
    static int signalOf(String args) {
        int semicolon = args.indexOf(';');
        return Integer.parseInt(semicolon < 0 ? args : args.substring(0, semicolon), 16);
    }

    private static String afterSignal(String args) {
        int semicolon = args.indexOf(';');
        return semicolon < 0 ? "" : args.substring(semicolon + 1);
    }

    // ---- console -------------------------------------------------------------------------------------------------

    /** {@code monitor}: runs an hdbg command with records reaching the console meanwhile; its output follows. */
    String runMonitor(String command) throws IOException {
        console.open();
        try {
            return monitor.execute(command);
        } finally {
            console.close();
            registers.invalidate(); // a monitor command may have changed them (r rax = 1) or memory
            memory.forget();
        }
    }

    /** gdb asked for {@code multiprocess+}: thread ids are {@code pPID.TID}. */
    void multiprocess(boolean on) {
        threads.multiprocess(on);
    }

    /** The current thread's id as the front end writes it. */
    String threadId() {
        return threads.id(threads.current());
    }

    /** The target's threads, as the agent's cores run them (refreshed from its status by whoever lists them). */
    GuestThreads threads() {
        return threads;
    }

    /** gdb's {@code catch syscall}. */
    SyscallCatch syscalls() {
        return syscalls;
    }

    FrontEnd frontEnd() {
        return frontEnd;
    }

    /** On the client's record thread. */
    private void onRecord(DebuggerRecord record) {
        if (ended) {
            return;
        }
        if (record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit) {
            events.add(new Stopped(record));
            return;
        }
        String text = record instanceof DebuggerRecord.Output output
                ? new String(output.data(), StandardCharsets.UTF_8)
                : monitor.describe(record).map(line -> line + "\n").orElse(null);
        if (text != null) {
            console.show(text);
        }
    }

    /**
     * The agent is gone (the client's disconnect listener, on its record thread after every record the agent sent),
     * and gdb must learn it now, not at its next packet (issue 14). Whoever reads gdb's socket — this session's thread
     * while the target is stopped, the reader thread while it runs — is woken by the end of its input and ends the
     * session, which closes gdb's connection: gdb says "Remote connection closed", as when gdbserver goes away.
     */
    void agentGone(String reason) {
        if (ended || agentGone != null) {
            return;
        }
        agentGone = reason;
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            log.accept("gdb: the agent disconnected (" + reason + "), and the front end's connection failed: " + e.getMessage());
            closeSocket();
        }
    }

    /** Why the agent's connection ended, when it did during the session. */
    Optional<String> agentGone() {
        return Optional.ofNullable(agentGone);
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    /** How many times the session thread waited on its queue (for tests: never while the target stays stopped). */
    int queueWaits() {
        return queueWaits;
    }

    /** How many things the front end sent came through a reader thread (for tests). */
    int handedOver() {
        return input.handedOver();
    }

    /** The next event within {@code timeout}, driving the client's loop meanwhile when this thread drives one. */
    private Event pollEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll();
            long left = deadline - System.nanoTime();
            if (event != null || left <= 0) {
                return event;
            }
            if (!CallerDrivenLoop.sleep(left)) {
                return events.poll(left, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void offer(Event event) {
        try {
            events.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            log.accept("gdb: closing the connection failed: " + e.getMessage());
        }
    }

    <T> T await(CompletableFuture<T> reply) {
        return Replies.await(reply, REPLY_TIMEOUT);
    }
}
