package dev.hdbg.host.client;

import dev.hdbg.common.tls.Fingerprints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The known_agents file of trust on first use, as SSH's known_hosts: one agent a line, {@code HOST:PORT SHA256:...}
 * (HOST as the user wrote it in {@code --connect}); blank lines and lines starting with {@code #} are ignored. The
 * first line naming an agent is its record. A line that is neither is an error rather than skipped: skipping the
 * line of the agent connected to would record whatever certificate it presents now.
 */
final class KnownAgents {
    /** The recorded fingerprint of {@code agent}, on {@code line} (counted from 1). */
    record Entry(String agent, String fingerprint, int line) {
    }

    private final Path file;

    KnownAgents(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Trust on first use: passes when {@code offered} is what the file records for {@code agent}; records it (and
     * tells {@code onRecorded}) when the file has no line for {@code agent}.
     *
     * @throws AgentTrustException when another fingerprint is recorded (the message is the loud warning), or the
     *                             file cannot be read or written or has a malformed line
     */
    void check(String agent, String offered, Consumer<String> onRecorded) throws AgentTrustException {
        Optional<Entry> recorded = find(agent);
        if (recorded.isEmpty()) {
            add(agent, offered);
            onRecorded.accept("hdbg: first connection to the agent at " + agent + ": recorded its certificate " + offered
                    + " in " + file + " (compare it with the fingerprint the agent printed at its start); later connections "
                    + "must present the same certificate");
            return;
        }
        if (!recorded.get().fingerprint().equals(offered)) {
            throw new AgentTrustException(changedWarning(recorded.get(), offered));
        }
    }

    /** The first line recording {@code agent}. */
    Optional<Entry> find(String agent) throws AgentTrustException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AgentTrustException("cannot read the known agents file " + file + ": " + e.getMessage()
                    + " (choose another with --known-agents FILE)", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || !fields[0].contains(":") || !Fingerprints.isValid(fields[1])) {
                throw new AgentTrustException(file + " line " + (i + 1) + " is not 'HOST:PORT SHA256:...': correct or delete "
                        + "that line");
            }
            if (fields[0].equals(agent)) {
                return Optional.of(new Entry(agent, fields[1], i + 1));
            }
        }
        return Optional.empty();
    }

    /** Appends {@code agent}'s line, creating the file and its directories when there are none. */
    void add(String agent, String fingerprint) throws AgentTrustException {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            boolean endsInNewline = !Files.exists(file) || Files.size(file) == 0 || Files.readString(file).endsWith("\n");
            Files.writeString(file, (endsInNewline ? "" : "\n") + agent + " " + fingerprint + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AgentTrustException("cannot record the agent at " + agent + " in the known agents file " + file + ": "
                    + e + " (choose another with --known-agents FILE, or pin it with --fingerprint)", e);
        }
    }

    /**
     * What SSH says when a host key changes, in an agent's words; the first line reads as an error by itself, since
     * the host prints it after "error: ".
     */
    private String changedWarning(Entry recorded, String offered) {
        return String.join("\n",
                "the certificate of the agent at " + recorded.agent() + " has changed: refused",
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
                "@    WARNING: AGENT IDENTIFICATION HAS CHANGED!           @",
                "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
                "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
                "Someone could be intercepting the connection to the agent right now (a man-in-the-middle attack)!",
                "It is also possible that the agent's key pair was replaced (its state files deleted, or another --state-dir).",
                "The agent at " + recorded.agent() + " presented a certificate with the fingerprint",
                "    " + offered,
                "but " + file + " line " + recorded.line() + " records",
                "    " + recorded.fingerprint(),
                "If you expected the change, compare the new fingerprint with the 'hdbg-agent TLS fingerprint' line the agent",
                "printed at its start; then delete line " + recorded.line() + " of " + file,
                "(the next connection records the new certificate), or connect with --fingerprint " + offered + ".",
                "The connection was refused.");
    }
}
