package dev.hdbg.agent.os.linux;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** The machine's pseudo-terminals, by index: what {@code /dev/pts} lists and {@code /dev/tty} finds by session. */
final class Terminals {
    private final TreeMap<Integer, Terminal> byIndex = new TreeMap<>();
    private final ProcessTable table;

    Terminals(ProcessTable table) {
        this.table = table;
    }

    /** open of {@code /dev/ptmx}: a new pair, at the lowest free index, its master's end. */
    TerminalEnd openMaster(int statusFlags) {
        int index = 0;
        while (byIndex.containsKey(index)) {
            index++;
        }
        Terminal terminal = new Terminal(index, table);
        byIndex.put(index, terminal);
        return new TerminalEnd(terminal, true, statusFlags, this);
    }

    /** open of {@code /dev/pts/N}: EIO while locked or once its master closed. */
    TerminalEnd openSlave(Terminal terminal, int statusFlags) {
        terminal.slaveOpened();
        return new TerminalEnd(terminal, false, statusFlags, this);
    }

    Optional<Terminal> get(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    /** The controlling terminal of {@code session} (TIOCSCTTY), which {@code /dev/tty} opens. */
    Optional<Terminal> ofSession(long session) {
        return byIndex.values().stream().filter(t -> t.session == session && session != 0).findFirst();
    }

    List<String> names() {
        return byIndex.keySet().stream().map(String::valueOf).toList();
    }

    /** A pair with neither end open any more is gone from /dev/pts. */
    void closed(Terminal terminal) {
        if (terminal.gone()) {
            byIndex.remove(terminal.index);
        }
    }
}
