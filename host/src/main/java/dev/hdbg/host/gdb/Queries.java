package dev.hdbg.host.gdb;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.wire.Protocol;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The general queries and {@code v} packets: what the bridge supports ({@code qSupported}), the threads,
 * {@code qXfer} objects (the target description, the executable's path), {@code monitor} ({@code qRcmd}),
 * {@code vCont}, and the host I/O ({@code vFile}): {@code /proc/PID/maps}, which gdb's {@code info proc mappings}
 * reads, made from the agent's memory map, and every other file read from the target's file system through the agent
 * (protocol 1.17), as gdbserver serves them: the program and its libraries, whose symbols gdb reads.
 */
final class Queries {
    private static final Pattern PROC_MAPS = Pattern.compile("/proc/\\d+/maps");
    private static final int MAX_OPEN_FILES = 16;
    /** gdb's host I/O open flags (GDB's manual, "Open Flags") and mode bits ("mode_t Values"). */
    private static final long O_ACCMODE = 3;
    private static final long O_RDONLY = 0;
    private static final int S_IFREG = 0100000;
    /** gdb's host I/O {@code struct stat}: seven 32-bit fields, three 64-bit, three 32-bit times. */
    static final int STAT_SIZE = 64;

    private final GdbSession session;
    private final DebuggerClient client;
    private final RegisterFile.Replies replies;
    private final Map<Integer, OpenFile> openFiles = new HashMap<>();
    private int nextFd = 3;
    /** The last {@code qXfer:libraries-svr4} document, for gdb's reads of its later parts. */
    private byte[] libraryDocument;

    Queries(GdbSession session, DebuggerClient client, RegisterFile.Replies replies) {
        this.session = session;
        this.client = client;
        this.replies = replies;
    }

    /** @return false when the session ends ({@code vKill}) */
    boolean answer(String text, byte[] payload) throws IOException {
        FrontEnd out = session.frontEnd();
        if (text.startsWith("qSupported")) {
            // multiprocess+ gives gdb each thread's process id (pPID.TID), which info proc needs.
            session.multiprocess(text.contains("multiprocess+"));
            out.send("PacketSize=" + Integer.toHexString(GdbSession.MAX_PACKET)
                    + ";qXfer:features:read+;qXfer:exec-file:read+;qXfer:threads:read+;swbreak+;hwbreak+;vContSupported+;ConditionalBreakpoints+"
                    + ";QStartNoAckMode+;QCatchSyscalls+;qXfer:siginfo:read+;QPassSignals+;QProgramSignals+"
                    + (fromFile() ? ";qXfer:auxv:read+;qXfer:libraries-svr4:read+" : "")
                    + (text.contains("multiprocess+") ? ";multiprocess+" : ""));
        } else if (text.startsWith("QCatchSyscalls:")) {
            out.send(session.syscalls().configure(text.substring(15)) ? "OK" : "E01");
        } else if (text.startsWith("QPassSignals:")) {
            out.send(session.signals().pass(text.substring(13)) ? "OK" : "E01");
        } else if (text.startsWith("QProgramSignals:")) {
            out.send("OK"); // any signal gdb resumes with is delivered (ResumeSignalRequest)
        } else if (text.equals("QStartNoAckMode")) {
            out.send("OK");
            out.stopAcknowledging();
        } else if (text.startsWith("qXfer:features:read:target.xml:")) {
            out.send(xfer(TargetDescription.xml().getBytes(StandardCharsets.UTF_8), text.substring(31)));
        } else if (text.startsWith("qXfer:exec-file:read:")) {
            String rest = text.substring(21);
            out.send(xfer(executable(regions()).getBytes(StandardCharsets.UTF_8), rest.substring(rest.indexOf(':') + 1)));
        } else if (text.startsWith("qXfer:threads:read::")) {
            out.send(xfer(threads().xml(), text.substring(20)));
        } else if (text.startsWith("qXfer:libraries-svr4:read:")) {
            String rest = text.substring(26);
            out.send(libraries(rest.substring(rest.indexOf(':') + 1)));
        } else if (text.startsWith("qXfer:siginfo:read::")) {
            byte[] siginfo = replies.await(client.heldSignalInfo());
            if (siginfo.length == 0) {
                out.send("E01"); // no signal held: gdb says "Unable to read siginfo", as with gdbserver
            } else {
                out.send(xfer(siginfo, text.substring(20)));
            }
        } else if (text.startsWith("qXfer:auxv:read::")) {
            out.send(auxv(text.substring(17)));
        } else if (text.startsWith("qXfer:")) {
            out.send("E00");
        } else if (text.equals("qAttached")) {
            out.send("1"); // gdb detaches rather than kills when it quits: the target belongs to the agent
        } else if (text.equals("qC")) {
            out.send("QC" + session.threadId());
        } else if (text.equals("qfThreadInfo")) {
            out.send(threads().list());
        } else if (text.equals("qsThreadInfo")) {
            out.send("l");
        } else if (text.startsWith("qThreadExtraInfo,")) {
            GuestThreads known = session.threads();
            out.send(known.byId(text.substring(17)).map(t -> Packets.hex(("core " + t.core())
                    .getBytes(StandardCharsets.US_ASCII))).orElse("E01"));
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
            out.send("vCont;c;C;s;S;t;r");
        } else if (text.startsWith("vCont;")) {
            ResumeActions.run(text.substring(6), session);
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

    /** The threads now: the agent's cores, asked for each list gdb wants. */
    private GuestThreads threads() {
        GuestThreads known = session.threads();
        known.refresh(replies.await(client.status()).cores());
        return known;
    }

    /** The agent's memory map now, one status request: what the program's path and its ELF headers are read from. */
    private List<MemoryRegion> regions() {
        return replies.await(client.status()).regions();
    }

    /** Whether the target is a program loaded from a file (not a sample): it has an ELF header and a vector. */
    private boolean fromFile() {
        return regions().stream().anyMatch(r -> r.name().startsWith("/"));
    }

    /**
     * The shared libraries ({@link LibraryList}), walked again when gdb reads the document from its start (after each
     * stop it wants them); its later parts come from that walk. E01 when the program cannot be read.
     */
    private byte[] libraries(String offsetLength) {
        try {
            if (offsetLength.startsWith("0,") || libraryDocument == null) {
                List<MemoryRegion> regions = regions();
                libraryDocument = LibraryList.xml(executable(regions), regions,
                        (address, length) -> replies.await(client.readMemory(address, length)))
                        .getBytes(StandardCharsets.UTF_8);
            }
            return xfer(libraryDocument, offsetLength);
        } catch (RuntimeException e) {
            return ascii("E01");
        }
    }

    /**
     * The auxiliary vector: the process's own, {@code /proc/PID/auxv} as gdbserver reads it (protocol 1.19 serves the
     * target's {@code /proc} files), else rebuilt from the program in memory ({@link AuxiliaryVector}); E01 when it
     * cannot be.
     */
    private byte[] auxv(String offsetLength) {
        try {
            byte[] own = replies.await(client.readFile("/proc/" + session.threads().current().pid() + "/auxv", 0,
                    Protocol.MAX_FILE_READ)).data();
            if (own.length > 0) {
                return xfer(own, offsetLength);
            }
        } catch (AgentError | UnsupportedOperationException e) {
            // an agent before 1.19 has no /proc for its host: rebuilt below
        }
        try {
            List<MemoryRegion> regions = regions();
            byte[] vector = AuxiliaryVector.of(executable(regions), regions,
                    (address, length) -> replies.await(client.readMemory(address, length)));
            return xfer(vector, offsetLength);
        } catch (RuntimeException e) {
            return ascii("E01");
        }
    }

    /** The program's path: the name of the memory map's first file mapping (the status' target is a description). */
    private static String executable(List<MemoryRegion> regions) {
        return regions.stream().map(MemoryRegion::name)
                .filter(name -> name.startsWith("/")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the target is not a program loaded from a file"));
    }

    /**
     * Host I/O: {@code open} ({@link #open}), {@code pread}, {@code fstat} and {@code close} of the files gdb opened,
     * read-only; {@code setfs} is accepted (the target's processes share one root).
     */
    private byte[] file(String request, byte[] payload) {
        String[] parts = request.split("[:,]");
        try {
            return switch (parts[0]) {
                case "setfs" -> ascii("F0");
                case "open" -> open(new String(Packets.unhex(parts[1]), StandardCharsets.UTF_8), Packets.number(parts[2]));
                case "pread" -> {
                    OpenFile file = openFiles.get((int) Packets.number(parts[1]));
                    if (file == null) {
                        yield ascii("F-1,9"); // EBADF
                    }
                    int count = (int) Math.min(Packets.number(parts[2]), GdbSession.MAX_PACKET / 2);
                    yield preadReply(file.read(Packets.number(parts[3]), count));
                }
                case "fstat" -> {
                    OpenFile file = openFiles.get((int) Packets.number(parts[1]));
                    yield file == null ? ascii("F-1,9") : statReply(file.size());
                }
                case "close" -> ascii(openFiles.remove((int) Packets.number(parts[1])) != null ? "F0" : "F-1,9");
                case "readlink" -> readlink(new String(Packets.unhex(parts[1]), StandardCharsets.UTF_8));
                default -> ascii("");
            };
        } catch (AgentError e) {
            return ascii("F-1," + Integer.toHexString(errno(e)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return ascii("F-1,16"); // EINVAL
        }
    }

    /**
     * {@code vFile:open}: the memory map for {@code /proc/PID/maps}, any other path the target's file as the agent
     * serves it (since protocol 1.17): the program's libraries, which gdb then reads its symbols from with no
     * {@code set sysroot}, as from gdbserver. Reading only.
     */
    private byte[] open(String path, long flags) {
        if ((flags & O_ACCMODE) != O_RDONLY) {
            return ascii("F-1,d"); // EACCES: the target's files are read-only here
        }
        if (openFiles.size() >= MAX_OPEN_FILES) {
            return ascii("F-1,18"); // EMFILE
        }
        OpenFile file;
        if (PROC_MAPS.matcher(path).matches()) {
            file = new InMemory(maps(replies.await(client.status())));
        } else {
            long size = replies.await(client.readFile(path, 0, 0)).size();
            file = new TargetFile(path, size);
        }
        int fd = nextFd++;
        openFiles.put(fd, file);
        return ascii("F" + Integer.toHexString(fd));
    }

    /** gdb's host I/O errno for what the agent said ({@code F-1,errno}, the errno in hex). */
    private static int errno(AgentError e) {
        return switch (e.kind()) {
            case NOT_FOUND, BAD_STATE -> 2; // ENOENT: no such file here, or no files at all (a raw image)
            case INVALID_ARGUMENT, MALFORMED -> 0x16; // EINVAL, also an agent before 1.17
            default -> 5; // EIO
        };
    }

    /** {@code F<count>;<bytes>}, the bytes escaped as the framing wants them. */
    /**
     * {@code readlink} of {@code /proc/PID/exe} (gdb's {@code info proc exe}): the program's path, as the agent names
     * its mapping ({@code qXfer:exec-file}); ENOENT for any other link, which the target's files have none of here.
     */
    private byte[] readlink(String path) {
        if (!path.matches("/proc/[0-9]+/exe")) {
            return ascii("F-1,2");
        }
        return preadReply(executable(regions()).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] preadReply(byte[] data) {
        byte[] escaped = Packets.escape(data, 0, data.length);
        byte[] head = ("F" + Integer.toHexString(data.length) + ";").getBytes(StandardCharsets.US_ASCII);
        byte[] reply = Arrays.copyOf(head, head.length + escaped.length);
        System.arraycopy(escaped, 0, reply, head.length, escaped.length);
        return reply;
    }

    /**
     * {@code vFile:fstat}'s reply: gdb's host I/O {@code struct stat} (GDB's manual, "struct stat": 32-bit fields but
     * for the 64-bit size, block size and block count, big-endian), a read-only regular file of {@code size} bytes.
     */
    static byte[] statReply(long size) {
        ByteBuffer stat = ByteBuffer.allocate(STAT_SIZE); // big-endian, as the protocol's integers
        stat.putInt(0).putInt(0).putInt(S_IFREG | 0444).putInt(1).putInt(0).putInt(0).putInt(0);
        stat.putLong(size).putLong(4096).putLong((size + 511) / 512);
        stat.putInt(0).putInt(0).putInt(0);
        return preadReply(stat.array());
    }

    /** A file gdb opened: its size, and its bytes by offset. */
    private sealed interface OpenFile permits InMemory, TargetFile {
        long size();

        byte[] read(long offset, int count);
    }

    /** Made here ({@code /proc/PID/maps}). */
    private record InMemory(byte[] data) implements OpenFile {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public byte[] read(long offset, int count) {
            int from = (int) Math.min(offset, data.length);
            return Arrays.copyOfRange(data, from, (int) Math.min(data.length, (long) from + count));
        }
    }

    /** The target's, read from the agent at each {@code pread}. */
    private final class TargetFile implements OpenFile {
        private final String path;
        private final long size;

        TargetFile(String path, long size) {
            this.path = path;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] read(long offset, int count) {
            return replies.await(client.readFile(path, offset, count)).data();
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
