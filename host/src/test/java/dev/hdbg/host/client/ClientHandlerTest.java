package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ErrorReply;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.StatusRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientHandlerTest {
    private final ClientHandler handler = new ClientHandler();
    private final EmbeddedChannel channel = HandlerChannel.of(handler);
    private final List<Long> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        handler.shutdown();
        channel.finishAndReleaseAll();
    }

    private void receive(long... seqs) {
        HandlerChannel.receive(channel, seq -> new DebuggerRecord.ActionError(seq, 1, 1, "r" + seq), seqs);
    }

    private List<Long> acknowledgements() {
        return HandlerChannel.acknowledgements(handler, channel);
    }

    @Test
    void recordsBeforeTheFirstListenerWaitForItAndAreThenAcknowledged() {
        handler.acknowledgeOn(channel);
        receive(1, 2);
        handler.finishDelivery(5_000); // held: there is no listener yet
        assertThat(seen).isEmpty();
        handler.addRecordListener(r -> seen.add(r.seq()));
        receive(3);

        List<Long> acks = acknowledgements();
        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(acks).containsExactly(2L, 3L);
        assertThat(handler.lastSeq()).isEqualTo(3);
    }

    /** Issue 15: a listener that buffers what it shows passes it on once a batch, after the batch's records. */
    @Test
    void aRecordListenerIsToldOnceABatchAfterItsRecords() {
        handler.acknowledgeOn(channel);
        List<String> events = new CopyOnWriteArrayList<>();
        handler.addRecordListener(new RecordListener() {
            @Override
            public void accept(DebuggerRecord record) {
                events.add("record " + record.seq());
            }

            @Override
            public void batchDelivered() {
                events.add("end of batch");
            }
        });
        receive(1, 2, 3);
        receive(4);

        assertThat(acknowledgements()).containsExactly(3L, 4L);
        assertThat(events).containsExactly("record 1", "record 2", "record 3", "end of batch", "record 4", "end of batch");
    }

    /** Issue 15: a batch of records on a framed connection is read without the generated classes. */
    @Test
    void aFramedBatchIsReadByTheRecordBatchDecoder() {
        ClientHandler framed = new ClientHandler();
        RecordBatchDecoder records = new RecordBatchDecoder();
        EmbeddedChannel wire = new EmbeddedChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientChannelInitializer.addFraming(ch.pipeline(), records);
                ClientChannelInitializer.addHandlers(ch.pipeline(), framed);
            }
        });
        try {
            framed.addRecordListener(r -> seen.add(r.seq()));
            List<DebuggerRecord> batch = List.of(
                    new DebuggerRecord.Log(1, 1, 1, 0, List.of(DebuggerRecord.LogValue.ofNumber("rdi", 5))),
                    new DebuggerRecord.ScriptOutput(2, 1, 2, 0, "5\n"));
            dev.hdbg.common.wire.RecordBatchWriter writer = new dev.hdbg.common.wire.RecordBatchWriter();
            writer.measure(batch);
            io.netty.buffer.ByteBuf body = io.netty.buffer.Unpooled.buffer();
            writer.write(batch, 0, batch.size(), body);
            wire.writeInbound(io.netty.buffer.Unpooled.buffer().writeInt(body.readableBytes()).writeBytes(body));
            body.release();
            framed.finishDelivery(5_000);
            assertThat(seen).containsExactly(1L, 2L);
            assertThat(records.batchesRead()).isEqualTo(1);
        } finally {
            framed.shutdown();
            wire.finishAndReleaseAll();
        }
    }

    @Test
    void recordsAnEarlierConnectionProcessedAreSkippedButStillAcknowledged() {
        handler.acknowledgeOn(channel);
        handler.skipThrough(2);
        handler.addRecordListener(r -> seen.add(r.seq()));
        receive(1, 2, 3, 4);

        assertThat(acknowledgements()).containsExactly(4L);
        assertThat(seen).containsExactly(3L, 4L);
    }

    /** The agent keeps the part of a lost range an acknowledgement ends inside: a lost record is acknowledged whole. */
    @Test
    void aBatchEndingInALostRecordIsAcknowledgedThroughTheLastRecordItStandsFor() {
        handler.acknowledgeOn(channel);
        handler.addRecordListener(r -> seen.add(r.seq()));
        receive(1, 2);
        channel.writeInbound(Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                .addRecords(RecordCodec.encode(new DebuggerRecord.Lost(3, 3, 40, 38)))).build());
        receive(41);

        assertThat(acknowledgements()).containsExactly(2L, 40L, 41L);
        assertThat(seen).containsExactly(1L, 2L, 3L, 41L);
        assertThat(handler.lastSeq()).isEqualTo(41);
    }

    @Test
    void nothingIsAcknowledgedToAnAgentThatDoesNotKeepRecords() {
        handler.addRecordListener(r -> seen.add(r.seq()));
        receive(1);
        assertThat(acknowledgements()).isEmpty();
        assertThat(seen).containsExactly(1L);
    }

    @Test
    void aConnectionSilentForDeadAfterIsClosedWithAReasonNamingTheAgent() throws Exception {
        ClientHandler pinging = new ClientHandler(Duration.ofMillis(1));
        EmbeddedChannel silent = HandlerChannel.of(pinging);
        CompletableFuture<String> reason = new CompletableFuture<>();
        pinging.onDisconnect(reason::complete);
        pinging.pingWhileIdle();
        silent.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT); // pings first
        Thread.sleep(5);

        silent.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);

        assertThat(silent.isOpen()).isFalse();
        assertThat(reason.get(5, TimeUnit.SECONDS)).startsWith("no answer from the agent at " + silent.remoteAddress() + " for ")
                .contains("hdbg --resume FILE");
        pinging.shutdown();
    }

    @Test
    void aBatchWhoseDeliveryWasQueuedWhenTheFirstListenerCameNeverOvertakesTheBacklog() throws Exception {
        ExecutorService listenerThread = Executors.newSingleThreadExecutor();
        ClientHandler held = new ClientHandler(ConnectSettings.DEFAULT_DEAD_AFTER, listenerThread);
        EmbeddedChannel connection = HandlerChannel.of(held);
        try {
            held.acknowledgeOn(connection);
            connection.writeInbound(batch(1, 2));
            held.finishDelivery(5_000); // held in the backlog: no listener yet
            CountDownLatch release = new CountDownLatch(1);
            listenerThread.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            connection.writeInbound(batch(3, 4)); // its delivery waits behind the held thread ...
            held.addRecordListener(r -> seen.add(r.seq())); // ... and the listener comes meanwhile
            release.countDown();
            held.finishDelivery(5_000);

            assertThat(seen).containsExactly(1L, 2L, 3L, 4L);
        } finally {
            held.shutdown();
            connection.finishAndReleaseAll();
        }
    }

    @Test
    void aReplyCompletesTheCallOfItsRequestIdAndAnErrorReplyFailsIt() throws Exception {
        CompletableFuture<Envelope> first = handler.call(channel, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));
        CompletableFuture<Envelope> second = handler.call(channel, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));
        List<Long> ids = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ids.add(((Envelope) out).getRequestId());
        }

        channel.writeInbound(Envelope.newBuilder().setRequestId(ids.get(1)).setErrorReply(ErrorReply.newBuilder()
                .setCode(ErrorCode.ERROR_CODE_BAD_STATE).setMessage("the target is running")).build());
        channel.writeInbound(Envelope.newBuilder().setRequestId(ids.get(0)).setStatusReply(StatusReply.newBuilder().setRip(0x400000)).build());

        assertThat(first.get(1, TimeUnit.SECONDS).getStatusReply().getRip()).isEqualTo(0x400000);
        assertThat(second).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(AgentError.class).withMessage("the target is running");
    }

    @Test
    void anErrorAnsweringNoCallIsWhyTheConnectionEndsForEveryCallAndListener() throws Exception {
        CompletableFuture<String> disconnected = new CompletableFuture<>();
        handler.onDisconnect(disconnected::complete);
        CompletableFuture<Envelope> waiting = handler.call(channel, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));

        channel.writeInbound(Envelope.newBuilder().setErrorReply(ErrorReply.newBuilder()
                .setCode(ErrorCode.ERROR_CODE_TAKEN_OVER).setMessage("another host took over")).build());
        CompletableFuture<Envelope> after = handler.call(channel, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));
        channel.close();

        for (CompletableFuture<Envelope> call : List.of(after, waiting)) {
            assertThat(call).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(AgentError.class, e -> assertThat(e.kind()).isEqualTo(AgentError.Kind.TAKEN_OVER))
                    .withMessage("another host took over");
        }
        assertThat(disconnected.get(5, TimeUnit.SECONDS)).isEqualTo("another host took over");
    }

    @Test
    void bytesThatAreNoFrameEndTheConnectionWithAReasonNamingTheAgent() {
        CompletableFuture<Envelope> waiting = handler.call(channel, Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));

        channel.pipeline().fireExceptionCaught(new DecoderException("frame of 99999999 bytes"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(waiting).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(AgentError.class, e -> assertThat(e.kind()).isEqualTo(AgentError.Kind.MALFORMED))
                .withMessage("the agent at " + channel.remoteAddress() + " sent bytes that are not an hdbg frame (frame of "
                        + "99999999 bytes): is something else listening there, or a different hdbg version?");
    }

    private static Envelope batch(long... seqs) {
        RecordBatch.Builder batch = RecordBatch.newBuilder();
        for (long seq : seqs) {
            batch.addRecords(RecordCodec.encode(new DebuggerRecord.ActionError(seq, 1, 1, "r" + seq)));
        }
        return Envelope.newBuilder().setRecordBatch(batch).build();
    }

    /**
     * TLS 1.3: the host's handshake is over before the agent judges its certificate, so the agent's alert can arrive as
     * the first call is written. Netty's SslHandler then fails the pending write (the engine is closed) before it fires
     * the alert's exception: the call must fail with what the alert means, not with the closed engine.
     */
    @Test
    void aCallWhoseWriteFailsAsTheAgentRefusesTheHostFailsWithTheAgentsReason() {
        ClientHandler refusedHost = new ClientHandler();
        List<ChannelPromise> held = new ArrayList<>();
        EmbeddedChannel refused = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
                ReferenceCountUtil.release(message);
                held.add(promise); // the TLS engine holds the write until the agent's answer is read
            }
        }, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                ClientChannelInitializer.addHandlers(channel.pipeline(), refusedHost);
            }
        });
        CompletableFuture<Envelope> call = refusedHost.call(refused,
                Envelope.newBuilder().setStatusRequest(StatusRequest.getDefaultInstance()));
        // The alert is read: SslHandler fails the writes it holds, then fires the alert.
        held.forEach(promise -> promise.setFailure(new SslClosedEngineException("SSLEngine closed already")));
        refused.pipeline().fireExceptionCaught(new DecoderException(
                new SSLHandshakeException("Received fatal alert: certificate_required")));
        refused.runPendingTasks();

        assertThat(call).isCompletedExceptionally();
        assertThatThrownBy(call::join).hasCauseInstanceOf(AgentError.class)
                .cause().hasMessageContaining("requires a client certificate issued by its --client-ca")
                .hasMessageNotContaining("SSLEngine closed");
        refused.finishAndReleaseAll();
        refusedHost.shutdown();
    }
}
