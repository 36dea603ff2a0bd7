package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * HyperDbg's {@code .start}, {@code .restart} and {@code .kill} on the agent: the target ends, the machine is emptied
 * and the target loaded again by the wiring's {@link TargetStarter}, while the debugger keeps its events, breakpoints
 * and record sequence, so a host sees the new run continue the old one's records.
 */
final class TargetStarts {
    private final Debugger debugger;
    private final Machine machine;
    private final ExecutionLoop loop;
    private final RecordQueue queue;
    private volatile TargetStarter starter;

    TargetStarts(Debugger debugger, Machine machine, ExecutionLoop loop, RecordQueue queue) {
        this.debugger = debugger;
        this.machine = machine;
        this.loop = loop;
        this.queue = queue;
    }

    void setStarter(TargetStarter starter) {
        this.starter = starter;
    }

    CompletableFuture<AgentStatus> start(Optional<TargetStarter.Program> program) {
        TargetStarter current = starter;
        if (current == null) {
            return CompletableFuture.failedFuture(DebuggerException.badState("this agent cannot start its target again"));
        }
        TargetStarter.Start start;
        try {
            start = current.prepare(program);
        } catch (IllegalArgumentException | IOException e) {
            return CompletableFuture.failedFuture(DebuggerException.invalid("cannot start it: " + e.getMessage()));
        }
        CompletableFuture<AgentStatus> started = new CompletableFuture<>();
        loop.submit(() -> {
            loop.restart(() -> load(start, started));
            return null;
        }).whenComplete((ignored, failure) -> {
            if (failure != null) {
                started.completeExceptionally(failure);
            }
        });
        return started;
    }

    CompletableFuture<Void> kill() {
        return loop.submit(() -> {
            loop.kill();
            return null;
        });
    }

    /** Execution thread, at a safe point: loads the target into the emptied machine. */
    private boolean load(TargetStarter.Start start, CompletableFuture<AgentStatus> started) {
        machine.reset();
        try {
            start.load(debugger);
        } catch (IOException | RuntimeException e) {
            machine.reset(); // what was loaded of it runs no more than the rest
            started.completeExceptionally(DebuggerException.invalid("the target could not be loaded: " + e.getMessage()
                    + "; the machine is empty: .start another program"));
            return false;
        }
        String description = machine.targetDescription();
        queue.publish(seq -> new DebuggerRecord.Notice(seq, "target started: " + description), true);
        List<MemoryRegion> regions = machine.memory().regions().stream()
                .map(r -> new MemoryRegion(r.begin(), r.end(), r.permissionString(), r.name())).toList();
        started.complete(new AgentStatus(TargetState.PAUSED, machine.rip(), description, regions, queue.lastSeq()));
        return true;
    }
}
