package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.JsonOutput;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code s} over more than one read: matches across read boundaries are found once, and no read exceeds 1 MiB. */
class SearchCommandTest {
    private static final long BASE = 0x10000000L;
    private static final int SIZE = 3 * SearchCommand.PAGE;

    private final byte[] memory = new byte[SIZE];
    private final List<Integer> readLengths = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CommandShell shell() {
        AgentStatus status = new AgentStatus(TargetState.PAUSED, BASE, "scripted",
                List.of(new MemoryRegion(BASE, BASE + SIZE, "rw-", "heap")), 0);
        DebuggerClient client = (DebuggerClient) Proxy.newProxyInstance(DebuggerClient.class.getClassLoader(),
                new Class<?>[] {DebuggerClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "status" -> CompletableFuture.completedFuture(status);
                    case "readMemory" -> {
                        long address = (long) args[0];
                        int length = (int) args[1];
                        readLengths.add(length);
                        int from = (int) (address - BASE);
                        yield CompletableFuture.completedFuture(Arrays.copyOfRange(memory, from, from + length));
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "paged memory";
                    default -> method.getReturnType() == CompletableFuture.class
                            ? CompletableFuture.failedFuture(new AgentError(AgentError.Kind.INTERNAL, "not scripted: " + method.getName()))
                            : null;
                });
        return new CommandShell(new DebugSession(client, new JsonOutput(lines::add)), true);
    }

    private void put(int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, memory, offset, bytes.length);
    }

    @Test
    void findsEachMatchOnceAcrossReadBoundariesInReadsOfAtMostOneMebibyte() {
        int page = SearchCommand.PAGE;
        int step = page - 15; // a 4-byte pattern: the reads overlap by the 16 bytes a hit shows, less one
        int[] offsets = {0, step - 2, page - 2, 2 * step - 1, 2 * page + 5, SIZE - 4};
        for (int offset : offsets) {
            put(offset, "hdbg");
        }

        CommandShell.Result result = shell().execute("s -a " + Long.toHexString(BASE) + " L" + Integer.toHexString(SIZE) + " hdbg");

        assertThat(result).as(lines.toString()).isEqualTo(CommandShell.Result.OK);
        String hits = Arrays.stream(offsets).mapToObj(o -> "\"0x" + Long.toHexString(BASE + o) + "\"")
                .reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(lines).containsExactly("{\"type\":\"search\",\"hits\":[" + hits + "]}");
        assertThat(readLengths).isNotEmpty().allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(page));
        assertThat(readLengths.stream().mapToLong(Integer::longValue).sum()).isLessThan(SIZE + 4L * page / 100);
    }

    @Test
    void valueSearchesMatchOnlyAtAddressesAlignedToTheirSize() {
        memory[0x100] = 0x78;
        memory[0x101] = 0x56;
        memory[0x102] = 0x34;
        memory[0x103] = 0x12;
        memory[0x201] = 0x78;
        memory[0x202] = 0x56;
        memory[0x203] = 0x34;
        memory[0x204] = 0x12;
        CommandShell shell = shell();

        shell.execute("s -d " + Long.toHexString(BASE) + " L1000 12345678");
        shell.execute("s -b " + Long.toHexString(BASE) + " L1000 78 56 34 12");

        assertThat(lines).containsExactly(
                "{\"type\":\"search\",\"hits\":[\"0x" + Long.toHexString(BASE + 0x100) + "\"]}",
                "{\"type\":\"search\",\"hits\":[\"0x" + Long.toHexString(BASE + 0x100) + "\",\"0x" + Long.toHexString(BASE + 0x201) + "\"]}");
    }
}
