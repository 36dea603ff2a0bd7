package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.ByteScreen;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.RecordBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The host's CPU a record on its main thread, in one JVM, without the network or the agent (docs/benchmarks.md,
 * "Records without objects, wave 12"); not part of the tests. A frame of BATCH records (default 4,096, the agent's
 * batch since "Records, wave 14"; 256 before, for numbers comparable with the earlier waves') goes through
 * what a `--batch --json` host runs for it: {@link RecordBatchDecoder}, {@link RecordDelivery} on the calling thread,
 * {@link DebugSession}'s listener (forwarding, stop tracking), the JSON output and the {@link ByteScreen} to a stream
 * that drops the bytes. Compiled against a checkout's jars, so that two builds run the same code:
 *
 * <pre>
 *   CP=$(ls CHECKOUT/host/target/hdbg-host-*.jar CHECKOUT/host/target/lib/*.jar | tr '\n' :)
 *   javac -cp "$CP" -d /tmp/rpc bench/RecordPathCost.java
 *   java -cp "/tmp/rpc:$CP" dev.hdbg.host.client.RecordPathCost log|printf [ROUNDS] [RECORDS_A_ROUND] [BATCH]
 * </pre>
 *
 * Prints each round's thread CPU a record, and the best of the last half of the rounds.
 */
public final class RecordPathCost {
    public static void main(String[] args) {
        String kind = args.length > 0 ? args[0] : "log";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4096;

        List<Consumer<DebuggerRecord>> listeners = new ArrayList<>();
        DebuggerClient client = (DebuggerClient) Proxy.newProxyInstance(RecordPathCost.class.getClassLoader(),
                new Class<?>[]{DebuggerClient.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("addRecordListener")) {
                        listeners.add(cast(arguments[0]));
                    }
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, arguments);
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
        ByteScreen bytes = new ByteScreen(OutputStream.nullOutputStream(), StandardCharsets.UTF_8);
        ScreenWriter.ByteLane lane = new ScreenWriter.ByteLane() {
            @Override
            public boolean write(byte[] utf8, int length) {
                bytes.write(utf8, 0, length);
                return true;
            }

            @Override
            public void written() {
                bytes.flush();
            }
        };
        PrintWriter screen = ScreenWriter.over(bytes::println, lane);
        DebugSession session = new DebugSession(client, "bench", screen, OutputFormat.JSON, null, null, null);

        RecordDelivery delivery = new RecordDelivery(new DirectExecutor(), new ConnectionEnd());
        listeners.forEach(delivery::addRecordListener);
        EmbeddedChannel channel = new EmbeddedChannel(new RecordBatchDecoder(), delivery);

        var threads = ManagementFactory.getThreadMXBean();
        long seq = 1;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            // Frames made before the clock starts: the agent's work, not the host's.
            List<ByteBuf> frames = new ArrayList<>();
            for (int made = 0; made < perRound; made += batch) {
                frames.add(frame(kind, seq, batch));
                seq += batch;
            }
            long start = threads.getCurrentThreadCpuTime();
            for (ByteBuf frame : frames) {
                channel.writeInbound(frame);
            }
            long nanos = (threads.getCurrentThreadCpuTime() - start) / perRound;
            if (round >= rounds / 2) {
                best = Math.min(best, nanos);
            }
            System.out.printf("round %d: %d ns a record%n", round, nanos);
        }
        System.out.printf("%s: best of the last %d rounds %d ns a record%n", kind, rounds - rounds / 2, best);
        session.close();
    }

    /** A direct buffer, as Netty reads a socket into: the envelope's bytes of {@code count} records from {@code seq}. */
    private static ByteBuf frame(String kind, long seq, int count) {
        RecordBatch.Builder records = RecordBatch.newBuilder();
        for (int i = 0; i < count; i++) {
            long n = seq + i;
            DebuggerRecord record = kind.equals("printf")
                    ? new DebuggerRecord.ScriptOutput(n, 0, 1, 0, Long.toHexString(0x1000 + n) + " " + Long.toHexString(n) + "\n", 1, 1)
                    : new DebuggerRecord.Log(n, 0, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", n * 0x1234L)), 1, 1);
            records.addRecords(RecordCodec.encode(record));
        }
        byte[] envelope = Envelope.newBuilder().setRecordBatch(records).build().toByteArray();
        ByteBuf frame = Unpooled.directBuffer(envelope.length);
        frame.writeBytes(envelope);
        return frame;
    }

    @SuppressWarnings("unchecked")
    private static Consumer<DebuggerRecord> cast(Object listener) {
        return (Consumer<DebuggerRecord>) listener;
    }

    /** The listener "thread" of a connection driven by its caller: the calling thread, at once. */
    private static final class DirectExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
