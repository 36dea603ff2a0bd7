package dev.hdbg.agent.debugger;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A debugger over the loop sample (test rcx, rcx at 0x400000, jnz at +3, the loop from +0xa), paused at its entry,
 * with every break and exit record queued as it is published (observers see a record on the publishing thread).
 */
final class LoopSample implements AutoCloseable {
    final Machine machine;
    final Debugger debugger;
    final BlockingQueue<DebuggerRecord> stops = new LinkedBlockingQueue<>();

    LoopSample() throws Exception {
        machine = new Machine();
        var info = Target.sample("loop").loadInto(machine);
        debugger = new Debugger(machine, Limits.DEFAULT, Delivery.DEFAULT.newQueue());
        debugger.records().addObserver(r -> {
            if (r instanceof DebuggerRecord.Break || r instanceof DebuggerRecord.Exit) {
                stops.add(r);
            }
        });
        debugger.setTarget(info);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            debugger.close();
            debugger.records().close();
        } finally {
            machine.close();
        }
    }
}
