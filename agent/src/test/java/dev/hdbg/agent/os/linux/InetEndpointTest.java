package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** sockaddr_in and sockaddr_in6 read and written as Linux lays them out, and which addresses are the machine's. */
class InetEndpointTest {
    private static final byte[] V4_LOOPBACK_8080 = {2, 0, 0x1f, (byte) 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void anIpv4AddressReadsWithItsPortInNetworkOrderAndWritesBackTheSame() {
        InetEndpoint endpoint = InetEndpoint.parse(V4_LOOPBACK_8080, InetEndpoint.AF_INET);
        assertThat(endpoint.port()).isEqualTo(8080);
        assertThat(endpoint.loopback()).isTrue();
        assertThat(endpoint.toString()).isEqualTo("127.0.0.1:8080");
        assertThat(endpoint.sockaddr(InetEndpoint.AF_INET)).isEqualTo(V4_LOOPBACK_8080);
    }

    @Test
    void anIpv4AddressInAnIpv6SocketIsV4Mapped() {
        byte[] mapped = InetEndpoint.parse(V4_LOOPBACK_8080, InetEndpoint.AF_INET).sockaddr(InetEndpoint.AF_INET6);
        assertThat(mapped).hasSize(InetEndpoint.SOCKADDR_IN6);
        InetEndpoint back = InetEndpoint.parse(mapped, InetEndpoint.AF_INET6);
        assertThat(back.v4Mapped()).isTrue();
        assertThat(back.ipv4()).isTrue();
        assertThat(back.loopback()).isTrue();
        assertThat(back.toString()).isEqualTo("[0:0:0:0:0:ffff:7f00:1]:8080");
        assertThat(back.asIpv4().sockaddr(InetEndpoint.AF_INET)).isEqualTo(V4_LOOPBACK_8080);
        assertThat(back.sameAddress(InetEndpoint.loopback(InetEndpoint.AF_INET, 1))).isTrue();
    }

    @Test
    void theMachinesAddressesAreTheLoopbackAndAnyAddressesOnly() {
        assertThat(InetEndpoint.unnamed(InetEndpoint.AF_INET6).local()).as("::").isTrue();
        assertThat(InetEndpoint.loopback(InetEndpoint.AF_INET6, 0).loopback()).as("::1").isTrue();
        assertThat(new InetEndpoint(new byte[] {127, 5, 6, 7}, 0).loopback()).as("127.0.0.0/8").isTrue();
        assertThat(new InetEndpoint(new byte[] {10, 0, 0, 1}, 0).local()).isFalse();
        byte[] notLoopback6 = new byte[16];
        notLoopback6[15] = 2;
        assertThat(new InetEndpoint(notLoopback6, 0).local()).as("::2").isFalse();
        assertThat(InetEndpoint.loopback(InetEndpoint.AF_INET6, 0).sameAddress(InetEndpoint.loopback(
                InetEndpoint.AF_INET, 0))).as("::1 is not 127.0.0.1").isFalse();
    }

    @Test
    void aShortAddressIsEinvalAndAnotherFamilyEafnosupport() {
        assertThatThrownBy(() -> InetEndpoint.parse(new byte[8], InetEndpoint.AF_INET))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> InetEndpoint.parse(new byte[InetEndpoint.SOCKADDR_IN6_RFC2133 - 1],
                InetEndpoint.AF_INET6))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        byte[] six = new byte[InetEndpoint.SOCKADDR_IN6];
        six[0] = InetEndpoint.AF_INET6;
        assertThatThrownBy(() -> InetEndpoint.parse(six, InetEndpoint.AF_INET)).as("sockaddr_in6 to an IPv4 socket")
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.EAFNOSUPPORT));
    }
}
