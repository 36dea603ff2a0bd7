package dev.hdbg.host.gdb;

import dev.hdbg.common.record.DebuggerRecord;
import java.util.Optional;

/**
 * hdbg's own command line as the bridge reaches it: {@code monitor} (gdb's {@code qRcmd}) runs a command, and the
 * records the target produces are shown as the prompt shows them. The command line implements it; this package
 * never depends on the command line.
 */
public interface Monitor {
    /** Runs one hdbg command line ({@code !epthook f log {rdi}}, {@code events}) and returns what it printed. */
    String execute(String commandLine);

    /**
     * A record as hdbg's prompt shows it, for the front end's console; empty for records the bridge reports itself
     * (breaks, exits) and the target's own output, which the bridge passes on as it is.
     */
    Optional<String> describe(DebuggerRecord record);
}
