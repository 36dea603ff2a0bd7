package dev.hdbg.host.cli;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.EventInfo;
import dev.hdbg.common.model.TargetState;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * While the target runs at the interactive prompt, a status line at the bottom of the terminal,
 * updated in place twice a second: how long it has run, the events' hits per second and the
 * records received per second. Hidden while the target is halted.
 */
final class ProgressLine implements AutoCloseable {
    private static final long PERIOD_MS = 500;

    private final DebugSession session;
    private final Status status;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("hdbg-progress").daemon().factory());
    private long lastSeq = -1;
    private long lastHits;
    private long lastNanos;
    private long runningSince;
    private boolean shown;

    ProgressLine(Terminal terminal, DebugSession session) {
        this.session = session;
        this.status = Status.getStatus(terminal, true);
        timer.scheduleWithFixedDelay(this::update, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void update() {
        try {
            if (!session.connected()) {
                hide();
                return;
            }
            AgentStatus agent = session.client().status().get(2, TimeUnit.SECONDS);
            if (agent.state() != TargetState.RUNNING) {
                hide();
                return;
            }
            List<EventInfo> events = session.client().listEvents().get(2, TimeUnit.SECONDS);
            long hits = events.stream().mapToLong(EventInfo::hits).sum();
            long now = System.nanoTime();
            if (!shown) {
                runningSince = now;
                lastSeq = agent.lastSeq();
                lastHits = hits;
                lastNanos = now;
                shown = true;
            }
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            String text = String.format(Locale.ROOT, "running %.1f s | events %,d (%,.0f/s) | records %,d (%,.0f/s) | Ctrl-C pauses",
                    (now - runningSince) / 1e9, hits, (hits - lastHits) / seconds, agent.lastSeq(),
                    (agent.lastSeq() - lastSeq) / seconds);
            lastSeq = agent.lastSeq();
            lastHits = hits;
            lastNanos = now;
            status.update(List.of(new AttributedString(text)));
        } catch (Exception e) {
            hide(); // the line is a convenience: a failed poll only hides it
        }
    }

    private void hide() {
        if (shown) {
            shown = false;
            status.update(List.of(new AttributedString("")));
            status.hide();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        hide();
    }
}
