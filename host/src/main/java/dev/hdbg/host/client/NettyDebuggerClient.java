package dev.hdbg.host.client;

import com.google.protobuf.ByteString;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.io.IoReasons;
import dev.hdbg.common.model.AddedEvent;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.FilePart;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.EventCodec;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.wire.SessionCodec;
import dev.hdbg.common.wire.TargetCodec;
import dev.hdbg.proto.v1.AddActionRequest;
import dev.hdbg.proto.v1.AddEventRequest;
import dev.hdbg.proto.v1.ContinueRequest;
import dev.hdbg.proto.v1.DetachRequest;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloReply;
import dev.hdbg.proto.v1.HelloRequest;
import dev.hdbg.proto.v1.ListEventsRequest;
import dev.hdbg.proto.v1.ModifyEventRequest;
import dev.hdbg.proto.v1.PauseRequest;
import dev.hdbg.proto.v1.ReadMemoryRequest;
import dev.hdbg.proto.v1.ReadRegistersRequest;
import dev.hdbg.proto.v1.SelectCoreRequest;
import dev.hdbg.proto.v1.StatusRequest;
import dev.hdbg.proto.v1.WriteMemoryRequest;
import dev.hdbg.proto.v1.WriteRegisterRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link DebuggerClient} over Netty; protobuf stays in this class and {@link ClientHandler}. It is over 400 lines
 * because it builds the request of every call of the API in one place, a few lines each, as the one protobuf edge.
 */
final class NettyDebuggerClient implements DebuggerClient {
    private static final int CONNECT_TIMEOUT_MS = 5000;
    /** How long the connection and the Hello may take, each: the drive of a caller-driven loop and the wait alike. */
    private static final long HELLO_SECONDS = 10;
    /** How long the Detach and the channel's close may take, each. */
    private static final long CLOSING_SECONDS = 2;
    /** Longer than the SslHandler's own 10 s, which fails the handshake with a reason first. */
    private static final int TLS_HANDSHAKE_TIMEOUT_MS = 15_000;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ClientHandler handler;
    private final AgentStatus statusAtConnect;
    private final String agentInstance;
    private final HelloReply hello;

    private final ConnectSettings settings;

    private NettyDebuggerClient(EventLoopGroup group, Channel channel, ClientHandler handler, HelloReply hello,
                                ConnectSettings settings) {
        this.settings = settings;
        this.group = group;
        this.channel = channel;
        this.handler = handler;
        this.hello = hello;
        this.statusAtConnect = ExecutionCodec.decode(hello.getStatus());
        this.agentInstance = hello.getInstanceId();
    }

