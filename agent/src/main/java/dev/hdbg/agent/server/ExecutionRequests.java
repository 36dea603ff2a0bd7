package dev.hdbg.agent.server;

import com.google.protobuf.ByteString;
import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.RecordSink;
import dev.hdbg.agent.debugger.StopInReply;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.StepRange;
import dev.hdbg.common.wire.ExecutionCodec;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.ContinueReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.FatalSignalStopReply;
import dev.hdbg.proto.v1.HeldSignalReply;
import dev.hdbg.proto.v1.PauseReply;
import dev.hdbg.proto.v1.StepReply;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Running the target: continue ({@code g}, {@code g ADDR}), step ({@code t}, {@code p}, {@code gu}), pause, and
 * whether a fatal signal stops it first.
 */
final class ExecutionRequests {
    private final Debugger debugger;
    /** The host served, for a step's stop in its reply (since 1.15); null when there is none in particular. */
    private final HostSession session;

    ExecutionRequests(Debugger debugger, HostSession session) {
        this.debugger = debugger;
        this.session = session;
    }

    void addTo(RequestRoutes.Table table) {
        table.route(Envelope.BodyCase.CONTINUE_REQUEST, this::cont);
        table.route(Envelope.BodyCase.STEP_REQUEST, this::step);
        table.route(Envelope.BodyCase.PAUSE_REQUEST, this::pause);
        table.route(Envelope.BodyCase.FATAL_SIGNAL_STOP_REQUEST, request -> debugger.stopBeforeFatalSignals(
                request.getFatalSignalStopRequest().getOn()).thenApply(before -> Envelope.newBuilder()
                .setFatalSignalStopReply(FatalSignalStopReply.newBuilder().setWasOn(before))));
        table.route(Envelope.BodyCase.DISCARD_SIGNAL_REQUEST, request -> debugger.discardHeldSignal().thenApply(done ->
                Envelope.newBuilder().setDiscardSignalReply(dev.hdbg.proto.v1.DiscardSignalReply.getDefaultInstance())));
        table.route(Envelope.BodyCase.SIGNAL_STOP_REQUEST, request -> debugger.stopBeforeSignals(
                request.getSignalStopRequest().getSignals()).thenApply(before -> Envelope.newBuilder()
                .setSignalStopReply(dev.hdbg.proto.v1.SignalStopReply.newBuilder().setWas(before))));
        table.route(Envelope.BodyCase.RESUME_SIGNAL_REQUEST, request -> debugger.resumeWithSignal(
                request.getResumeSignalRequest().getSignal()).thenApply(done -> Envelope.newBuilder()
                .setResumeSignalReply(dev.hdbg.proto.v1.ResumeSignalReply.getDefaultInstance())));
        table.route(Envelope.BodyCase.HELD_SIGNAL_REQUEST, request -> debugger.heldSignalInfo().thenApply(info ->
                Envelope.newBuilder().setHeldSignalReply(HeldSignalReply.newBuilder()
                        .setSiginfo(ByteString.copyFrom(info)))));
    }

    private CompletableFuture<Envelope.Builder> cont(Envelope envelope) {
        var request = envelope.getContinueRequest();
        return (request.getHasRunTo() ? debugger.runTo(request.getRunTo()) : debugger.cont())
                .thenApply(v -> Envelope.newBuilder().setContinueReply(ContinueReply.getDefaultInstance()));
    }

    private CompletableFuture<Envelope.Builder> step(Envelope request) {
        var asked = request.getStepRequest();
        StepMode mode = ExecutionCodec.decode(asked.getMode());
        // A host that takes no stop in a reply (null) is given none: the step's future is then empty.
        RecordSink host = session == null ? null : session.stopReplySink();
        StackWindow window = asked.hasStopMemory() ? ExecutionCodec.decode(asked.getStopMemory()) : null;
        boolean bare = asked.getStopWithoutRegisters();
        if (mode == StepMode.INTO && asked.getCount() > 1) {
            return debugger.steps(asked.getCount()).thenApply(taken -> Envelope.newBuilder().setStepReply(
                    StepReply.newBuilder().setStepsTaken(taken.count()).setLastStopSeq(taken.lastStopSeq())));
        }
        // gdb's range stepping (1.20): a range that is not one (end at or below start) is none, as for an older host
        StepRange range = mode == StepMode.INTO && Long.compareUnsigned(asked.getRangeEnd(), asked.getRangeStart()) > 0
                ? new StepRange(asked.getRangeStart(), asked.getRangeEnd()) : null;
        return debugger.step(mode, host, window, range).thenCompose(stop -> stepReply(stop, bare));
    }

    /**
     * A reply with the step's stop is written by the host's writer thread as a task of its own: a batch the record
     * sender handed to that thread before (the records before the stop) is then written first, even when the step ran
     * on that thread and its reply would otherwise overtake the batch (docs/protocol.md, "A step's stop in its reply").
     */
    private CompletableFuture<Envelope.Builder> stepReply(Optional<StopInReply> stop, boolean bare) {
        if (stop.isEmpty()) {
            return CompletableFuture.completedFuture(Envelope.newBuilder().setStepReply(StepReply.getDefaultInstance()));
        }
        return CompletableFuture.supplyAsync(() -> {
            StepReply.Builder reply = StepReply.newBuilder().setBreakRecord(RecordCodec.encode(
                    bare ? withoutRegisters(stop.get().stop()) : stop.get().stop()));
            stop.get().stack().ifPresent(stack -> reply.setStopMemory(ExecutionCodec.encode(stack)));
            return Envelope.newBuilder().setStepReply(reply);
        }, session.writer());
    }

    /**
     * The stop as a host that asked for it bare (since 1.16, "step.bare-stop") takes it: a break without its registers,
     * the 26 RegisterValue messages that were most of a step's reply (docs/benchmarks.md, "A step's cost, wave 10").
     * Only the reply's copy: the record store keeps the stop whole.
     */
    static DebuggerRecord withoutRegisters(DebuggerRecord stop) {
        if (!(stop instanceof DebuggerRecord.Break b) || b.registers().isEmpty()) {
            return stop;
        }
        return new DebuggerRecord.Break(b.seq(), b.reason(), b.eventId(), b.eventType(), b.context(), b.rip(),
                b.message(), Map.of(), b.core(), b.pid(), b.tid());
    }

    private CompletableFuture<Envelope.Builder> pause(Envelope request) {
        return debugger.pause().thenApply(v -> Envelope.newBuilder().setPauseReply(PauseReply.getDefaultInstance()));
    }
}
