package dev.hdbg.common.wire;

import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StackWindow;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.proto.v1.BreakpointScope;
import dev.hdbg.proto.v1.RegisterValue;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.TrackReply;
import dev.hdbg.proto.v1.TrackTransfer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Translates the target's execution state, stepping and breakpoints between the common model and protobuf. */
public final class ExecutionCodec {
    private ExecutionCodec() {
    }

    public static StatusReply encode(AgentStatus status) {
        StatusReply.Builder b = StatusReply.newBuilder().setState(encode(status.state())).setRip(status.rip())
                .setTarget(status.target()).setLastSeq(status.lastSeq());
        for (MemoryRegion r : status.regions()) {
            b.addRegions(dev.hdbg.proto.v1.MemoryRegion.newBuilder().setBegin(r.begin()).setEnd(r.end())
                    .setPermissions(r.permissions()).setName(r.name()));
        }
        status.cores().forEach(c -> b.addCores(encode(c)));
        return b.setSelectedCore(status.selectedCore()).setStopsBeforeFatalSignals(status.stopsBeforeFatalSignals())
                .setSignalStops(status.signalStops()).build();
    }

    public static AgentStatus decode(StatusReply reply) {
        return new AgentStatus(decode(reply.getState()), reply.getRip(), reply.getTarget(), reply.getRegionsList().stream()
                .map(r -> new MemoryRegion(r.getBegin(), r.getEnd(), r.getPermissions(), r.getName())).toList(),
                reply.getLastSeq(), reply.getCoresList().stream().map(ExecutionCodec::decode).toList(),
                reply.getSelectedCore(), reply.getStopsBeforeFatalSignals(), reply.getSignalStops());
    }

    /** Since 1.10: one core. */
    public static dev.hdbg.proto.v1.CoreInfo encode(CoreInfo core) {
        return dev.hdbg.proto.v1.CoreInfo.newBuilder().setNumber(core.number()).setTid(core.tid()).setRip(core.rip())
                .setState(core.state()).setCurrent(core.current()).setPid(core.pid()).setName(core.name()).build();
    }

    public static CoreInfo decode(dev.hdbg.proto.v1.CoreInfo core) {
        return new CoreInfo(core.getNumber(), core.getTid(), core.getRip(), core.getState(), core.getCurrent(),
                core.getPid(), core.getName());
    }

    public static TrackReply encode(CallTrack track) {
        TrackReply.Builder b = TrackReply.newBuilder().setInstructions(track.instructions()).setDropped(track.dropped());
        for (CallTrack.Transfer t : track.transfers()) {
            TrackTransfer.Builder transfer = TrackTransfer.newBuilder().setIsReturn(t.kind() == CallTrack.Kind.RETURN)
                    .setFrom(t.from()).setTo(t.to());
            t.registers().forEach((name, value) -> transfer.addRegisters(RegisterValue.newBuilder().setName(name)
                    .setValue(value)));
            b.addTransfers(transfer);
        }
        return b.build();
    }

    /**
     * @throws WireFormatException when the agent sent more transfers than {@link CallTrack#MAX_TRANSFERS}
     */
    public static CallTrack decode(TrackReply reply) {
        if (reply.getTransfersCount() > CallTrack.MAX_TRANSFERS) {
            throw new WireFormatException(reply.getTransfersCount() + " transfers in a track reply; at most "
                    + CallTrack.MAX_TRANSFERS);
        }
        return new CallTrack(reply.getTransfersList().stream().map(t -> {
            Map<String, Long> registers = new LinkedHashMap<>();
            t.getRegistersList().forEach(r -> registers.put(r.getName(), r.getValue()));
            return new CallTrack.Transfer(t.getIsReturn() ? CallTrack.Kind.RETURN : CallTrack.Kind.CALL, t.getFrom(),
                    t.getTo(), registers);
        }).toList(), reply.getInstructions(), reply.getDropped());
    }

    public static dev.hdbg.proto.v1.TargetState encode(TargetState state) {
        return switch (state) {
            case PAUSED -> dev.hdbg.proto.v1.TargetState.TARGET_STATE_PAUSED;
            case RUNNING -> dev.hdbg.proto.v1.TargetState.TARGET_STATE_RUNNING;
            case EXITED -> dev.hdbg.proto.v1.TargetState.TARGET_STATE_EXITED;
        };
    }

