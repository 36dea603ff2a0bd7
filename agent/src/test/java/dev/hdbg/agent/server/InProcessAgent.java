package dev.hdbg.agent.server;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.wire.Framing;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole agent in the test's process: a real machine with a sample loaded, the real debugger on
 * its execution thread, and the agent's own {@link AgentChannelInitializer} serving connections
 * on Netty's in-VM transport. Wired as {@code AgentRuntime} wires it, with a {@link PipelineProbe}
 * added to each connection.
 *
 * <p>Not an {@code EmbeddedChannel}: its event loop claims every thread as its own, so replies
 * the execution thread writes would run the pipeline concurrently with the test thread, and the
 * record sender's wait for a write would fail as a blocking call on the event loop.
 */
final class InProcessAgent implements AutoCloseable {
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(10);

    private final Machine machine;
    private final Debugger debugger;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final LocalAddress address = new LocalAddress("hdbg-agent-" + UUID.randomUUID());
    private final Map<LocalAddress, PipelineProbe> probes = new ConcurrentHashMap<>();
    private final List<PipelineProbe> everyProbe = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessionsEnded = new AtomicInteger();
    private final Channel server;

    private InProcessAgent(Machine machine, Debugger debugger) {
        this.machine = machine;
        this.debugger = debugger;
        AgentChannelInitializer agent = new AgentChannelInitializer(debugger, Optional.empty(), Optional.empty(),
                sessionsEnded::incrementAndGet, ServerOptions.DEFAULT_HOST_TIMEOUT);
        this.server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(agent); // runs at once: the agent's handlers follow
                        PipelineProbe probe = new PipelineProbe();
                        channel.pipeline().addAfter(Framing.PROTOBUF_ENCODER, "probe", probe);
                        channel.pipeline().addLast("escaped", probe.tail());
                        probes.put((LocalAddress) channel.remoteAddress(), probe);
                        everyProbe.add(probe);
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    /** An agent on a built-in sample with the given limits and the default record delivery. */
    static InProcessAgent start(String sample, Limits limits) throws IOException {
        Machine machine = new Machine();
        try {
            var info = Target.sample(sample).loadInto(machine);
            Debugger debugger = new Debugger(machine, limits, Delivery.DEFAULT.newQueue());
            debugger.setTarget(info);
            return new InProcessAgent(machine, debugger);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    Debugger debugger() {
        return debugger;
    }

    /** A new host connection and the probe inside the agent's end of it. */
    Connection connect() throws InterruptedException, TimeoutException {
        WireHost host = new WireHost();
        Channel channel = new Bootstrap().group(group).channel(LocalChannel.class).handler(host.reader())
                .connect(address).syncUninterruptibly().channel();
        host.connected(channel);
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        PipelineProbe probe;
        while ((probe = probes.remove((LocalAddress) channel.localAddress())) == null) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the agent did not set up the connection from " + channel.localAddress());
            }
            Thread.sleep(1);
        }
        return new Connection(this, host, probe);
    }

    /** Runs everything the event loop has queued so far (all connections share its one thread). */
    void settle() {
        group.next().submit(() -> { }).syncUninterruptibly();
    }

    /**
     * Waits until the agent has answered every request it received on {@code connection}, or closed
     * it; bytes the test wrote before are all read first.
     *
     * @throws TimeoutException when a request stays unanswered: the agent hangs or lost a reply
     */
    void awaitQuiet(Connection connection) throws InterruptedException, TimeoutException {
        settle();
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        while (!connection.probe().closed() && connection.probe().unanswered() > 0) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(connection.probe().unanswered() + " requests got no reply within "
                        + QUIET_TIMEOUT + "; requests: " + connection.probe().requests() + "; written: "
                        + connection.probe().written());
            }
            Thread.sleep(1);
        }
        settle();
    }

    /**
     * Closes {@code connection} from the host's side and waits until the agent let go of it, so the
     * next host is not refused as a second one.
     */
    void hangUp(Connection connection) throws InterruptedException, TimeoutException {
        connection.host().close();
        settle();
        long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
        while (sessionsEnded.get() < everyProbe.stream().filter(PipelineProbe::attached).count()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the agent did not end the session of a closed connection");
            }
            Thread.sleep(1);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            debugger.close();
        } catch (InterruptedException e) {
            // The test is being stopped: the execution thread may still use the machine, so leave it.
            Thread.currentThread().interrupt();
            return;
        }
        debugger.records().close();
        machine.close();
    }

    /** One host connection: the host's end and the probe in the agent's end. */
    record Connection(InProcessAgent agent, WireHost host, PipelineProbe probe) {
    }
}
