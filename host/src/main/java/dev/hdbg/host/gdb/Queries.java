package dev.hdbg.host.gdb;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The general queries and {@code v} packets: what the bridge supports ({@code qSupported}), its one thread,
 * {@code qXfer} objects (the target description, the executable's path), {@code monitor} ({@code qRcmd}),
 * {@code vCont}, and the host I/O ({@code vFile}) gdb's {@code info proc mappings} reads {@code /proc/PID/maps}
 * with, answered from the agent's memory map.
 */
final class Queries {
    private static final Pattern PROC_MAPS = Pattern.compile("/proc/\\d+/maps");
    private static final int MAX_OPEN_FILES = 16;

    private final GdbSession session;
    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    private final Map<Integer, byte[]> openFiles = new HashMap<>();
    private int nextFd = 3;

    Queries(GdbSession session, DebuggerClient client, RegisterFile.Replies replies) {
        this.session = session;
        this.client = client;
        this.replies = replies;
    }

    /** @return false when the session ends ({@code vKill}) */
    boolean answer(String text, byte[] payload) throws IOException {
        FrontEnd out = session.frontEnd();
        if (text.startsWith("qSupported")) {
            // multiprocess+ gives gdb a process id (1), which info proc needs; the agent runs one process.
            session.multiprocess(text.contains("multiprocess+"));
            out.send("PacketSize=" + Integer.toHexString(GdbSession.MAX_PACKET)
                    + ";qXfer:features:read+;qXfer:exec-file:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+"
                    + (fromFile() ? ";qXfer:auxv:read+" : "")
                    + (text.contains("multiprocess+") ? ";multiprocess+" : ""));
        } else if (text.equals("QStartNoAckMode")) {
            out.send("OK");
            out.stopAcknowledging();
        } else if (text.startsWith("qXfer:features:read:target.xml:")) {
            out.send(xfer(TargetDescription.xml().getBytes(StandardCharsets.UTF_8), text.substring(31)));
        } else if (text.startsWith("qXfer:exec-file:read:")) {
            String rest = text.substring(21);
            out.send(xfer(executable().getBytes(StandardCharsets.UTF_8), rest.substring(rest.indexOf(':') + 1)));
        } else if (text.startsWith("qXfer:auxv:read::")) {
            out.send(auxv(text.substring(17)));
        } else if (text.startsWith("qXfer:")) {
            out.send("E00");
        } else if (text.equals("qAttached")) {
            out.send("1"); // gdb detaches rather than kills when it quits: the target belongs to the agent
        } else if (text.equals("qC")) {
            out.send("QC" + session.threadId());
        } else if (text.equals("qfThreadInfo")) {
            out.send("m" + session.threadId());
        } else if (text.equals("qsThreadInfo")) {
            out.send("l");
        } else if (text.startsWith("qSymbol")) {
            out.send("OK");
        } else if (text.startsWith("qRcmd,")) {
            String command = new String(Packets.unhex(text.substring(6)), StandardCharsets.UTF_8);
            String output = session.runMonitor(command);
            if (!output.isEmpty()) {
                out.console(output.endsWith("\n") ? output : output + "\n");
            }
            out.send("OK");
        } else if (text.equals("vCont?")) {
            out.send("vCont;c;C;s;S;t");
        } else if (text.startsWith("vCont;")) {
            vCont(text.substring(6));
        } else if (text.startsWith("vFile:")) {
            out.send(file(text.substring(6), payload));
        } else if (text.startsWith("vKill")) {
            out.send("OK");
            return false;
        } else {
            out.send(""); // vMustReplyEmpty and everything not supported
        }
        return true;
    }

    /** All-stop with one thread: the first action decides; {@code t} (stop) means pause. */
    private void vCont(String actions) throws IOException {
        String first = actions.split(";")[0];
        char action = first.charAt(0);
        switch (action) {
            case 'c', 'C' -> session.resume(false, "");
            case 's', 'S' -> session.resume(true, "");
            case 't' -> session.frontEnd().send("OK");
            default -> session.frontEnd().send("E01");
        }
    }

    /** {@code qXfer} reads: {@code OFFSET,LENGTH} into {@code data}; {@code l} marks the last part. */
    private static byte[] xfer(byte[] data, String offsetLength) {
        int comma = offsetLength.indexOf(',');
        long offset = Packets.number(offsetLength.substring(0, comma));
        long length = Math.min(Packets.number(offsetLength.substring(comma + 1)), GdbSession.MAX_PACKET / 2);
        if (offset >= data.length) {
            return new byte[] {'l'};
        }
        int end = (int) Math.min(data.length, offset + length);
        byte[] part = Packets.escape(data, (int) offset, end - (int) offset);
        byte[] reply = new byte[part.length + 1];
        reply[0] = (byte) (end == data.length ? 'l' : 'm');
        System.arraycopy(part, 0, reply, 1, part.length);
        return reply;
    }

    /** Whether the target is a program loaded from a file (not a sample): it has an ELF header and a vector. */
    private boolean fromFile() {
        return replies.await(client.status()).regions().stream().anyMatch(r -> r.name().startsWith("/"));
    }

    /** The auxiliary vector, rebuilt from the program in memory ({@link AuxiliaryVector}); E01 when it cannot be. */
    private byte[] auxv(String offsetLength) {
        try {
            byte[] vector = AuxiliaryVector.of(executable(), replies.await(client.status()).regions(),
                    (address, length) -> replies.await(client.readMemory(address, length)));
            return xfer(vector, offsetLength);
        } catch (RuntimeException e) {
            return ascii("E01");
        }
    }

    /** The program's path: the name of the memory map's first file mapping (the status' target is a description). */
    private String executable() {
        return replies.await(client.status()).regions().stream().map(MemoryRegion::name)
                .filter(name -> name.startsWith("/")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the target is not a program loaded from a file"));
    }

    /**
     * Host I/O, for {@code /proc/PID/maps} only (the agent emulates one process; its map is the agent's memory map).
     * Other files answer ENOENT, so gdb reads the executable it was given from the local disk.
     */
    private byte[] file(String request, byte[] payload) {
        String[] parts = request.split("[:,]");
        try {
            return switch (parts[0]) {
                case "setfs" -> ascii("F0");
                case "open" -> {
                    String path = new String(Packets.unhex(parts[1]), StandardCharsets.UTF_8);
                    if (!PROC_MAPS.matcher(path).matches()) {
                        yield ascii("F-1,2");
                    }
                    if (openFiles.size() >= MAX_OPEN_FILES) {
                        yield ascii("F-1,18"); // EMFILE
                    }
                    int fd = nextFd++;
                    openFiles.put(fd, maps(replies.await(client.status())));
                    yield ascii("F" + Integer.toHexString(fd));
                }
                case "pread" -> {
                    byte[] data = openFiles.get((int) Packets.number(parts[1]));
                    if (data == null) {
                        yield ascii("F-1,9"); // EBADF
                    }
                    long count = Math.min(Packets.number(parts[2]), GdbSession.MAX_PACKET / 2);
                    long offset = Packets.number(parts[3]);
                    int from = (int) Math.min(offset, data.length);
                    int to = (int) Math.min(data.length, from + count);
                    byte[] escaped = Packets.escape(data, from, to - from);
                    byte[] head = ("F" + Integer.toHexString(to - from) + ";").getBytes(StandardCharsets.US_ASCII);
                    byte[] reply = Arrays.copyOf(head, head.length + escaped.length);
                    System.arraycopy(escaped, 0, reply, head.length, escaped.length);
                    yield reply;
                }
                case "close" -> ascii(openFiles.remove((int) Packets.number(parts[1])) != null ? "F0" : "F-1,9");
                default -> ascii("");
            };
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return ascii("F-1,16"); // EINVAL
        }
    }

    /** The memory map in {@code /proc/PID/maps}' form. */
    private static byte[] maps(AgentStatus status) {
        StringBuilder maps = new StringBuilder();
        for (MemoryRegion region : status.regions()) {
            String perms = region.permissions();
            maps.append(String.format("%08x-%08x %s%sp 00000000 00:00 0", region.begin(), region.end(),
                    perms.length() >= 3 ? perms.substring(0, 3) : perms, perms.length() >= 3 ? "" : "-".repeat(3 - perms.length())));
            if (!region.name().isEmpty()) {
                maps.append("                          ").append(region.name());
            }
            maps.append('\n');
        }
        return maps.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
