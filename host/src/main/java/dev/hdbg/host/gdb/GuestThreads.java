package dev.hdbg.host.gdb;

import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.record.DebuggerRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The target's threads as gdb names them. Each thread of a program runs on a core of its own in the agent
 * ({@code ~ N}), so a gdb thread is a core with its process and thread ids: {@code pPID.TID} with
 * {@code multiprocess+}, {@code TID} without (hex, as the protocol writes ids). The current thread is the one a stop
 * names (the agent selects the core that broke) or the one gdb chose with {@code Hg}; registers, steps and the stop
 * reply are that thread's. An agent that says nothing of threads (before 1.10) has one, {@code p1.1}.
 */
final class GuestThreads {
    /** One thread: the core it runs on, its process, its own id and its name (empty when the agent says none). */
    record Thread(int core, long pid, long tid, String name) {
        /** The same thread, whatever its name: a stop or gdb's choice names a thread by its ids. */
        boolean same(Thread other) {
            return tid == other.tid && pid == other.pid;
        }
    }

    private static final Thread ONLY = new Thread(0, 1, 1, "");

    private boolean multiprocess;
    private List<Thread> known = List.of(ONLY);
    private Thread current = ONLY;

    /** gdb asked for {@code multiprocess+}. */
    void multiprocess(boolean on) {
        multiprocess = on;
    }

    /** The threads the agent's cores run now (those whose thread has not exited); the current one stays if alive. */
    void refresh(List<CoreInfo> cores) {
        List<Thread> alive = cores.stream().filter(c -> !c.state().equals("exited") && c.tid() != 0)
                .map(c -> new Thread(c.number(), c.pid() != 0 ? c.pid() : 1, c.tid(), c.name())).toList();
        known = alive.isEmpty() ? List.of(current) : alive;
        current = known.stream().filter(t -> t.tid() == current.tid() && t.pid() == current.pid()).findFirst()
                .orElse(current);
    }

    /** gdb attaches: the threads now, the one on the agent's selected core current. */
    void attached(List<CoreInfo> cores, int selectedCore) {
        refresh(cores);
        known.stream().filter(t -> t.core() == selectedCore).findFirst().ifPresent(t -> current = t);
    }

    /** A stop: its thread becomes the current one, as the agent selects the core that broke. */
    void stoppedAt(DebuggerRecord stop) {
        if (stop instanceof DebuggerRecord.Break b && b.tid() != 0) {
            Thread stopped = new Thread(b.core(), b.pid() != 0 ? b.pid() : 1, b.tid(), "");
            current = known.stream().filter(stopped::same).findFirst().orElse(stopped);
        }
    }

    /** gdb chose another thread ({@code Hg}, a step of one thread): it is current from now on. */
    void select(Thread thread) {
        current = thread;
    }

    Thread current() {
        return current;
    }

    List<Thread> all() {
        return known;
    }

    /** A thread's id as gdb writes it. */
    String id(Thread thread) {
        return multiprocess ? "p" + Long.toHexString(thread.pid()) + "." + Long.toHexString(thread.tid())
                : Long.toHexString(thread.tid());
    }

    /**
     * The thread gdb names with {@code id}; empty for "any" ({@code 0}, {@code p0.0}), "all" ({@code -1},
     * {@code pPID.-1}) or a thread the agent does not run.
     *
     * @throws IllegalArgumentException when it is no thread id at all
     */
    Optional<Thread> byId(String id) {
        String pid = null;
        String tid = id;
        if (id.startsWith("p")) {
            int dot = id.indexOf('.');
            pid = dot < 0 ? id.substring(1) : id.substring(1, dot);
            tid = dot < 0 ? "-1" : id.substring(dot + 1);
        }
        if (tid.equals("-1") || tid.equals("0")) {
            return Optional.empty();
        }
        long threadId = Packets.number(tid);
        Long processId = pid == null || pid.equals("-1") || pid.equals("0") ? null : Packets.number(pid);
        return known.stream().filter(t -> t.tid() == threadId && (processId == null || t.pid() == processId))
                .findFirst();
    }

    /** {@code qXfer:threads:read}'s document: each thread with its core. */
    byte[] xml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (Thread t : known) {
            xml.append("  <thread id=\"").append(id(t)).append("\" core=\"").append(t.core()).append('"');
            if (!t.name().isEmpty()) {
                xml.append(" name=\"").append(attribute(t.name())).append('"');
            }
            xml.append("/>\n");
        }
        return xml.append("</threads>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} as an XML attribute's value: markup escaped, control bytes (a name may hold any) as references. */
    static String attribute(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20) {
                        out.append("&#").append(c).append(';');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /** {@code qfThreadInfo}'s reply: every id, {@code m} first. */
    String list() {
        StringBuilder reply = new StringBuilder("m");
        for (Thread t : known) {
            reply.append(reply.length() > 1 ? "," : "").append(id(t));
        }
        return reply.toString();
    }
}
