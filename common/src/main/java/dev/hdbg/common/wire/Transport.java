package dev.hdbg.common.wire;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Which of Netty's socket transports a connection's loop and channels use: Linux's native epoll where Netty's native
 * library loads, the JDK's NIO otherwise. Native epoll took a fresh batch's {@code r rip} from 124 to 104 µs and its
 * {@code t} from 4,458 to 4,917 steps/s against NIO on this project's machine (docs/benchmarks.md, "The native
 * transport, stop 37"): fewer layers of Java on each read and write (no selected-key set, no JDK channel and its
 * locks, no copy through a temporary direct buffer), and so less code for a fresh JVM to run before its compilers
 * have caught up.
 *
 * <p>NIO stays where a loop must also watch a JDK channel of its own ({@code ReadyWatch}: the gdb bridge waits for
 * gdb's socket and the agent's connection in one selector), and is what {@value #PROPERTY}{@code =nio} asks for (a
 * measurement, or a system where the native library cannot be loaded: {@code java.io.tmpdir} mounted noexec).
 */
public enum Transport {
    NIO,
    EPOLL;

    /** The system property that picks the transport: {@code epoll} (the default, where it loads) or {@code nio}. */
    public static final String PROPERTY = "hdbg.transport";

    /** This process's choice: epoll unless {@value #PROPERTY} says {@code nio} or Netty's native library did not load. */
    public static Transport preferred() {
        return chosen(System.getProperty(PROPERTY), Epoll.isAvailable());
    }

    /**
     * The choice for a {@value #PROPERTY} value ({@code null} when unset) and whether epoll loads.
     *
     * @throws IllegalArgumentException for a value that names no transport
     */
    static Transport chosen(String asked, boolean epollLoads) {
        if (asked == null || asked.isBlank() || asked.strip().equals("epoll")) {
            return epollLoads ? EPOLL : NIO;
        }
        if (asked.strip().equals("nio")) {
            return NIO;
        }
        throw new IllegalArgumentException(PROPERTY + "=" + asked + " is neither epoll nor nio");
    }

    /** Netty's I/O handlers of this transport, with its default select strategy. */
    public IoHandlerFactory handlers() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The same with {@code strategy} deciding when the loop selects (both transports take its CONTINUE and SELECT). */
    public IoHandlerFactory handlers(SelectStrategyFactory strategy) {
        return this == EPOLL ? EpollIoHandler.newFactory(0, strategy)
                : NioIoHandler.newFactory(SelectorProvider.provider(), strategy);
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * How to ask this transport's handler for one look at its sockets without waiting. NIO's handler selects for 0 ms
     * when the context can block with no delay, which also clears a stale wake-up; epoll's would take the same
     * context as "no deadline" and block, and looks without waiting when the context says tasks are queued.
     */
    IoHandlerContext lookWithoutWaiting() {
        return this == EPOLL ? PollBeforeBlock.LOOK_NOW : PollBeforeBlock.POLL;
    }
}
