package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void epollIsTheDefaultWhereItLoadsAndNioWhereItDoesNot() {
        assertThat(Transport.chosen(null, true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.chosen(" epoll ", true)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.chosen(null, false)).isEqualTo(Transport.NIO);
        assertThat(Transport.chosen("epoll", false)).isEqualTo(Transport.NIO);
    }

    @Test
    void nioIsTakenWhenAskedFor() {
        assertThat(Transport.chosen("nio", true)).isEqualTo(Transport.NIO);
    }

    @Test
    void aValueThatNamesNoTransportIsRefusedWithBothNames() {
        assertThatThrownBy(() -> Transport.chosen("uring", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hdbg.transport=uring is neither epoll nor nio");
    }

    /** The machines this project runs on are Linux on x86-64, whose native library Netty's jar carries. */
    @Test
    void nettysNativeEpollLoadsHereSoTheDefaultIsEpoll() {
        assertThat(Epoll.isAvailable()).as("Netty's native epoll: %s", Epoll.unavailabilityCause()).isTrue();
        if (System.getProperty(Transport.PROPERTY) == null) {
            assertThat(Transport.preferred()).isEqualTo(Transport.EPOLL);
        }
    }

    @Test
    void eachTransportNamesItsOwnChannels() {
        assertThat(Transport.EPOLL.socketChannel()).isEqualTo(EpollSocketChannel.class);
        assertThat(Transport.NIO.socketChannel()).isEqualTo(NioSocketChannel.class);
    }
}
