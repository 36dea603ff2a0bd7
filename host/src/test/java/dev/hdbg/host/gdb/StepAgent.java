package dev.hdbg.host.gdb;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.common.wire.RecordCodec;
import dev.hdbg.common.wire.Transport;
import dev.hdbg.host.client.ConnectSettings;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.proto.v1.ContinueReply;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloReply;
import dev.hdbg.proto.v1.PauseReply;
import dev.hdbg.proto.v1.RecordBatch;
import dev.hdbg.proto.v1.StatusReply;
import dev.hdbg.proto.v1.StepReply;
import dev.hdbg.proto.v1.StopMemory;
import com.google.protobuf.ByteString;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An agent's wire on loopback for the bridge's threading: it answers Hello, a step with its stop and the stack in the
 * reply (1.15), a continue (the target then runs until paused), and a pause with a PAUSE break in a record batch; it
 * keeps the kind of every request it read ({@link #received}). What else the agent does is the ITs'.
 */
final class StepAgent implements AutoCloseable {
    static final long RSP = 0x7ffffffde000L;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicLong nextSeq = new AtomicLong(1);
    private volatile Channel host;

    StepAgent() throws InterruptedException {
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
                                received.add(request.hasRecordsAck() ? "ack" : request.getBodyCase().name().toLowerCase());
                                answer(ctx, request);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private void answer(ChannelHandlerContext ctx, Envelope request) {
        Envelope.Builder reply = Envelope.newBuilder().setRequestId(request.getRequestId());
        if (request.hasHelloRequest()) {
            reply.setHelloReply(HelloReply.newBuilder().setVersion(Protocol.version()).setAgentName("steps")
                    .setStatus(StatusReply.getDefaultInstance()).setInstanceId("steps-1")
                    .addCapabilities(Protocol.RECORDS_ACK).addCapabilities(Protocol.STEP_BREAK_RECORD)
                    .addCapabilities(Protocol.STEP_STOP_MEMORY).addCapabilities(Protocol.BREAK_REGISTERS));
        } else if (request.hasStepRequest()) {
            reply.setStepReply(StepReply.newBuilder()
                    .setBreakRecord(RecordCodec.encode(stop(DebuggerRecord.BreakReason.STEP)))
                    .setStopMemory(StopMemory.newBuilder().setAddress(RSP).setData(ByteString.copyFrom(new byte[0x100]))));
        } else if (request.hasContinueRequest()) {
            reply.setContinueReply(ContinueReply.getDefaultInstance());
        } else if (request.hasPauseRequest()) {
            ctx.write(reply.setPauseReply(PauseReply.getDefaultInstance()).build());
            ctx.writeAndFlush(Envelope.newBuilder().setRecordBatch(RecordBatch.newBuilder()
                    .addRecords(RecordCodec.encode(stop(DebuggerRecord.BreakReason.PAUSE)))).build());
            return;
        } else if (request.hasStatusRequest()) {
            reply.setStatusReply(StatusReply.getDefaultInstance());
        } else {
            return; // acknowledgements, a detach
        }
        ctx.writeAndFlush(reply.build());
    }

    private DebuggerRecord.Break stop(DebuggerRecord.BreakReason reason) {
        Map<GuestRegister, Long> registers = new EnumMap<>(GuestRegister.class);
        GuestRegister.AT_STOP.forEach(r -> registers.put(r, 0L));
        registers.put(GuestRegister.RSP, RSP);
        registers.put(GuestRegister.RBP, RSP + 0x40);
        registers.put(GuestRegister.RIP, 0x401000L);
        return new DebuggerRecord.Break(nextSeq.getAndIncrement(), reason, 0, Optional.empty(), 0, 0x401000,
                reason == DebuggerRecord.BreakReason.STEP ? "stepped (t)" : "paused", registers);
    }

    /** The kind of every request read, in order ("step_request", "ack", ...). */
    List<String> received() {
        return List.copyOf(received);
    }

    long count(String kind) {
        return received.stream().filter(kind::equals).count();
    }

    /** Drops the host's connection, as an agent killed. */
    void dropHost() {
        host.close().awaitUninterruptibly();
    }

    /** A client whose connecting thread drives its I/O, as {@code hdbg --gdb}'s. */
    DebuggerClient connectDriven() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return DebuggerClient.connectWith("127.0.0.1", port, ConnectSettings.defaults().withCallerDriven(true).withTransport(Transport.NIO)
                .withDeadAfter(Duration.ofMinutes(10)));
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
