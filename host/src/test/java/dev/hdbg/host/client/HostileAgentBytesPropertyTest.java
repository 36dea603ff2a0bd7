package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.BreakRecord;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorReply;
import dev.hdbg.proto.v1.LogRecord;
import dev.hdbg.proto.v1.LogValue;
import dev.hdbg.proto.v1.Record;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a broken or hostile agent (or anything else listening on the port) can send the host: its
 * real pipeline — the shared framing and the reply and record router — gets garbage and mutated
 * frames. Nothing may escape the pipeline or kill the listener thread; a connection the host drops
 * fails the call waiting on it with a reason and tells the disconnect listeners, never silently.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileAgentBytesPropertyTest {

    /** What the agent's side writes: chunks of bytes as they arrive. */
    record Bytes(String origin, List<byte[]> chunks) {
        static Bytes garbage(SplittableRandom r) {
            byte[] all = new byte[r.nextInt(300)];
            r.nextBytes(all);
            if (all.length >= 4 && r.nextBoolean()) {
                all[0] = 0; // a plausible length prefix, so the bytes reach the protobuf decoder
                all[1] = 0;
                all[2] = 0;
                all[3] = (byte) (all.length - 4);
            }
            return new Bytes("garbage", split(all, r));
        }

        static Bytes mutatedFrames(SplittableRandom r) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int frames = 1 + r.nextInt(4);
            for (int i = 0; i < frames; i++) {
                ByteBuf frame = Framing.frame(envelope(r));
                out.writeBytes(ByteBufUtil.getBytes(frame));
                frame.release();
            }
            byte[] bytes = out.toByteArray();
            int mutations = r.nextInt(4);
            for (int i = 0; i < mutations && bytes.length > 0; i++) {
                int at = r.nextInt(bytes.length);
                bytes = switch (r.nextInt(3)) {
                    case 0 -> {
                        bytes[at] ^= (byte) (1 << r.nextInt(8));
                        yield bytes;
                    }
                    case 1 -> java.util.Arrays.copyOf(bytes, at);
                    default -> {
                        byte[] inserted = new byte[1 + r.nextInt(8)];
                        r.nextBytes(inserted);
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        b.write(bytes, 0, at);
                        b.writeBytes(inserted);
                        b.write(bytes, at, bytes.length - at);
                        yield b.toByteArray();
                    }
                };
            }
            return new Bytes(frames + " frames, " + mutations + " mutations", split(bytes, r));
        }

        /** Replies to the waiting call (id 1) or to none, and batches of records valid and not. */
        private static Envelope envelope(SplittableRandom r) {
            long id = r.nextInt(3);
            return switch (r.nextInt(4)) {
                case 0 -> Envelope.newBuilder().setRequestId(id).setStatusReply(StatusReply.getDefaultInstance()).build();
                case 1 -> Envelope.newBuilder().setRequestId(id).setErrorReply(ErrorReply.newBuilder()
                        .setCode(dev.hdbg.proto.v1.ErrorCode.forNumber(r.nextInt(14))).setMessage("no")).build();
                default -> {
                    RecordBatch.Builder batch = RecordBatch.newBuilder();
                    int n = 1 + r.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        batch.addRecords(record(r));
                    }
                    yield Envelope.newBuilder().setRecordBatch(batch).build();
                }
            };
        }

        private static Record record(SplittableRandom r) {
            long seq = 1 + r.nextInt(5);
            return switch (r.nextInt(4)) {
                case 0 -> RecordCodec.encode(new DebuggerRecord.Notice(seq, "fine"));
                case 1 -> Record.newBuilder().setSeq(seq).build(); // empty
                case 2 -> Record.newBuilder().setSeq(seq).setLog(LogRecord.newBuilder().setEventId(1)
                        .addValues(LogValue.newBuilder().setName("rax"))).build(); // a value with nothing in it
                default -> Record.newBuilder().setSeq(seq).setBreak(BreakRecord.newBuilder().setReasonValue(99)).build();
            };
        }

        private static List<byte[]> split(byte[] all, SplittableRandom r) {
            List<byte[]> chunks = new ArrayList<>();
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + r.nextInt(40));
                chunks.add(java.util.Arrays.copyOfRange(all, at, at + n));
                at += n;
            }
            return chunks;
        }

        Stream<Bytes> simpler() {
            return IntStream.range(0, chunks.size()).mapToObj(i -> {
                List<byte[]> fewer = new ArrayList<>(chunks);
                fewer.remove(i);
                return new Bytes(origin, fewer);
            });
        }

        @Override
        public String toString() {
            return origin + ": " + chunks.stream().map(HexFormat.of()::formatHex).toList();
        }
    }

    @Test
    void garbageFromTheAgentIsContainedAndExplained() {
        PropertyCheck.forAll(Bytes::garbage).shrinking(Bytes::simpler).check(300, HostileAgentBytesPropertyTest::feed);
    }

    @Test
    void mutatedFramesFromTheAgentAreContainedAndExplained() {
        PropertyCheck.forAll(Bytes::mutatedFrames).shrinking(Bytes::simpler).check(300, HostileAgentBytesPropertyTest::feed);
    }

    private static void feed(Bytes bytes) throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        QueuedListener listenerThread = new QueuedListener(uncaught);
        ClientHandler handler = new ClientHandler(ConnectSettings.DEFAULT_DEAD_AFTER, listenerThread);
        EmbeddedChannel channel = new EmbeddedChannel();
        Framing.addTo(channel.pipeline());
        ClientChannelInitializer.addHandlers(channel.pipeline(), handler);
        List<String> disconnects = new CopyOnWriteArrayList<>();
        try {
            handler.addRecordListener(r -> { });
            handler.onDisconnect(disconnects::add);
            handler.acknowledgeOn(channel);
            CompletableFuture<Envelope> waiting = handler.call(channel,
                    Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));
            for (byte[] chunk : bytes.chunks()) {
                if (channel.isActive()) {
                    channel.writeInbound(Unpooled.wrappedBuffer(chunk));
                    listenerThread.drain(); // deliveries, their acknowledgements and closes
                }
            }
            listenerThread.drain();
            channel.runPendingTasks();

            channel.checkException(); // nothing reached the end of the pipeline unhandled
            assertThat(uncaught).as("exceptions that killed the listener thread").isEmpty();
            if (!channel.isActive()) {
                // Answered before the close, or failed by it with the reason.
                assertThat(waiting).as("the call waiting when the host dropped the connection").isDone();
                if (waiting.isCompletedExceptionally()) {
                    Throwable why = causeOf(waiting);
                    assertThat(why).isInstanceOf(AgentError.class);
                    assertThat(why.getMessage()).as("why the call failed").isNotBlank();
                }
                assertThat(disconnects).as("disconnect notices").hasSize(1);
                assertThat(disconnects.getFirst()).isNotBlank();
            }
        } finally {
            channel.finishAndReleaseAll();
            handler.shutdown();
        }
    }

    /**
     * The listener thread, run by the test's thread between its writes, as a host driving its own loop runs it
     * ({@code DrivenDeliveries}). A listener thread of its own cannot share an EmbeddedChannel: Netty's embedded event
     * loop says every thread is its own, so the listener's acknowledgements and closes ran at once on that thread,
     * racing the test thread's writes through the same unsynchronized outbound buffer (a frame released twice, 1 run
     * in 6 of one seed), where a real channel hands them to its event loop.
     */
    private static final class QueuedListener extends AbstractExecutorService {
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final List<Throwable> uncaught;
        private boolean shutdown;

        QueuedListener(List<Throwable> uncaught) {
            this.uncaught = uncaught;
        }

        @Override
        public void execute(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            tasks.add(task);
        }

        /** Runs what was handed over, in order; an exception is recorded as one that killed a listener thread. */
        void drain() {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    uncaught.add(e);
                }
            }
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            List<Runnable> left = List.copyOf(tasks);
            tasks.clear();
            return left;
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown && tasks.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isTerminated();
        }
    }

    private static Throwable causeOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(1, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still waiting", e);
        }
    }
}
