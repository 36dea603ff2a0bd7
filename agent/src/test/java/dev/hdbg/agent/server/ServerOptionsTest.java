package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
    @Test
    void loopbackNeedsNoToken() {
        assertThat(new ServerOptions("127.0.0.1", 7321, Optional.empty(), false).host()).isEqualTo("127.0.0.1");
        assertThat(new ServerOptions("localhost", 0, Optional.empty(), true).once()).isTrue();
    }

    @Test
    void anyOtherAddressRequiresAToken() {
        assertThatThrownBy(() -> new ServerOptions("0.0.0.0", 7321, Optional.empty(), false))
                .hasMessageContaining("reachable from other machines").hasMessageContaining("--token");
        assertThat(new ServerOptions("0.0.0.0", 7321, Optional.of("s3cret"), false).token()).contains("s3cret");
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> new ServerOptions("127.0.0.1", 70000, Optional.empty(), false))
                .hasMessageContaining("0..65535");
    }
}
