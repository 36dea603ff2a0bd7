package dev.hdbg.agent.debugger;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordBatchWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's CPU a script-output record, in one JVM, without the network or a host (docs/benchmarks.md, "Script
 * output, wave 13"); not part of the tests. Issue 10's hot {@code printf("%llx %llx\n", @rax, @rcx)}, {@code imm no}:
 * the execution thread's trigger (the action runner, the compiled script, the renderer, the record's publication),
 * then the sender's work for the same records (the writer measuring and writing batches of 256 into a buffer), each
 * timed by its thread's CPU. Compiled against a checkout's jars, so that two builds run the same code:
 *
 * <pre>
 *   CP=$(ls CHECKOUT/agent/target/hdbg-agent-*.jar CHECKOUT/agent/target/lib/*.jar | tr '\n' :)
 *   javac -cp "$CP" -d /tmp/src bench/ScriptRecordCost.java
 *   java --enable-native-access=ALL-UNNAMED -cp "/tmp/src:$CP" dev.hdbg.agent.debugger.ScriptRecordCost [ROUNDS] [RECORDS_A_ROUND]
 * </pre>
 *
 * Prints each round's nanoseconds a record of both, and the best of the last half of the rounds.
 */
public final class ScriptRecordCost {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        long image = RawImageLoader.DEFAULT_BASE;
        VmExit exit = VmExit.pre(ExitReason.EPT_HOOK, image);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, image, image);
            VmxRoot root = new VmxRoot(machine, 1000);
            EventRegistry registry = new EventRegistry(root, Limits.DEFAULT);
            RecordQueue queue = new RecordQueue(perRound + 16, perRound, Duration.ofDays(1));
            List<DebuggerRecord> published = new ArrayList<>(perRound);
            queue.addObserver(published::add);
            ActionRunner runner = new ActionRunner(machine, root, registry, new Breakpoints(machine, root,
                    Limits.DEFAULT, new LogTaker(machine, () -> null)), queue, (reason, id, e) -> { }, () -> null);
            registry.add(EventSpec.eptHook(image, List.of(new ActionSpec.Script(
                    "printf(\"%llx %llx\\n\", @rax, @rcx);", 0, false))));
            machine.write(GuestRegister.RAX, 0x40000a);
            RecordBatchWriter writer = new RecordBatchWriter();
            ByteBuf out = Unpooled.directBuffer(1 << 16);
            long bestRun = Long.MAX_VALUE;
            long bestSend = Long.MAX_VALUE;
            for (int round = 0; round < rounds; round++) {
                published.clear();
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i++) {
                    machine.write(GuestRegister.RCX, perRound - i);
                    runner.onExit(exit);
                }
                long run = threads.getCurrentThreadCpuTime() - start;
                start = threads.getCurrentThreadCpuTime();
                for (int from = 0; from < published.size(); from += 256) {
                    List<DebuggerRecord> batch = published.subList(from, Math.min(published.size(), from + 256));
                    writer.measure(batch);
                    out.clear();
                    writer.write(batch, 0, batch.size(), out);
                }
                long send = threads.getCurrentThreadCpuTime() - start;
                queue.flushMessages(); // the held records go, as a host's acknowledgement would take them
                System.out.printf("round %d: trigger %d ns, sender's writer %d ns a record%n", round,
                        run / perRound, send / perRound);
                if (round >= rounds / 2) {
                    bestRun = Math.min(bestRun, run / perRound);
                    bestSend = Math.min(bestSend, send / perRound);
                }
            }
            System.out.printf("printf: best of the last %d rounds: trigger %d ns, writer %d ns a record%n",
                    rounds - rounds / 2, bestRun, bestSend);
            queue.close();
            root.close();
        }
    }
}
