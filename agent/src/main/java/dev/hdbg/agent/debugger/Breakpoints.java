package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.RootCallResult;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The debugger's breakpoints ({@code bp}, {@code bl}, {@code bc}, {@code bd}, {@code be}) and the
 * one-shot ones stepping and {@code g ADDR} use. A breakpoint is a code hook on its address, so
 * no byte of guest memory changes: the guest reading its own code sees its original bytes. A
 * condition uses the condition convention (RCX = GUEST_REGS, RDX = the address, RAX != 0 holds).
 * HyperDbg's {@code pid}, {@code tid} and {@code core} options make one stop only there, with the
 * events' filter ({@link Scope}). Execution thread only.
 */
final class Breakpoints {
    private final Machine machine;
    private final VmxRoot root;
    private final Limits limits;
    /** Where the thread on the CPU is (pid, tid, core), as events ask it. */
    private final LogTaker where;
    private final Map<Long, Breakpoint> breakpoints = new LinkedHashMap<>();
    private final List<OneShot> oneShots = new ArrayList<>();
    private final List<RootAllocation> pendingFrees = new ArrayList<>();
    private final GuestRegs frame = new GuestRegs();
    private long nextId = 1;
    private boolean dirty;

    private static final class Breakpoint {
        final long id;
        final long address;
        final RootAllocation condition;
        final Scope scope;
        boolean enabled = true;
        long hits;

        Breakpoint(long id, long address, RootAllocation condition, Scope scope) {
            this.id = id;
            this.address = address;
            this.condition = condition;
            this.scope = scope;
        }
    }

    /** Stops at {@code address} once, when RSP is above {@code minRsp} (unsigned; 0 = always). */
    private record OneShot(long address, long minRsp) {
    }

    Breakpoints(Machine machine, VmxRoot root, Limits limits, LogTaker where) {
        this.machine = machine;
        this.root = root;
        this.limits = limits;
        this.where = where;
    }

    long add(long address, MachineCode condition) {
        return add(address, condition, Scope.ALL);
    }

    long add(long address, MachineCode condition, Scope scope) {
        if (breakpoints.size() >= limits.maxEvents()) {
            throw DebuggerException.limit("at most " + limits.maxEvents() + " breakpoints may exist (the agent's --max-events); clear some (bc ID)");
        }
        if (!machine.memory().isMapped(address, 1)) {
            throw new DebuggerException(DebuggerException.Kind.UNMAPPED_ADDRESS, "breakpoint address 0x"
                    + Long.toHexString(address) + " is not mapped; mapped: " + machine.memory().describe());
        }
        if (condition != null) {
            limits.checkCode(condition.length(), "condition");
            RootNeed.code(condition.length()).requireRoom(root, limits);
        }
        RootAllocation code = condition == null ? null : root.installCode(condition.bytes());
        Breakpoint bp = new Breakpoint(nextId++, address, code, scope);
        breakpoints.put(bp.id, bp);
        dirty = true;
        return bp.id;
    }

    List<Long> modify(Long id, EventModification modification) {
        List<Breakpoint> targets;
        if (id == null) {
            targets = List.copyOf(breakpoints.values());
        } else {
            Breakpoint bp = breakpoints.get(id);
            if (bp == null) {
                throw DebuggerException.notFound("no breakpoint 0x" + Long.toHexString(id) + " (list them with: bl)");
            }
            targets = List.of(bp);
        }
        for (Breakpoint bp : targets) {
            switch (modification) {
                case ENABLE -> bp.enabled = true;
                case DISABLE -> bp.enabled = false;
                case CLEAR -> {
                    breakpoints.remove(bp.id);
                    if (bp.condition != null) {
                        pendingFrees.add(bp.condition);
                    }
                }
            }
        }
        dirty = true;
        return targets.stream().map(bp -> bp.id).toList();
    }

    List<BreakpointInfo> list() {
        return breakpoints.values().stream()
                .map(bp -> new BreakpointInfo(bp.id, bp.address, bp.enabled, bp.condition != null, bp.hits, bp.scope)).toList();
    }

    void addOneShot(long address, long minRsp) {
        oneShots.add(new OneShot(address, minRsp));
        dirty = true;
    }

    void clearOneShots() {
        if (!oneShots.isEmpty()) {
            oneShots.clear();
            dirty = true;
        }
    }

    Set<Long> armed() {
        Set<Long> addresses = new HashSet<>();
        breakpoints.values().stream().filter(bp -> bp.enabled).forEach(bp -> addresses.add(bp.address));
        oneShots.forEach(o -> addresses.add(o.address()));
        return addresses;
    }

    boolean dirty() {
        return dirty || !pendingFrees.isEmpty();
    }

    void settled() {
        pendingFrees.forEach(root::free);
        pendingFrees.clear();
        dirty = false;
    }

    /**
     * A breakpoint exit: a one-shot stop first (stepping, g ADDR), else the first enabled breakpoint
     * here whose pid, tid and core admit the thread on the CPU and whose condition holds (a breakpoint
     * of another process does not count as hit there).
     */
    void onHit(VmExit exit, BreakService breaks, RecordQueue queue) {
        long address = exit.context();
        long rsp = machine.read(GuestRegister.RSP);
        for (OneShot o : oneShots) {
            if (o.address() == address && Long.compareUnsigned(rsp, o.minRsp()) > 0) {
                clearOneShots();
                breaks.breakIn(DebuggerRecord.BreakReason.STEP, 0, exit);
                return;
            }
        }
        frame.invalidate();
        for (Breakpoint bp : List.copyOf(breakpoints.values())) {
            if (bp.address != address || !bp.enabled || !where.admits(bp.scope)) {
                continue;
            }
            if (bp.condition != null) {
                RootCallResult result = root.callCondition(bp.condition, frame, address);
                if (!(result instanceof RootCallResult.Returned(long rax))) {
                    String message = "breakpoint " + bp.id + ": condition failed: " + result;
                    queue.publish(seq -> new DebuggerRecord.ActionError(seq, 0, 0, message), true);
                    continue;
                }
                if (rax == 0) {
                    continue;
                }
            }
            bp.hits++;
            breaks.breakIn(DebuggerRecord.BreakReason.BREAKPOINT, bp.id, exit);
            return;
        }
    }
}
