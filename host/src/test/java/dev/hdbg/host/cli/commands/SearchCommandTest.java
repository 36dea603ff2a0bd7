package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code s} over more than one read: matches across read boundaries are found once, and no read exceeds 1 MiB. */
class SearchCommandTest {
    private static final long BASE = 0x10000000L;
    private static final int SIZE = 3 * SearchCommand.PAGE;

    private final byte[] memory = new byte[SIZE];
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private FakeDebuggerClient client;

    private CommandShell shell() {
        FakeDebuggerClient heap = new FakeDebuggerClient().map(BASE, memory, "heap");
        client = heap;
        return new CommandShell(new DebugSession(heap, ScreenWriter.over(lines::add), OutputFormat.JSON), true);
    }

    /** The lengths of the reads the search asked for. */
    private List<Integer> readLengths() {
        return client.calls("readMemory").stream().map(c -> (Integer) c.arguments().get(1)).toList();
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
        List<Integer> readLengths = readLengths();
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

    @Test
    void hyperDbgsSbSdSqTakeLengthAndPidAnywhereAndStepFromTheStart() {
        // sd steps from its ADDR by 4 (HyperDbg's PerformSearchAddress), so a value at an odd address is found when
        // the search starts there, where s -d, aligned to the value's size, never finds it
        memory[0x201] = 0x78;
        memory[0x202] = 0x56;
        memory[0x203] = 0x34;
        memory[0x204] = 0x12;
        memory[0x300] = 0x48;
        memory[0x301] = (byte) 0x8b;
        memory[0x302] = 0x03;
        CommandShell shell = shell();

        shell.execute("sd " + Long.toHexString(BASE + 0x201) + " pid 1dd0 l fff 12345678");
        shell.execute("s -d " + Long.toHexString(BASE + 0x200) + " L1000 12345678");
        shell.execute("sb " + Long.toHexString(BASE) + " l 1000 48 8b 03");
        shell.execute("sq " + Long.toHexString(BASE + 0x200) + " l 100 0000001234567800");
        shell.execute("sb " + Long.toHexString(BASE) + " 48 8b");

        assertThat(lines).containsExactly(
                "{\"type\":\"search\",\"hits\":[\"0x" + Long.toHexString(BASE + 0x201) + "\"]}",
                "{\"type\":\"search\",\"hits\":[]}",
                "{\"type\":\"search\",\"hits\":[\"0x" + Long.toHexString(BASE + 0x300) + "\"]}",
                "{\"type\":\"search\",\"hits\":[\"0x" + Long.toHexString(BASE + 0x200) + "\"]}",
                "{\"type\":\"error\",\"message\":\"give the length to search as l LENGTH, e.g. sb 400000 l 100 48 8b 03\"}");
    }
}
