package dev.hdbg.host.cli.commands;

import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.CallerDrivenLoop;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** HyperDbg's {@code sleep MILLISECONDS} (hex, as HyperDbg reads it): pauses a script between two commands. */
@Command(name = "sleep", description = {"Waits MILLISECONDS (hex) before the next command, e.g. in a script: sleep MS",
        "Example: sleep 3e8"})
final class SleepCommand extends SessionCommand {
    /** An hour: a longer sleep is a typo, not a wish. */
    private static final long MAX_MILLIS = 3_600_000;

    @Parameters(arity = "1", paramLabel = "MS")
    String millis;

    SleepCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() throws InterruptedException {
        long ms = Numbers.parse(millis);
        if (Long.compareUnsigned(ms, MAX_MILLIS) > 0) {
            throw new IllegalArgumentException("sleep " + millis + " is longer than an hour (0x"
                    + Long.toHexString(MAX_MILLIS) + " ms); the number is hex: sleep 3e8 is one second");
        }
        CallerDrivenLoop.pause(TimeUnit.MILLISECONDS.toNanos(ms)); // a batch answers pings meanwhile
        out().ok("sleep");
    }
}
