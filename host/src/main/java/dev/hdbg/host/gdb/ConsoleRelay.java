package dev.hdbg.host.gdb;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Records on the front end's console: {@code O} packets are allowed only while the target runs or a {@code monitor}
 * command does (otherwise gdb would take one for the answer to its next packet), so text that comes meanwhile waits,
 * the last {@value #PENDING_LINES} blocks of it, and goes out when the console opens again.
 */
final class ConsoleRelay {
    static final int PENDING_LINES = 1000;

    private final FrontEnd frontEnd;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private int dropped;
    private boolean open;

    ConsoleRelay(FrontEnd frontEnd) {
        this.frontEnd = frontEnd;
    }

    /** The target runs, or a monitor command does: what waited goes out, and what comes goes at once. */
    synchronized void open() throws IOException {
        open = true;
        if (dropped > 0) {
            frontEnd.console("hdbg: " + dropped + " record lines were not shown (the bridge kept the last "
                    + PENDING_LINES + ")\n");
            dropped = 0;
        }
        while (!pending.isEmpty()) {
            frontEnd.console(pending.poll());
        }
    }

    synchronized void close() {
        open = false;
    }

    /** Closes the console and sends {@code stopReply}, with no record in between. */
    synchronized void closeWith(String stopReply) throws IOException {
        open = false;
        frontEnd.send(stopReply);
    }

    /** On the record thread: {@code text} now, or when the console opens. */
    synchronized void show(String text) {
        if (open) {
            try {
                frontEnd.console(text);
            } catch (IOException e) {
                // The session's reader sees the connection end too, and ends the session.
            }
            return;
        }
        if (pending.size() == PENDING_LINES) {
            pending.poll();
            dropped++;
        }
        pending.add(text);
    }
}
