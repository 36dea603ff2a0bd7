package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.tls.Fingerprints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {
    @TempDir
    Path dir;

    @Test
    void firstUseCreatesAPrivateDirectoryAKeyOnlyTheOwnerReadsAndAPemCertificate() throws IOException {
        Path state = dir.resolve("state/hdbg-agent");
        TlsIdentity identity = TlsIdentity.loadOrCreate(state);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.keyFile()))).isEqualTo("rw-------");
        assertThat(Files.readString(identity.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(identity.certificateFile())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(identity.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(identity.fingerprint()).isEqualTo(Fingerprints.of(identity.certificate()));
        assertThat(Fingerprints.isValid(identity.fingerprint())).isTrue();
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(TlsIdentity.CERTIFICATE_FILE, TlsIdentity.KEY_FILE);
        }
    }

    @Test
    void laterRunsReuseTheKeyPairSoTheFingerprintStays() throws IOException {
        String first = TlsIdentity.loadOrCreate(dir).fingerprint();
        assertThat(TlsIdentity.loadOrCreate(dir).fingerprint()).isEqualTo(first);
        assertThat(TlsIdentity.loadOrCreate(dir.resolve("other")).fingerprint()).as("another directory, another key").isNotEqualTo(first);
    }

    @Test
    void nettyReadsTheFilesAsAServerIdentity() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        assertThat(new ServerTls(identity, Optional.empty()).newContext().isServer()).isTrue();
    }

    @Test
    void aCorruptKeyIsOneClearLineSayingHowToStartAfresh() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        Files.writeString(identity.keyFile(), "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("the agent's TLS key " + identity.keyFile() + " is corrupt")
                .hasMessageContaining("delete " + identity.certificateFile() + " and " + identity.keyFile())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aCorruptCertificateIsOneClearLine() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        Files.writeString(identity.certificateFile(), "garbage");
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir))
                .hasMessageContaining("the agent's TLS certificate " + identity.certificateFile() + " is corrupt")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        TlsIdentity other = TlsIdentity.loadOrCreate(dir.resolve("other"));
        Files.copy(other.keyFile(), identity.keyFile(), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir)).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void aCertificateWithoutItsKeyIsNotReplacedSilently() throws IOException {
        TlsIdentity identity = TlsIdentity.loadOrCreate(dir);
        Files.delete(identity.keyFile());
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir)).hasMessageContaining("incomplete")
                .hasMessageContaining(identity.keyFile() + " is not");
    }

    @Test
    void anUnwritableStateDirectoryIsOneClearLine() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            // root writes anywhere: then there is nothing to see here.
            if (!Files.isWritable(locked)) {
                assertThatThrownBy(() -> TlsIdentity.loadOrCreate(locked.resolve("hdbg-agent")))
                        .hasMessageContaining("cannot create the agent's state directory").hasMessageContaining("--state-dir");
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void theDefaultDirectoryFollowsXdgStateHome() {
        Path home = Path.of("/home/ada");
        assertThat(TlsIdentity.defaultDirectory(Map.of(), home)).isEqualTo(Path.of("/home/ada/.local/state/hdbg-agent"));
        assertThat(TlsIdentity.defaultDirectory(Map.of("XDG_STATE_HOME", "/var/state"), home)).isEqualTo(Path.of("/var/state/hdbg-agent"));
        assertThat(TlsIdentity.defaultDirectory(Map.of("XDG_STATE_HOME", "relative"), home)).as("XDG: a relative path is ignored")
                .isEqualTo(Path.of("/home/ada/.local/state/hdbg-agent"));
        assertThat(TlsIdentity.defaultDirectory(Map.of("HOME", "/tmp/h"), home)).as("$HOME wins over the account's home")
                .isEqualTo(Path.of("/tmp/h/.local/state/hdbg-agent"));
        assertThat(TlsIdentity.defaultDirectory(Map.of("HOME", "/tmp/h", "XDG_STATE_HOME", "/var/state"), home))
                .isEqualTo(Path.of("/var/state/hdbg-agent"));
    }
}
