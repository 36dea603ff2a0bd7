package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One engine's translation buffer, where Unicorn writes the host code it translates, watched so that it is emptied
 * before it is full. Unicorn 2.0.1 flushes a full buffer itself from inside its execution loop and then chains a
 * block it just freed: the agent died of SIGSEGV in {@code tb_set_jmp_target} (Python's multiprocessing with the
 * spawn method: two exec'd interpreters taking turns re-translated their code at every switch, 58 MiB a second, and
 * filled the 1 GiB in 20 s). The buffer is a 1 GiB anonymous executable mapping that Unicorn fills from its start
 * and the kernel backs only once written, so a page near its end being resident ({@code mincore}) says it is nearly
 * full; the engine then flushes it at a safe point ({@link TranslationCache#beforeRun}) and gives the upper part's
 * pages back, which holds nothing after a flush.
 *
 * <p>Found by what {@code uc_open} and the first use of the engine added to {@code /proc/self/maps}: the library
 * exposes neither the buffer's address nor its use.
 */
final class CodeBuffer {
    /** A mapping at least this large and executable and writable is a translation buffer, not the JVM's own code. */
    static final long MIN_SIZE = 256L << 20;
    private static final long PAGE = 4096;
    private static final int MADV_DONTNEED = 4;
    private static final MethodHandle MINCORE;
    private static final MethodHandle MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        MINCORE = linker.downcallHandle(linker.defaultLookup().find("mincore").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        MADVISE = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private final long start;
    private final long size;

    CodeBuffer(long start, long size) {
        this.start = start;
        this.size = size;
    }

    /** The large writable and executable mappings of this process now, as [start, end) pairs. */
    static List<long[]> largeExecutableMappings() {
        List<long[]> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                String[] fields = line.split("\\s+", 3);
                if (fields.length < 2 || !fields[1].startsWith("rwx")) {
                    continue;
                }
                int dash = fields[0].indexOf('-');
                long begin = Long.parseUnsignedLong(fields[0], 0, dash, 16);
                long end = Long.parseUnsignedLong(fields[0], dash + 1, fields[0].length(), 16);
                if (end - begin >= MIN_SIZE) {
                    found.add(new long[] {begin, end});
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // no /proc: the buffer goes unwatched, as before
        }
        return found;
    }

    /** The one mapping of {@code after} that {@code before} did not have, or null when there is not exactly one. */
    static CodeBuffer added(List<long[]> before, List<long[]> after) {
        List<long[]> added = after.stream()
                .filter(a -> before.stream().noneMatch(b -> b[0] == a[0] && b[1] == a[1])).toList();
        return added.size() == 1 ? new CodeBuffer(added.getFirst()[0], added.getFirst()[1] - added.getFirst()[0])
                : null;
    }

    /** Whether Unicorn has written past seven eighths of the buffer. */
    boolean nearlyFull() {
        return resident(start + (size / 8 * 7 & -PAGE));
    }

    /** After a flush: the pages past the first eighth go back to the kernel, so {@link #nearlyFull} is false again. */
    void released() {
        long from = start + (size / 8 & -PAGE);
        try {
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(from), start + size - from, MADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise could not be called", t);
        }
    }

    long start() {
        return start;
    }

    long size() {
        return size;
    }

    private static boolean resident(long page) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = arena.allocate(1);
            int err = (int) MINCORE.invokeExact(MemorySegment.ofAddress(page), PAGE, vector);
            return err == 0 && (vector.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) & 1) != 0;
        } catch (Throwable t) {
            throw new IllegalStateException("mincore could not be called", t);
        }
    }
}
