package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.cli.parse.ExpressionParser;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One host's connection as the commands use it: the client, the output, and what the target did
 * last (so {@code g} in batch mode can wait for the next break or exit).
 */
public final class DebugSession implements AutoCloseable {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final DebuggerClient client;
    private final Output output;
    private final Object stops = new Object();
    private long lastStopSeq;
    private DebuggerRecord lastStop;
    private String disconnectReason;

    public DebugSession(DebuggerClient client, Output output) {
        this.client = client;
        this.output = output;
        client.addRecordListener(this::onRecord);
        client.onDisconnect(this::onDisconnect);
    }

    public DebuggerClient client() {
        return client;
    }

    public Output output() {
        return output;
    }

    private void onRecord(DebuggerRecord record) {
        output.record(record);
        if (record instanceof DebuggerRecord.Break || record instanceof DebuggerRecord.Exit) {
            synchronized (stops) {
                lastStopSeq = record.seq();
                lastStop = record;
                stops.notifyAll();
            }
        }
    }

    private void onDisconnect(String reason) {
        synchronized (stops) {
            disconnectReason = reason;
            stops.notifyAll();
        }
    }

    /** The sequence number of the last break or exit seen so far. */
    public long lastStopSeq() {
        synchronized (stops) {
            return lastStopSeq;
        }
    }

    /**
     * Waits for a break or exit record newer than {@code afterSeq}.
     *
     * @throws AgentError of kind CONNECTION if the agent goes away first, TIMEOUT after {@code timeout}
     */
    public DebuggerRecord awaitStopAfter(long afterSeq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stops) {
            while (lastStopSeq <= afterSeq) {
                if (disconnectReason != null) {
                    throw new AgentError(AgentError.Kind.CONNECTION, disconnectReason);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AgentError(AgentError.Kind.TIMEOUT, "the target did not stop within " + timeout.toSeconds() + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(stops, left);
            }
            return lastStop;
        }
    }

    /** Waits for a reply, turning failures into {@link AgentError}. */
    public <T> T await(CompletableFuture<T> reply) {
        try {
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AgentError ae ? ae : new AgentError(AgentError.Kind.INTERNAL, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new AgentError(AgentError.Kind.TIMEOUT, "the agent did not answer within " + REPLY_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentError(AgentError.Kind.TIMEOUT, "interrupted");
        }
    }

    /**
     * Evaluates an address or value expression: hex by default, registers by name or {@code @name}
     * (read from the agent only when the expression names one).
     */
    public long evaluate(String expression) {
        return ExpressionParser.evaluate(expression, name -> GuestRegister.byName(name)
                .map(r -> OptionalLong.of(await(client.readRegisters(List.of(r.wireName()))).get(r.wireName())))
                .orElse(OptionalLong.empty()));
    }

    @Override
    public void close() {
        client.close();
    }
}