    static NettyDebuggerClient connect(String host, int port, ConnectSettings settings) {
        String token = settings.token();
        AttachMode mode = settings.mode();
        ResumePoint previous = settings.resumeFrom();
        TlsSettings tls = settings.tls();
        // Before any thread or socket: a client certificate that cannot be read is the user's to fix, not a connection failure.
        Optional<SslContext> sslContext = Optional.ofNullable(tls).map(t -> ClientTls.context(t, host + ":" + port));
        ClientHandler handler;
        EventLoopGroup group;
        if (settings.callerDriven()) {
            // The connecting thread delivers the records itself too, between runs of its loop: no listener thread.
            DrivenDeliveries owned = CallerDrivenLoop.ownNew(settings.transport());
            group = owned.loop();
            handler = new ClientHandler(settings.deadAfter(), owned);
        } else {
            handler = new ClientHandler(settings.deadAfter());
            group = new MultiThreadIoEventLoopGroup(1, settings.transport().handlers(handler::selectStrategy));
        }
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(settings.transport().socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ClientChannelInitializer(handler, settings.pingEvery(), sslContext, host, port));
            ChannelFuture connected = bootstrap.connect(host, port);
            CallerDrivenLoop.driveUntil(connected::isDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(HELLO_SECONDS));
            connected.awaitUninterruptibly();
            if (!connected.isSuccess()) {
                throw new AgentError(AgentError.Kind.CONNECTION, "cannot connect to an agent at " + host + ":" + port
                        + ": " + IoReasons.ofSocket(connected.cause()) + " (is bin/hdbg-agent running there?)");
            }
            Channel channel = connected.channel();
            if (sslContext.isPresent()) {
                awaitTlsHandshake(channel, host + ":" + port);
            }
            var helloFuture = handler.call(channel, Envelope.newBuilder().setHelloRequest(HelloRequest.newBuilder()
                    .setVersion(Protocol.version()).setClientName("hdbg-host").setToken(token == null ? "" : token)
                    .addCapabilities(Protocol.RECORDS_ACK).addCapabilities(Protocol.PING)
                    .addCapabilities(Protocol.STEP_BREAK_RECORD).setMode(SessionCodec.encode(mode))));
            CallerDrivenLoop.driveUntil(helloFuture::isDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(HELLO_SECONDS));
            Envelope hello = helloFuture.get(HELLO_SECONDS, TimeUnit.SECONDS);
            HelloReply reply = hello.getHelloReply();
            if (reply.getCapabilitiesList().contains(Protocol.RECORDS_ACK)) {
                handler.acknowledgeOn(channel);
            }
            if (reply.getCapabilitiesList().contains(Protocol.PING)) {
                handler.pingWhileIdle();
            }
            if (previous != null && !reply.getInstanceId().isEmpty() && previous.agentInstance().equals(reply.getInstanceId())) {
                handler.skipThrough(previous.lastSeq());
            }
            if (mode == AttachMode.OBSERVE && !reply.getCapabilitiesList().contains(Protocol.ATTACH_MODES)) {
                channel.close();
                throw new AgentError(AgentError.Kind.VERSION_MISMATCH, "the agent at " + host + ":" + port
                        + " is older than protocol 1.5 and cannot be observed: it attached this host with control");
            }
            return new NettyDebuggerClient(group, channel, handler, reply, settings);
        } catch (java.util.concurrent.ExecutionException e) {
            CallerDrivenLoop.end(group, 100, 2_000);
            throw e.getCause() instanceof AgentError ae ? ae : new AgentError(AgentError.Kind.CONNECTION, e.getCause().toString());
        } catch (java.util.concurrent.TimeoutException e) {
            CallerDrivenLoop.end(group, 100, 2_000);
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent at " + host + ":" + port + " did not answer Hello");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CallerDrivenLoop.end(group, 100, 2_000);
            throw new AgentError(AgentError.Kind.CONNECTION, "interrupted while connecting");
        } catch (RuntimeException e) {
            CallerDrivenLoop.end(group, 100, 2_000);
            throw e;
        }
    }

    @Override
    public ConnectSettings settings() {
        return settings;
    }

    @Override
    public AttachMode attachMode() {
        return SessionCodec.granted(hello.getMode());
    }

    @Override
    public Optional<String> tookOverFrom() {
        return hello.getPreviousHost().isEmpty() ? Optional.empty() : Optional.of(hello.getPreviousHost());
    }

    /** The agent's certificate is checked during the handshake: nothing, not even the token, goes out before. */
    private static void awaitTlsHandshake(Channel channel, String agent) throws InterruptedException {
        Future<Channel> handshake = channel.pipeline().get(SslHandler.class).handshakeFuture();
        CallerDrivenLoop.driveUntil(handshake::isDone, System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(TLS_HANDSHAKE_TIMEOUT_MS));
        if (!handshake.await(TLS_HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent at " + agent + " did not complete the TLS handshake within "
                    + TLS_HANDSHAKE_TIMEOUT_MS / 1000 + " s: was it started with --tls?");
        }
        if (!handshake.isSuccess()) {
            throw TlsFailures.handshakeFailed(handshake.cause(), agent);
        }
    }

    private CompletableFuture<Envelope> call(Envelope.Builder request) {
        return handler.call(channel, request);
    }

    @Override
    public ResumePoint resumePoint() {
        return new ResumePoint(agentInstance, handler.lastSeq());
    }

    @Override
    public AgentStatus statusAtConnect() {
        return statusAtConnect;
    }

    @Override
    public CompletableFuture<AddedEvent> addEvent(EventSpec spec) {
        return call(Envelope.newBuilder().setAddEventRequest(AddEventRequest.newBuilder().setEvent(EventCodec.encode(spec))))
                .thenApply(e -> EventCodec.decode(e.getAddEventReply()));
    }

    @Override
    public CompletableFuture<Long> addAction(long eventId, ActionSpec action) {
        return call(Envelope.newBuilder().setAddActionRequest(AddActionRequest.newBuilder().setEventId(eventId)
                .setAction(EventCodec.encode(action)))).thenApply(e -> e.getAddActionReply().getActionId());
    }

    @Override
    public CompletableFuture<List<Long>> enableEvent(long eventId) {
        return modify(eventId, false, EventModification.ENABLE);
    }

    @Override
    public CompletableFuture<List<Long>> disableEvent(long eventId) {
        return modify(eventId, false, EventModification.DISABLE);
    }

    @Override
    public CompletableFuture<List<Long>> clearEvent(long eventId) {
        return modify(eventId, false, EventModification.CLEAR);
    }

    @Override
    public CompletableFuture<List<Long>> modifyAllEvents(EventModification modification) {
        return modify(0, true, modification);
    }

    private CompletableFuture<List<Long>> modify(long eventId, boolean all, EventModification modification) {
        return call(Envelope.newBuilder().setModifyEventRequest(ModifyEventRequest.newBuilder().setEventId(eventId)
                .setAll(all).setModification(EventCodec.encode(modification))))
                .thenApply(e -> e.getModifyEventReply().getEventIdsList());
    }

    @Override
    public CompletableFuture<List<EventInfo>> listEvents() {
        return call(Envelope.newBuilder().setListEventsRequest(ListEventsRequest.getDefaultInstance()))
                .thenApply(e -> e.getListEventsReply().getEventsList().stream().map(EventCodec::decode).toList());
    }

    @Override
    public CompletableFuture<Void> cont() {
        return call(Envelope.newBuilder().setContinueRequest(ContinueRequest.getDefaultInstance())).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<Void> runTo(long address) {
        return call(Envelope.newBuilder().setContinueRequest(ContinueRequest.newBuilder().setHasRunTo(true).setRunTo(address)))
                .thenApply(e -> null);
    }

    @Override
    public CompletableFuture<Void> step(StepMode mode) {
        // The stop a 1.15 agent sends with the reply reaches the record listeners (ReplyCorrelator): not decoded here.
        return call(stepRequest(mode, null)).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<Void> stepBare(StepMode mode) {
        // An agent before "step.bare-stop" ignores the field and sends the registers.
        Envelope.Builder request = stepRequest(mode, null);
        request.getStepRequestBuilder().setStopWithoutRegisters(true);
        return call(request).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<StepsTaken> steps(StepMode mode, long count, boolean bare) {
        if (count <= 1 || mode != StepMode.INTO || !hello.getCapabilitiesList().contains(Protocol.STEP_COUNT)) {
            return DebuggerClient.super.steps(mode, count, bare);
        }
        Envelope.Builder request = stepRequest(mode, null);
        request.getStepRequestBuilder().setCount((int) Math.min(count, Integer.MAX_VALUE));
        return call(request).thenApply(e -> new StepsTaken(Math.max(1, e.getStepReply().getStepsTaken()),
                e.getStepReply().getLastStopSeq()));
    }

    /** A step; with {@code window} (not null), the stack an agent with "step.stop-memory" reads at its stop. */
    private static Envelope.Builder stepRequest(StepMode mode, StackWindow window) {
        var step = dev.hdbg.proto.v1.StepRequest.newBuilder().setMode(ExecutionCodec.encode(mode));
        if (window != null) {
            step.setStopMemory(ExecutionCodec.encode(window)); // an agent before "step.stop-memory" ignores it
        }
        return Envelope.newBuilder().setStepRequest(step);
    }

    /** The stop a step's reply carries (since 1.15), with the stack read there when it came too; else empty. */
    private static Optional<StepStop> stopIn(Envelope reply) {
        var step = reply.getStepReply();
        return step.hasBreakRecord() ? Optional.of(new StepStop(RecordCodec.decode(step.getBreakRecord()),
                step.hasStopMemory() ? Optional.of(ExecutionCodec.decode(step.getStopMemory())) : Optional.empty()))
                : Optional.empty();
    }

    @Override
    public boolean cameWithStepReply(DebuggerRecord stop) {
        return handler.replies().cameWithStepReply(stop.seq());
    }

    @Override
    public CompletableFuture<Optional<StepStop>> stepWithStop(StepMode mode, StackWindow window) {
        return call(stepRequest(mode, window)).thenApply(NettyDebuggerClient::stopIn);
    }

    @Override
    public CompletableFuture<Optional<StepStop>> stepWithStop(StackWindow window, StepRange range) {
        Envelope.Builder request = stepRequest(StepMode.INTO, window);
        if (hello.getCapabilitiesList().contains(Protocol.STEP_COUNT)) { // an older agent would ignore it: one step
            request.getStepRequestBuilder().setRangeStart(range.start()).setRangeEnd(range.end());
        }
        return call(request).thenApply(NettyDebuggerClient::stopIn);
    }

    @Override
    public CompletableFuture<Optional<DebuggerRecord>> stepWithStop(StepMode mode) {
        return call(stepRequest(mode, null)).thenApply(e -> stopIn(e).map(StepStop::stop));
    }

    @Override
    public CompletableFuture<Long> addBreakpoint(long address, dev.hdbg.common.event.MachineCode condition) {
        return addBreakpoint(address, condition, dev.hdbg.common.event.Scope.ALL);
    }

    @Override
    public CompletableFuture<Long> addBreakpoint(long address, dev.hdbg.common.event.MachineCode condition,
                                                 dev.hdbg.common.event.Scope scope) {
        if (!scope.isAll()) {
            // An older agent would ignore the scope and stop everywhere.
            var refused = this.<Long>requiring(Protocol.RECORDS_PID_TID, "stop a breakpoint only in a process, thread or"
                    + " core (bp ... pid, tid, core)", "1.14");
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        var request = dev.hdbg.proto.v1.AddBreakpointRequest.newBuilder().setAddress(address);
        if (condition != null) {
            request.setCondition(ByteString.copyFrom(condition.bytes()));
        }
        if (!scope.isAll()) {
            request.setScope(ExecutionCodec.encode(scope));
        }
        return call(Envelope.newBuilder().setAddBreakpointRequest(request))
                .thenApply(e -> e.getAddBreakpointReply().getBreakpointId());
    }

    @Override
    public CompletableFuture<List<Long>> modifyBreakpoints(long id, boolean all, EventModification modification) {
        return call(Envelope.newBuilder().setModifyBreakpointRequest(dev.hdbg.proto.v1.ModifyBreakpointRequest.newBuilder()
                .setBreakpointId(id).setAll(all).setModification(EventCodec.encode(modification))))
                .thenApply(e -> e.getModifyBreakpointReply().getBreakpointIdsList());
    }

    @Override
    public CompletableFuture<List<BreakpointInfo>> listBreakpoints() {
        return call(Envelope.newBuilder().setListBreakpointsRequest(dev.hdbg.proto.v1.ListBreakpointsRequest.getDefaultInstance()))
                .thenApply(e -> e.getListBreakpointsReply().getBreakpointsList().stream().map(ExecutionCodec::decode).toList());
    }

    @Override
    public CompletableFuture<List<Symbol>> listSymbols(String pattern) {
        return call(Envelope.newBuilder().setListSymbolsRequest(dev.hdbg.proto.v1.ListSymbolsRequest.newBuilder()
                .setPattern(pattern))).thenApply(e -> e.getListSymbolsReply().getSymbolsList().stream()
                .map(TargetCodec::decode).toList());
    }

    @Override
    public CompletableFuture<List<LoadedModule>> listModules() {
        return call(Envelope.newBuilder().setListModulesRequest(dev.hdbg.proto.v1.ListModulesRequest.getDefaultInstance()))
                .thenApply(e -> e.getListModulesReply().getModulesList().stream().map(TargetCodec::decode).toList());
    }

    @Override
    public CompletableFuture<Void> pause() {
        return call(Envelope.newBuilder().setPauseRequest(PauseRequest.getDefaultInstance())).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<Evaluation> evaluate(String script, boolean expression) {
        if (!hello.getCapabilitiesList().contains(Protocol.SCRIPTS)) {
            return CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT,
                    "the agent runs no scripts (protocol " + hello.getVersion().getMajor() + "."
                            + hello.getVersion().getMinor() + "; scripts need 1.7)"));
        }
        return call(Envelope.newBuilder().setEvaluateRequest(dev.hdbg.proto.v1.EvaluateRequest.newBuilder()
                .setScript(script).setExpression(expression)))
                .thenApply(e -> new Evaluation(e.getEvaluateReply().getValue(), e.getEvaluateReply().getOutputList()));
    }

    @Override
    public CompletableFuture<AgentStatus> start(Optional<String> path, List<String> args) {
        return this.<AgentStatus>requiring(Protocol.RESTART, "start its target again", "1.8").orElseGet(() -> call(Envelope.newBuilder()
                .setStartRequest(dev.hdbg.proto.v1.StartRequest.newBuilder().setPath(path.orElse("")).addAllArgs(args)))
                .thenApply(e -> ExecutionCodec.decode(e.getStartReply().getStatus())));
    }

    @Override
    public CompletableFuture<Void> kill() {
        return this.<Void>requiring(Protocol.RESTART, "kill its target", "1.8").orElseGet(() -> call(Envelope.newBuilder()
                .setKillRequest(dev.hdbg.proto.v1.KillRequest.getDefaultInstance())).thenApply(e -> null));
    }

    @Override
    public CompletableFuture<CallTrack> track(long count, boolean registers) {
        return this.<CallTrack>requiring(Protocol.TRACK, "track calls (!track)", "1.8").orElseGet(() -> call(Envelope.newBuilder()
                .setTrackRequest(dev.hdbg.proto.v1.TrackRequest.newBuilder().setCount(count).setRegisters(registers)))
                .thenApply(e -> ExecutionCodec.decode(e.getTrackReply())));
    }

    /** A failed future when the agent lacks {@code capability}: it cannot do {@code what}, before {@code minor}. */
    private <T> Optional<CompletableFuture<T>> requiring(String capability, String what, String minor) {
        return hello.getCapabilitiesList().contains(capability) ? Optional.empty()
                : Optional.of(CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT, "the agent"
                + " cannot " + what + " (protocol " + hello.getVersion().getMajor() + "." + hello.getVersion().getMinor()
                + "; this needs " + minor + ")")));
    }

    @Override
    public CompletableFuture<AgentStatus> status() {
        return call(Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()))
                .thenApply(e -> ExecutionCodec.decode(e.getStatusReply()));
    }

    @Override
    public CompletableFuture<CoreInfo> selectCore(int core) {
        return call(Envelope.newBuilder().setSelectCoreRequest(SelectCoreRequest.newBuilder().setCore(core)))
                .thenApply(e -> ExecutionCodec.decode(e.getSelectCoreReply().getCore()));
    }

    @Override
    public CompletableFuture<Map<String, Long>> readRegisters(List<String> names) {
        return call(Envelope.newBuilder().setReadRegistersRequest(ReadRegistersRequest.newBuilder().addAllNames(names)))
                .thenApply(e -> {
                    Map<String, Long> values = new LinkedHashMap<>();
                    e.getReadRegistersReply().getRegistersList().forEach(r -> values.put(r.getName(), r.getValue()));
                    return values;
                });
    }

    @Override
    public CompletableFuture<Void> writeRegister(String name, long value) {
        return call(Envelope.newBuilder().setWriteRegisterRequest(WriteRegisterRequest.newBuilder().setName(name)
                .setValue(value))).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<Long> readMsr(int msr, int core) {
        return this.<Long>requiring(Protocol.MSR, "read MSRs (rdmsr)", "1.11").orElseGet(() -> call(Envelope.newBuilder()
                .setReadMsrRequest(dev.hdbg.proto.v1.ReadMsrRequest.newBuilder().setMsr(msr).setCore(core)))
                .thenApply(e -> e.getReadMsrReply().getValue()));
    }

    @Override
    public CompletableFuture<Void> writeMsr(int msr, long value, int core) {
        return this.<Void>requiring(Protocol.MSR, "write MSRs (wrmsr)", "1.11").orElseGet(() -> call(Envelope.newBuilder()
                .setWriteMsrRequest(dev.hdbg.proto.v1.WriteMsrRequest.newBuilder().setMsr(msr).setValue(value).setCore(core)))
                .thenApply(e -> null));
    }

    @Override
    public CompletableFuture<int[]> cpuid(int leaf, int subleaf) {
        return this.<int[]>requiring(Protocol.CPUID, "show the CPU's features (cpu)", "1.11").orElseGet(() -> call(
                Envelope.newBuilder().setCpuidRequest(dev.hdbg.proto.v1.CpuidRequest.newBuilder().setLeaf(leaf).setSubleaf(subleaf)))
                .thenApply(e -> new int[] {e.getCpuidReply().getEax(), e.getCpuidReply().getEbx(), e.getCpuidReply().getEcx(),
                        e.getCpuidReply().getEdx()}));
    }

    @Override
    public CompletableFuture<String> typeLayout(String name) {
        return this.<String>requiring(Protocol.TYPES, "read the program's types (dt, struct)", "1.13").orElseGet(() -> call(
                Envelope.newBuilder().setTypeLayoutRequest(dev.hdbg.proto.v1.TypeLayoutRequest.newBuilder().setName(name)))
                .thenApply(e -> e.getTypeLayoutReply().getLayout()));
    }

    @Override
    public CompletableFuture<FilePart> readFile(String path, long offset, int length) {
        return this.<FilePart>requiring(Protocol.TARGET_FILES, "serve the target's files (gdb's vFile)", "1.17")
                .orElseGet(() -> call(Envelope.newBuilder().setReadFileRequest(dev.hdbg.proto.v1.ReadFileRequest
                        .newBuilder().setPath(path).setOffset(offset).setLength(length)))
                        .thenApply(e -> new FilePart(e.getReadFileReply().getSize(),
                                e.getReadFileReply().getData().toByteArray())));
    }

    @Override
    public CompletableFuture<Boolean> stopBeforeFatalSignals(boolean on) {
        return this.<Boolean>requiring(Protocol.FATAL_SIGNAL_STOP, "stop before a signal ends the program", "1.18")
                .orElseGet(() -> call(Envelope.newBuilder().setFatalSignalStopRequest(
                        dev.hdbg.proto.v1.FatalSignalStopRequest.newBuilder().setOn(on)))
                        .thenApply(e -> e.getFatalSignalStopReply().getWasOn()));
    }

    @Override
    public CompletableFuture<Void> discardHeldSignal() {
        return this.<Void>requiring(Protocol.FATAL_SIGNAL_STOP, "go on without a held signal (gh)", "1.18")
                .orElseGet(() -> call(Envelope.newBuilder().setDiscardSignalRequest(
                        dev.hdbg.proto.v1.DiscardSignalRequest.getDefaultInstance())).thenApply(e -> null));
    }

    @Override
    public CompletableFuture<Long> stopBeforeSignals(long set) {
        return this.<Long>requiring(Protocol.SIGNAL_STOPS, "stop before chosen signals", "1.19")
                .orElseGet(() -> call(Envelope.newBuilder().setSignalStopRequest(
                        dev.hdbg.proto.v1.SignalStopRequest.newBuilder().setSignals(set)))
                        .thenApply(e -> e.getSignalStopReply().getWas()));
    }

    @Override
    public CompletableFuture<Void> resumeWithSignal(int signal) {
        return this.<Void>requiring(Protocol.SIGNAL_STOPS, "go on with a chosen signal", "1.19")
                .orElseGet(() -> call(Envelope.newBuilder().setResumeSignalRequest(
                        dev.hdbg.proto.v1.ResumeSignalRequest.newBuilder().setSignal(signal))).thenApply(e -> null));
    }

    @Override
    public CompletableFuture<byte[]> heldSignalInfo() {
        return this.<byte[]>requiring(Protocol.FATAL_SIGNAL_STOP, "show the signal a stop holds back", "1.18")
                .orElseGet(() -> call(Envelope.newBuilder().setHeldSignalRequest(
                        dev.hdbg.proto.v1.HeldSignalRequest.getDefaultInstance()))
                        .thenApply(e -> e.getHeldSignalReply().getSiginfo().toByteArray()));
    }

    @Override
    public CompletableFuture<Long> flushMessages() {
        return this.<Long>requiring(Protocol.FLUSH, "flush its messages (flush)", "1.11").orElseGet(() -> call(
                Envelope.newBuilder().setFlushRequest(dev.hdbg.proto.v1.FlushRequest.getDefaultInstance()))
                .thenApply(e -> e.getFlushReply().getFlushed()));
    }

    @Override
    public CompletableFuture<Void> shortCircuitEventInBreak(boolean on) {
        return this.<Void>requiring(Protocol.SHORT_CIRCUIT, "short-circuit the event (events sc)", "1.11").orElseGet(() -> call(
                Envelope.newBuilder().setShortCircuitRequest(dev.hdbg.proto.v1.ShortCircuitRequest.newBuilder().setOn(on)))
                .thenApply(e -> null));
    }

    @Override
    public CompletableFuture<byte[]> readXmm(int index) {
        return call(Envelope.newBuilder().setReadRegistersRequest(ReadRegistersRequest.newBuilder().addNames("xmm" + index)))
                .thenApply(e -> e.getReadRegistersReply().getRegisters(0).getWide().toByteArray());
    }

    @Override
    public CompletableFuture<Void> writeXmm(int index, byte[] sixteenBytes) {
        return call(Envelope.newBuilder().setWriteRegisterRequest(WriteRegisterRequest.newBuilder().setName("xmm" + index)
                .setWide(ByteString.copyFrom(sixteenBytes)))).thenApply(e -> null);
    }

    @Override
    public CompletableFuture<byte[]> readMemory(long address, int length) {
        if (length <= 0) {
            return CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INVALID_ARGUMENT,
                    "read length must be positive, got " + length));
        }
        byte[] result = new byte[length];
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int offset = 0; offset < length; offset += Protocol.MAX_MEMORY_READ) {
            int at = offset;
            int page = Math.min(Protocol.MAX_MEMORY_READ, length - offset);
            chain = chain.thenCompose(v -> call(Envelope.newBuilder().setReadMemoryRequest(
                    ReadMemoryRequest.newBuilder().setAddress(address + at).setLength(page))))
                    .thenAccept(e -> e.getReadMemoryReply().getData().copyTo(result, at));
        }
        return chain.thenApply(v -> result);
    }

    @Override
    public CompletableFuture<Void> writeMemory(long address, byte[] data) {
        return call(Envelope.newBuilder().setWriteMemoryRequest(WriteMemoryRequest.newBuilder().setAddress(address)
                .setData(ByteString.copyFrom(data)))).thenApply(e -> null);
    }

    @Override
    public void addRecordListener(Consumer<DebuggerRecord> listener) {
        handler.addRecordListener(listener);
    }

    @Override
    public void onDisconnect(Consumer<String> listener) {
        handler.onDisconnect(listener);
    }

    @Override
    public void close() {
        // What the listeners saw is acknowledged before the Detach; what comes later waits for the next host.
        handler.endDelivery(2_000);
        if (channel.isActive() && hello.getCapabilitiesList().contains(Protocol.ATTACH_MODES)) {
            // After the last acknowledgement: the agent releases this host before it answers, so a host started
            // right after this one ends is not refused as busy.
            try {
                var detach = call(Envelope.newBuilder().setDetachRequest(DetachRequest.getDefaultInstance()));
                CallerDrivenLoop.driveUntil(detach::isDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSING_SECONDS));
                detach.get(CLOSING_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // The connection is going anyway; the agent notices the close instead.
            }
        }
        var closed = channel.close();
        CallerDrivenLoop.driveUntil(closed::isDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSING_SECONDS));
        closed.awaitUninterruptibly(CLOSING_SECONDS, TimeUnit.SECONDS);
        handler.shutdown();
        if (group instanceof ManualIoEventLoop) {
            CallerDrivenLoop.end(group, 200, 2_000);
        } else {
            group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
