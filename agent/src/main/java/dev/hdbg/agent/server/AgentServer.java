package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.common.wire.PollBeforeBlock;
import dev.hdbg.common.wire.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listens for hosts and serves them with the {@link Debugger}. */
public final class AgentServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);

    /** Netty's native epoll where it loads ({@link Transport}). */
    private final Transport transport = Transport.preferred();
    private final EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, transport.handlers());
    /**
     * Polls before it blocks ({@link PollBeforeBlock}): a batch's next request usually comes within the host's 50-100
     * µs of work after a reply, and a loop blocked in the selector costs a cross-core wake-up to resume on this VM.
     */
    private final EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(1,
            PollBeforeBlock.of(transport, PollBeforeBlock.Settings.fromSystemProperties()));
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Channel serverChannel;

    /**
     * Binds and starts serving.
     *
     * @return the address bound (the port is chosen by the system when 0 was asked for)
     * @throws IllegalArgumentException when the TLS files in {@code options} cannot be used
     */
    public InetSocketAddress start(Debugger debugger, ServerOptions options) throws InterruptedException {
        Runnable onSessionEnd = options.once() ? this::stop : () -> { };
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverSocketChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new AgentChannelInitializer(debugger, options.token(), options.tls(), onSessionEnd,
                        options.hostTimeout()));
        serverChannel = bootstrap.bind(options.host(), options.port()).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("listening on {}:{}{}", bound.getHostString(), bound.getPort(),
                options.tls().map(tls -> " with " + tls.summary()).orElse(""));
        return bound;
    }

    public void stop() {
        stopped.countDown();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        // Waited for, without the default quiet period of 2 s: a start refused after the server was made (a target
        // that cannot load) must leave no event-loop thread behind, and a stopped agent has nothing more to send.
        bossGroup.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final long SHUTDOWN_SECONDS = 5;
}
