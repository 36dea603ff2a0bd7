package dev.hdbg.host.client;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloReply;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.StepReply;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real agent's wire on loopback, for the client's threading: it answers Hello and every StatusRequest (with rip =
 * the request id), and a StepRequest with its stop in the reply (protocol 1.15), optionally after a record of its own
 * in a batch ({@link #recordBeforeEachStop}); it keeps what it read and in which socket read ({@link #received}), and
 * answers nothing else. The rest of the protocol is the ITs'.
 */
public final class LoopbackAgent implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nextSeq = new AtomicLong(1);
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private volatile boolean recordBeforeEachStop;
    private volatile Channel host;

    public LoopbackAgent() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        Framing.addTo(channel.pipeline());
                        channel.pipeline().addLast(new SimpleChannelInboundHandler<Envelope>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                host = ctx.channel();
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Envelope request) {
                                received.add(reads.get() + " " + kind(request));
                                answer(ctx, request);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                reads.incrementAndGet();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                disconnected.countDown();
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static String kind(Envelope request) {
        return request.hasRecordsAck() ? "ack " + request.getRecordsAck().getThroughSeq()
                : request.getBodyCase().name().toLowerCase();
    }

    private void answer(ChannelHandlerContext ctx, Envelope request) {
        Envelope.Builder reply = Envelope.newBuilder().setRequestId(request.getRequestId());
        if (request.hasHelloRequest()) {
            reply.setHelloReply(HelloReply.newBuilder().setVersion(Protocol.version()).setAgentName("loopback")
                    .setStatus(StatusReply.getDefaultInstance()).setInstanceId("loopback-1")
                    .addCapabilities(Protocol.RECORDS_ACK).addCapabilities(Protocol.STEP_BREAK_RECORD));
        } else if (request.hasStatusRequest()) {
            reply.setStatusReply(StatusReply.newBuilder().setRip(request.getRequestId()));
        } else if (request.hasStepRequest()) {
            if (recordBeforeEachStop) {
                ctx.write(batchOf(nextSeq.getAndIncrement()));
            }
            reply.setStepReply(StepReply.newBuilder().setBreakRecord(RecordCodec.encode(new DebuggerRecord.Break(
                    nextSeq.getAndIncrement(), DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x401000,
                    "stepped (t)"))));
        } else {
            return; // a Detach: the host closes anyway
        }
        ctx.writeAndFlush(reply.build());
    }

    private static Envelope batchOf(long seq) {
        return Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder().addRecords(RecordCodec.encode(
                new DebuggerRecord.ActionError(seq, 1, 1, "record " + seq)))).build();
    }

    /** A record (an action's error) in a batch of its own before each step's reply. */
    public void recordBeforeEachStop() {
        recordBeforeEachStop = true;
    }

    /** Sends the next {@code count} records, a batch each, and closes the connection. */
    public void sendRecordsAndClose(int count) {
        Channel to = host;
        to.eventLoop().execute(() -> {
            for (int i = 1; i < count; i++) {
                to.write(batchOf(nextSeq.getAndIncrement()));
            }
            to.writeAndFlush(batchOf(nextSeq.getAndIncrement())).addListener(f -> to.close());
        });
    }

    /**
     * What the agent read, in order: "N kind" for each message, N the socket read it came in (0 first), kind the
     * request's payload ("step_request", ...) or "ack S" for an acknowledgement through S.
     */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Waits until the host's connection has closed; whether it did in {@code timeout}. */
    public boolean awaitDisconnect(Duration timeout) throws InterruptedException {
        return disconnected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * A client of this agent; {@code callerDriven}: the connecting thread drives its I/O. It pings only after minutes
     * (a quarter of its dead-after time): a ping's timer would wake a driving loop too, and hide a wake-up that is
     * missing behind a wait of seconds.
     */
    public DebuggerClient connect(boolean callerDriven) {
        return DebuggerClient.connectWith("127.0.0.1", port(), ConnectSettings.defaults().withCallerDriven(callerDriven)
                .withDeadAfter(Duration.ofMinutes(10)));
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
