package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptionsTest {
    @TempDir
    Path dir;

    @Test
    void loopbackNeedsNoToken() {
        assertThat(new ServerOptions("127.0.0.1", 7321, Optional.empty(), false).host()).isEqualTo("127.0.0.1");
        assertThat(new ServerOptions("localhost", 0, Optional.empty(), true).once()).isTrue();
    }

    @Test
    void anyOtherAddressRequiresAToken() {
        assertThatThrownBy(() -> new ServerOptions("0.0.0.0", 7321, Optional.empty(), false))
                .hasMessageContaining("reachable from other machines").hasMessageContaining("--token");
        assertThat(new ServerOptions("0.0.0.0", 7321, Optional.of("s3cret-s3cret-s3cret"), false).token()).contains("s3cret-s3cret-s3cret");
    }

    @Test
    void mutualTlsCountsAsAuthenticationOnANetworkButPlainTlsDoesNot() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        ServerTls mutual = new ServerTls(identity, Optional.of(dir.resolve("ca.pem")));
        assertThat(new ServerOptions("0.0.0.0", 7321, Optional.empty(), false, Optional.of(mutual)).tls()).contains(mutual);
        assertThatThrownBy(() -> new ServerOptions("0.0.0.0", 7321, Optional.empty(), false,
                Optional.of(new ServerTls(identity, Optional.empty())))).hasMessageContaining("--token").hasMessageContaining("--client-ca");
    }

    @Test
    void theClearTextWarningIsOnlyForAReachableAgentWithoutTls() throws IOException {
        ServerTls tls = new ServerTls(TlsIdentity.loadOrCreate(dir), Optional.empty());
        assertThat(new ServerOptions("0.0.0.0", 0, Optional.of("s3cret-s3cret-s3cret"), false).clearTextToOtherMachines()).isTrue();
        assertThat(new ServerOptions("0.0.0.0", 0, Optional.of("s3cret-s3cret-s3cret"), false, Optional.of(tls)).clearTextToOtherMachines()).isFalse();
        assertThat(new ServerOptions("127.0.0.1", 0, Optional.empty(), false).clearTextToOtherMachines()).isFalse();
    }

    @Test
    void aTokenThatGuardsNothingIsRefusedOnEveryAddress() {
        for (String host : new String[] {"127.0.0.1", "0.0.0.0"}) {
            assertThatThrownBy(() -> new ServerOptions(host, 7321, Optional.of(""), false)).hasMessageContaining("empty");
            assertThatThrownBy(() -> new ServerOptions(host, 7321, Optional.of(" \t"), false)).hasMessageContaining("blank");
            assertThatThrownBy(() -> new ServerOptions(host, 7321, Optional.of("s3cret"), false))
                    .hasMessageContaining("at least 16");
        }
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertThatThrownBy(() -> new ServerOptions("127.0.0.1", 70000, Optional.empty(), false))
                .hasMessageContaining("0..65535");
    }
}
