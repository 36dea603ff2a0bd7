package dev.hdbg.host.client;

import dev.hdbg.common.tls.Fingerprints;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a host decides whether the certificate an agent presents is that agent's. The agent's certificate is
 * self-signed, so no certificate authority vouches for it: its fingerprint does.
 */
public sealed interface AgentTrust {
    /** Only the certificate with this fingerprint; anything else is refused, naming both fingerprints. */
    record Pinned(String fingerprint) implements AgentTrust {
        public Pinned {
            Fingerprints.require(fingerprint, "--fingerprint");
        }
    }

    /**
     * Trust on first use, as SSH does with known_hosts: the first certificate seen for HOST:PORT is recorded in the
     * known_agents file and {@code onRecorded} is told; later ones must match it, and a different one is refused with
     * a warning that names the file and line to delete to accept it.
     */
    record TrustOnFirstUse(Path knownAgents, Consumer<String> onRecorded) implements AgentTrust {
        public TrustOnFirstUse {
            Objects.requireNonNull(knownAgents, "knownAgents");
            Objects.requireNonNull(onRecorded, "onRecorded");
        }
    }
}
