package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The JDK's and Netty's TLS failures, as they arrive, in the user's words. */
class TlsFailuresTest {
    private static final String AGENT = "127.0.0.1:7321";

    @Test
    void anUntrustedCertificateKeepsTheTrustManagersMessage() {
        SSLHandshakeException handshake = new SSLHandshakeException("the agent ... refused");
        handshake.initCause(new AgentTrustException("the certificate of the agent at 127.0.0.1:7321 has changed: refused\n@@@"));
        AgentError error = TlsFailures.handshakeFailed(new DecoderException(handshake), AGENT);
        assertThat(error.kind()).isEqualTo(AgentError.Kind.UNTRUSTED_AGENT);
        assertThat(error.getMessage()).startsWith("the certificate of the agent at 127.0.0.1:7321 has changed");
    }

    @Test
    void anAgentThatAnswersWithoutTlsIsAskedAbout() {
        AgentError error = TlsFailures.handshakeFailed(new NotSslRecordException("not an SSL/TLS record: 0000002a"), AGENT);
        assertThat(error.kind()).isEqualTo(AgentError.Kind.TLS);
        assertThat(error.getMessage()).contains("the agent at 127.0.0.1:7321 did not answer TLS: was it started with --tls?");
    }

    @Test
    void alertsAboutThisHostsCertificateSayWhatToPass() {
        assertThat(TlsFailures.explain(new SSLException("Received fatal alert: certificate_required"), AGENT))
                .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("requires a client certificate", "--cert FILE --key FILE"));
        assertThat(TlsFailures.explain(new SSLException("Received fatal alert: bad_certificate"), AGENT))
                .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("refused this host's certificate", "--client-ca"));
    }

    @Test
    void whatIsNotTlsIsLeftAlone() {
        assertThat(TlsFailures.explain(new IOException("Connection reset by peer"), AGENT)).isEmpty();
    }
}
