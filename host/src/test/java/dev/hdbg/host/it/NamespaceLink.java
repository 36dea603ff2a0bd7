package dev.hdbg.host.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real network (needs root): the agent runs in a network namespace of its own, joined to the test's by a veth
 * pair with private addresses, and the link goes down and up as {@code ip link set DEV down|up} on the test's end.
 * Packets are then dropped by the kernel, and TCP retransmits once the link is up again.
 *
 * <p>Names carry the test JVM's pid, so two runs on one machine do not collide; the addresses come from
 * 198.18.0.0/15, which RFC 2544 sets aside for benchmarking networks and no real network routes.
 */
final class NamespaceLink implements Link {
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger CREATED = new AtomicInteger();

    private final String namespace;
    /** The test's end of the veth pair; the agent's end is in the namespace. */
    private final String hostDevice;
    private final String agentDevice;
    private final String network;
    private final String hostAddress;
    private final String agentAddress;
    private final String token = UUID.randomUUID().toString();
    private volatile int agentPort;

    private NamespaceLink(int index) {
        namespace = "hdbg-nd-" + PID + "-" + index;
        hostDevice = "hdh" + PID + "x" + index; // at most 15 characters (IFNAMSIZ)
        agentDevice = "hda" + PID + "x" + index;
        int subnet = (198 << 24) | (18 << 16) | (int) ((PID & 0x7fff) << 2); // a /30 of 198.18.0.0/15
        network = dotted(subnet) + "/30";
        hostAddress = dotted(subnet + 1);
        agentAddress = dotted(subnet + 2);
    }

    /**
     * Why a namespace link cannot be made here (not root, no {@code ip}, namespaces not permitted in this
     * container), or empty when it can: tries {@code ip netns add} and removes what it made.
     */
    static Optional<String> unavailable() {
        String probe = "hdbg-nd-" + PID + "-probe";
        try {
            if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
                return Optional.of("not running as root");
            }
            ip("netns", "add", probe);
            ip("netns", "del", probe);
            return Optional.empty();
        } catch (IOException | IllegalStateException | UnsupportedOperationException e) {
            return Optional.of("cannot make a network namespace: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Makes the namespace and the veth pair, both ends up with their addresses. */
    static NamespaceLink create() throws IOException, InterruptedException {
        NamespaceLink link = new NamespaceLink(CREATED.incrementAndGet());
        link.close(); // what a killed run left, whose pid this one now has
        try {
            ip("netns", "add", link.namespace);
            ip("link", "add", link.hostDevice, "type", "veth", "peer", "name", link.agentDevice, "netns", link.namespace);
            ip("addr", "add", link.hostAddress + "/30", "dev", link.hostDevice);
            ip("link", "set", link.hostDevice, "up");
            ip("-n", link.namespace, "addr", "add", link.agentAddress + "/30", "dev", link.agentDevice);
            ip("-n", link.namespace, "link", "set", link.agentDevice, "up");
            ip("-n", link.namespace, "link", "set", "lo", "up");
            return link;
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "netns";
    }

    @Override
    public AgentProcess startAgent(String... agentOptions) throws IOException {
        // Not loopback, so the agent requires a token (and warns that the link is clear text).
        List<String> options = new ArrayList<>(List.of(agentOptions));
        options.addAll(List.of("--token", token));
        AgentProcess agent = AgentProcess.startInNamespace(namespace, agentAddress + ":0", options.toArray(String[]::new));
        agentPort = agent.port();
        return agent;
    }

    @Override
    public String address() {
        return agentAddress + ":" + agentPort;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public void down() throws IOException, InterruptedException {
        ip("link", "set", hostDevice, "down");
    }

    /**
     * Up again, and checked: the kernel keeps an IPv4 address on a device that goes down and puts the subnet's
     * route back when it comes up, but should it not, they are added again here.
     */
    @Override
    public void up() throws IOException, InterruptedException {
        ip("link", "set", hostDevice, "up");
        if (!ip("-o", "addr", "show", "dev", hostDevice).contains(hostAddress + "/30")) {
            ip("addr", "add", hostAddress + "/30", "dev", hostDevice);
        }
        if (!ip("route", "show", "dev", hostDevice).contains(network)) {
            ip("route", "replace", network, "dev", hostDevice, "src", hostAddress);
        }
    }

    @Override
    public void close() {
        // Deleting either end of a veth pair deletes both; deleting the namespace also deletes its end, but only
        // once the agent in it has exited, so the test's end goes first.
        for (List<String> command : List.of(List.of("link", "del", hostDevice), List.of("netns", "del", namespace))) {
            try {
                ip(command.toArray(String[]::new));
            } catch (IOException | IllegalStateException e) {
                // Not made (setup failed before it) or already gone: nothing to remove.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs {@code ip ARGS...}; its output, or IllegalStateException with it when it fails. */
    private static String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }
}
