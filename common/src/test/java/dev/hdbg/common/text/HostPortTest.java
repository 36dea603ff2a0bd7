package dev.hdbg.common.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void namesIpv4AndBracketedIpv6AreAddresses() {
        assertThat(HostPort.parse("--listen", "127.0.0.1:7801")).isEqualTo(new HostPort("127.0.0.1", 7801));
        assertThat(HostPort.parse("--listen", "agent.lan:0")).isEqualTo(new HostPort("agent.lan", 0));
        assertThat(HostPort.parse("--listen", "[::1]:65535")).isEqualTo(new HostPort("::1", 65535));
    }

    @Test
    void aSecondColonIsAMalformedAddressNotAHost() {
        assertThatThrownBy(() -> HostPort.parse("--listen", "127.0.0.1:7801:7"))
                .hasMessageStartingWith("--listen 127.0.0.1:7801:7: malformed address");
        assertThatThrownBy(() -> HostPort.parse("--listen", "7801")).hasMessageContaining("malformed address");
        assertThatThrownBy(() -> HostPort.parse("--listen", ":7801")).hasMessageContaining("malformed address");
        assertThatThrownBy(() -> HostPort.parse("--listen", "a b:1")).hasMessageContaining("malformed address");
        assertThatThrownBy(() -> HostPort.parse("--listen", "h:0x10")).hasMessageContaining("malformed address");
    }

    @Test
    void anIpv4NumberAbove255IsAnInvalidAddress() {
        assertThatThrownBy(() -> HostPort.parse("--listen", "256.0.0.1:7801"))
                .hasMessage("--listen 256.0.0.1:7801: invalid address: '256.0.0.1' is not an IPv4 address (four numbers from 0 to 255)");
        assertThatThrownBy(() -> HostPort.parse("--listen", "1.2.3:7801")).hasMessageContaining("invalid address");
        assertThatThrownBy(() -> HostPort.parse("--listen", "[::g]:7801")).hasMessageContaining("invalid address");
    }

    @Test
    void aPortAbove65535IsOutOfRange() {
        assertThatThrownBy(() -> HostPort.parse("--listen", "127.0.0.1:99999"))
                .hasMessage("--listen 127.0.0.1:99999: port out of range: ports go from 0 to 65535");
        assertThatThrownBy(() -> HostPort.parse("--connect", "h:99999999999999999999")).hasMessageContaining("port out of range");
    }

    @Test
    void aLongValueIsEchoedCutShort() {
        String junk = "x".repeat(1_000_000);
        assertThatThrownBy(() -> HostPort.parse("--listen", junk)).message().hasSizeLessThan(200);
    }
}
