package dev.hdbg.host.client;

import dev.hdbg.common.wire.Framing;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.HelloReply;
import dev.hdbg.proto.v1.StatusReply;
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
import java.util.concurrent.TimeUnit;

/**
 * A real agent's wire on loopback, for the client's threading: it answers Hello and every StatusRequest (with rip =
 * the request id), and nothing else. Records and the rest of the protocol are the ITs'.
 */
public final class LoopbackAgent implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    public LoopbackAgent() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        Framing.addTo(channel.pipeline());
                        channel.pipeline().addLast(new SimpleChannelInboundHandler<Envelope>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Envelope request) {
                                answer(ctx, request);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private static void answer(ChannelHandlerContext ctx, Envelope request) {
        Envelope.Builder reply = Envelope.newBuilder().setRequestId(request.getRequestId());
        if (request.hasHelloRequest()) {
            reply.setHelloReply(HelloReply.newBuilder().setVersion(Protocol.version()).setAgentName("loopback")
                    .setStatus(StatusReply.getDefaultInstance()).setInstanceId("loopback-1"));
        } else if (request.hasStatusRequest()) {
            reply.setStatusReply(StatusReply.newBuilder().setRip(request.getRequestId()));
        } else {
            return; // a Detach: the host closes anyway
        }
        ctx.writeAndFlush(reply.build());
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
