package dev.hdbg.host.it;

import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The network between a test's hosts and one agent, which the test can take down and bring up again. Down is a
 * dropped network, not a closed connection: nothing passes either way and neither side is told (no FIN, no RST),
 * and what was in flight arrives once the link is up again, as TCP retransmits it.
 */
interface Link extends AutoCloseable {
    /** A short name for test reports: {@code proxy}, {@code netns}. */
    String name();

    /** Starts an agent (AGENT_OPTIONS, plus what this link needs) that hosts reach only through this link. */
    AgentProcess startAgent(String... agentOptions) throws IOException;

    /** Where a host connects to reach the agent through this link: HOST:PORT. */
    String address();

    /** The agent's token, when this link makes it listen where a token is required; null otherwise. */
    String token();

    void down() throws IOException, InterruptedException;

    void up() throws IOException, InterruptedException;

    /** Removes what the link set up; safe to call after a failure, and more than once. */
    @Override
    void close();

    /** A client for setting the agent up, connected through this link. */
    default DebuggerClient connect() {
        int colon = address().lastIndexOf(':');
        return DebuggerClient.connect(address().substring(0, colon), Integer.parseInt(address().substring(colon + 1)), token());
    }

    /** {@code bin/hdbg}'s options to reach the agent: --connect and, when needed, --token. */
    default List<String> hostOptions() {
        List<String> options = new ArrayList<>(List.of("--connect", address()));
        if (token() != null) {
            options.addAll(List.of("--token", token()));
        }
        return options;
    }
}
