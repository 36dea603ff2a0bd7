package dev.hdbg.host.client;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.ActionType;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection to one hdbg agent: the Java API whose calls mirror HyperDbg's actions
 * specification. Every call returns a future; it fails with {@link AgentError} when the agent
 * refuses the request (the error's kind says why) or the connection is lost. Records the agent
 * sends on its own (logs, buffers, breaks, exits, action errors) reach the listeners in
 * sequence-number order, on one thread.
 *
 * <p>Obtain one with {@link #connect}. Thread-safe.
 */
public interface DebuggerClient extends AutoCloseable {

    /**
     * Connects and performs the handshake.
     *
     * @throws AgentError of kind CONNECTION when nothing listens there, VERSION_MISMATCH,
     *                    UNAUTHENTICATED (missing or wrong token) or BUSY (another host is attached)
     */
    static DebuggerClient connect(String host, int port, String token) {
        return NettyDebuggerClient.connect(host, port, token);
    }

    /** The agent's status as of the handshake. */
    AgentStatus statusAtConnect();

    /** Registers an event with its condition and actions; armed unless {@code spec.enabled()} is false. */
    CompletableFuture<AddedEvent> addEvent(EventSpec spec);

    /**
     * spec: {@code DebuggerAddActionToEvent(Event, ActionType, SendTheResultsImmediately,
     * InTheCaseOfCustomCode, InTheCaseOfLogTheStates)}. The action runs after the event's
     * existing actions. {@code customCode} is required for RUN_CUSTOM_CODE and ignored otherwise,
     * {@code logConfiguration} likewise for LOG_THE_STATES.
     *
     * @return the new action's id
     */
    default CompletableFuture<Long> addActionToEvent(long eventId, ActionType type, boolean sendTheResultsImmediately,
                                                     CustomCodeRequest customCode, LogConfiguration logConfiguration) {
        ActionSpec action = switch (type) {
            case BREAK_TO_DEBUGGER -> new ActionSpec.Break();
            case LOG_THE_STATES -> new ActionSpec.Log(logConfiguration, sendTheResultsImmediately);
            case RUN_CUSTOM_CODE -> new ActionSpec.CustomCode(customCode.code(), customCode.optionalRequestedBufferSize(),
                    sendTheResultsImmediately);
        };
        return addAction(eventId, action);
    }

    /** spec: DEBUGGER_EVENT_REQUEST_CUSTOM_CODE. */
    record CustomCodeRequest(MachineCode code, int optionalRequestedBufferSize) {
    }

    CompletableFuture<Long> addAction(long eventId, ActionSpec action);

    CompletableFuture<List<Long>> enableEvent(long eventId);

    CompletableFuture<List<Long>> disableEvent(long eventId);

    CompletableFuture<List<Long>> clearEvent(long eventId);

    /** Enable, disable or clear every event. */
    CompletableFuture<List<Long>> modifyAllEvents(Modification modification);

    enum Modification { ENABLE, DISABLE, CLEAR }

    CompletableFuture<List<EventListing>> listEvents();

    /** Lets a paused target run; fails with BAD_STATE if it runs already or has exited. */
    CompletableFuture<Void> cont();

    /** Halts a running target; a break record with reason PAUSE follows. */
    CompletableFuture<Void> pause();

    CompletableFuture<AgentStatus> status();

    /** @param names register names; empty for the general-purpose registers, rip and rflags */
    CompletableFuture<Map<String, Long>> readRegisters(List<String> names);

    CompletableFuture<Void> writeRegister(String name, long value);

    /** Reads any length, paged in requests of at most 1 MiB. */
    CompletableFuture<byte[]> readMemory(long address, int length);

    CompletableFuture<Void> writeMemory(long address, byte[] data);

    void addRecordListener(Consumer<DebuggerRecord> listener);

    /** Called once when the connection ends, with the reason. */
    void onDisconnect(Consumer<String> listener);

    @Override
    void close();
}