    /** A state this host does not know (or none, as from a Hello without status) reads as paused. */
    public static TargetState decode(dev.hdbg.proto.v1.TargetState state) {
        return switch (state) {
            case TARGET_STATE_RUNNING -> TargetState.RUNNING;
            case TARGET_STATE_EXITED -> TargetState.EXITED;
            case TARGET_STATE_PAUSED, TARGET_STATE_UNSPECIFIED, UNRECOGNIZED -> TargetState.PAUSED;
        };
    }

    public static dev.hdbg.proto.v1.StepMode encode(StepMode mode) {
        return switch (mode) {
            case INTO -> dev.hdbg.proto.v1.StepMode.STEP_MODE_INTO;
            case OVER -> dev.hdbg.proto.v1.StepMode.STEP_MODE_OVER;
            case OUT -> dev.hdbg.proto.v1.StepMode.STEP_MODE_OUT;
        };
    }

    /** @throws WireFormatException when the mode is missing or unknown */
    public static StepMode decode(dev.hdbg.proto.v1.StepMode mode) {
        return switch (mode) {
            case STEP_MODE_INTO -> StepMode.INTO;
            case STEP_MODE_OVER -> StepMode.OVER;
            case STEP_MODE_OUT -> StepMode.OUT;
            case STEP_MODE_UNSPECIFIED, UNRECOGNIZED -> throw new WireFormatException("step mode is missing: into, over or out");
        };
    }

    public static dev.hdbg.proto.v1.BreakpointInfo encode(BreakpointInfo bp) {
        var b = dev.hdbg.proto.v1.BreakpointInfo.newBuilder().setBreakpointId(bp.id()).setAddress(bp.address())
                .setEnabled(bp.enabled()).setConditional(bp.conditional()).setHits(bp.hits());
        if (!bp.scope().isAll()) {
            b.setScope(encode(bp.scope()));
        }
        return b.build();
    }

    public static BreakpointInfo decode(dev.hdbg.proto.v1.BreakpointInfo msg) {
        return new BreakpointInfo(msg.getBreakpointId(), msg.getAddress(), msg.getEnabled(), msg.getConditional(),
                msg.getHits(), decode(msg.getScope()));
    }

    /** Since 1.14: bp's pid, tid and core. */
    public static BreakpointScope encode(Scope scope) {
        var b = BreakpointScope.newBuilder();
        scope.pid().ifPresent(p -> b.setHasPid(true).setPid(p));
        scope.tid().ifPresent(t -> b.setHasTid(true).setTid(t));
        scope.core().ifPresent(c -> b.setHasCore(true).setCore(c));
        return b.build();
    }

    /** An unset scope (older peers) is everywhere. */
    public static Scope decode(BreakpointScope msg) {
        return new Scope(msg.getHasPid() ? OptionalLong.of(msg.getPid()) : OptionalLong.empty(),
                msg.getHasTid() ? OptionalLong.of(msg.getTid()) : OptionalLong.empty(),
                msg.getHasCore() ? OptionalInt.of(msg.getCore()) : OptionalInt.empty());
    }

    public static dev.hdbg.proto.v1.StackWindow encode(StackWindow window) {
        return dev.hdbg.proto.v1.StackWindow.newBuilder().setBelowRsp(window.belowRsp()).setPastRsp(window.pastRsp())
                .setPastRbp(window.pastRbp()).setFrameSpan(window.frameSpan()).build();
    }

    /** Any sizes a host sends are taken, unsigned and capped (a window reads at most {@link StackWindow#MAX_BYTES}). */
    public static StackWindow decode(dev.hdbg.proto.v1.StackWindow window) {
        return new StackWindow(capped(window.getBelowRsp()), capped(window.getPastRsp()), capped(window.getPastRbp()),
                (int) Math.min(Integer.toUnsignedLong(window.getFrameSpan()), Integer.MAX_VALUE));
    }

    private static int capped(int size) {
        return (int) Math.min(Integer.toUnsignedLong(size), StackWindow.MAX_BYTES);
    }

    public static dev.hdbg.proto.v1.StopMemory encode(StackBytes stack) {
        return dev.hdbg.proto.v1.StopMemory.newBuilder().setAddress(stack.address())
                .setData(com.google.protobuf.ByteString.copyFrom(stack.data())).build();
    }

    public static StackBytes decode(dev.hdbg.proto.v1.StopMemory stack) {
        return new StackBytes(stack.getAddress(), stack.getData().toByteArray());
    }
}
