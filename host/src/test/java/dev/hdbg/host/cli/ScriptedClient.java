package dev.hdbg.host.cli;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A client with no agent behind it: the test pushes records; status and register reads answer
 * fixed values, every other request fails. A proxy, so the fake keeps up as the API grows.
 */
final class ScriptedClient {
    private final List<Consumer<DebuggerRecord>> listeners = new CopyOnWriteArrayList<>();
    private final AgentStatus status;
    volatile boolean closed;
    /** Records that arrived but were not yet delivered when the client is closed. */
    final List<DebuggerRecord> deliveredOnClose = new CopyOnWriteArrayList<>();
    final DebuggerClient client = (DebuggerClient) Proxy.newProxyInstance(DebuggerClient.class.getClassLoader(),
            new Class<?>[] {DebuggerClient.class}, (proxy, method, args) -> switch (method.getName()) {
                case "statusAtConnect" -> status();
                case "status" -> CompletableFuture.completedFuture(status());
                case "resumePoint" -> new DebuggerClient.ResumePoint("scripted-run", 0);
                case "readRegisters" -> CompletableFuture.completedFuture(Map.of("rip", 0x400000L));
                case "addRecordListener" -> {
                    @SuppressWarnings("unchecked")
                    Consumer<DebuggerRecord> listener = (Consumer<DebuggerRecord>) args[0];
                    listeners.add(listener);
                    yield null;
                }
                case "close" -> {
                    deliveredOnClose.forEach(this::emit); // as a real client delivers what it received
                    closed = true;
                    yield null;
                }
                case "toString" -> "ScriptedClient";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> method.getReturnType() == CompletableFuture.class
                        ? CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INTERNAL, "not scripted: " + method.getName()))
                        : null;
            });

    /** A client attached to a paused target. */
    ScriptedClient() {
        this(TargetState.PAUSED);
    }

    /** A client whose handshake found the target in {@code state}. */
    ScriptedClient(TargetState state) {
        status = new AgentStatus(state, 0x400000, "scripted", List.of(), 0);
    }

    private AgentStatus status() {
        return status;
    }

    /** Delivers a record as the client's record thread would. */
    void emit(DebuggerRecord record) {
        listeners.forEach(l -> l.accept(record));
    }
}
