package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.VmxRoot;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The strings {@code $pname}, {@code $date} and {@code $time} point to, for {@code printf("%s", $time)}: NUL-terminated,
 * in one page of vmx-root memory (HyperDbg's point to its own pool too), which scripts read beside guest memory and
 * the guest cannot see. Written when a script reads the pseudo-register, so each run sees the time of its reading.
 * Execution thread only.
 */
final class PseudoStrings {
    private static final int PAGE = 4096;
    private static final int NAME_OFFSET = 0;
    /** A name longer than this is cut: it still reads as a string. */
    private static final int NAME_BYTES = 2048;
    private static final int DATE_OFFSET = NAME_BYTES;
    private static final int TIME_OFFSET = NAME_BYTES + 64;
    // HyperDbg's formats: "2024-05-06" and "13:45:01.123".
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final VmxRoot root;
    private RootAllocation page;
    private String writtenName;

    PseudoStrings(VmxRoot root) {
        this.root = root;
    }

    long processName(String name) {
        if (!name.equals(writtenName)) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            put(NAME_OFFSET, Arrays.copyOf(bytes, Math.min(bytes.length, NAME_BYTES - 1)));
            writtenName = name;
        }
        return address(NAME_OFFSET);
    }

    long date() {
        return put(DATE_OFFSET, dateText().getBytes(StandardCharsets.US_ASCII));
    }

    long time() {
        return put(TIME_OFFSET, timeText().getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code $date}'s text now: {@code 2026-12-03}. */
    static String dateText() {
        return LocalDateTime.now().format(DATE);
    }

    /** {@code $time}'s text now: {@code 06:41:07.123}. */
    static String timeText() {
        return LocalDateTime.now().format(TIME);
    }

    /** The bytes at {@code address} when they lie in this page, else null. */
    byte[] read(long address, int length) {
        if (page == null || length < 0 || Long.compareUnsigned(address, page.address()) < 0
                || Long.compareUnsigned(address - page.address() + length, PAGE) > 0) {
            return null;
        }
        return root.readIfMapped(address, length);
    }

    private long put(int offset, byte[] text) {
        byte[] terminated = Arrays.copyOf(text, text.length + 1);
        if (page == null) {
            page = root.allocateBuffer(PAGE);
        }
        root.writeBuffer(page, offset, terminated);
        return address(offset);
    }

    private long address(int offset) {
        return page.address() + offset;
    }
}
