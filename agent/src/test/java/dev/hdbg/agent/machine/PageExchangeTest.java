package dev.hdbg.agent.machine;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ranges of host memory trade bytes ({@link HostPages#exchange}) by copying the pages either touched, or by moving
 * all their pages when many were: each way, every byte ends on the other side, nothing else changes, and a page neither
 * touched stays untouched.
 */
class PageExchangeTest {
    private static final long PAGE = GuestMemory.PAGE;

    @TempDir
    Path dir;

    @Test
    void copyingSwapsThePagesEitherTouchedAndLeavesTheOthersUntouched() {
        try (HostPages pages = new HostPages(); TouchedPages touchedPages = TouchedPages.open()) {
            MemorySegment a = pages.allocate(64 * PAGE);
            MemorySegment b = pages.allocate(64 * PAGE);
            a.set(JAVA_BYTE, 2 * PAGE + 1, (byte) 1); // both touched page 2
            b.set(JAVA_BYTE, 2 * PAGE + 2, (byte) 2);
            a.set(JAVA_BYTE, 5 * PAGE, (byte) 5); // one side alone
            b.set(JAVA_BYTE, 63 * PAGE + 7, (byte) 63);

            assertThat(pages.exchange(a, b)).isTrue();

            boolean[] touchedA = new boolean[64];
            boolean[] touchedB = new boolean[64];
            assertThat(touchedPages.read(a, touchedA) && touchedPages.read(b, touchedB)).isTrue();
            assertThat(touchedA[10] || touchedB[10]).as("a page neither touched, not read").isFalse();
            assertThat(bytes(a, 2 * PAGE, 3)).containsExactly(0, 0, 2);
            assertThat(bytes(b, 2 * PAGE, 3)).containsExactly(0, 1, 0);
            assertThat(bytes(a, 5 * PAGE, 1)).containsExactly(0);
            assertThat(bytes(b, 5 * PAGE, 1)).containsExactly(5);
            assertThat(bytes(a, 63 * PAGE + 7, 1)).containsExactly(63);
            assertThat(bytes(b, 63 * PAGE + 7, 1)).containsExactly(0);
            assertThat(nonZeroBytes(a)).as("nothing else written").isEqualTo(2);
            assertThat(nonZeroBytes(b)).isEqualTo(2);
        }
    }

    @Test
    void manyTouchedPagesAreMovedAndBothRangesStayMappedAndHeld() {
        int count = 1024; // past what is copied
        try (HostPages pages = new HostPages()) {
            MemorySegment a = pages.allocate(count * PAGE);
            MemorySegment b = pages.allocate(count * PAGE);
            for (int i = 0; i < count; i++) {
                a.set(JAVA_BYTE, i * PAGE, (byte) i);
                b.set(JAVA_BYTE, i * PAGE + 1, (byte) (i + 1));
            }
            long held = pages.heldBytes();

            assertThat(pages.exchange(a, b)).isTrue();

            for (int i = 0; i < count; i++) {
                assertThat(bytes(a, i * PAGE, 2)).as("page %d of a", i).containsExactly(0, (byte) (i + 1));
                assertThat(bytes(b, i * PAGE, 2)).as("page %d of b", i).containsExactly((byte) i, 0);
            }
            assertThat(pages.heldBytes()).isEqualTo(held);
            pages.free(a);
            pages.free(b);
            assertThat(pages.heldBytes()).isZero();
        }
    }

    @Test
    void moveGivesEachRangeTheOthersPages() {
        try (HostPages pages = new HostPages()) {
            MemorySegment a = pages.allocate(4 * PAGE);
            MemorySegment b = pages.allocate(4 * PAGE);
            a.set(JAVA_BYTE, 3 * PAGE, (byte) 7);
            b.set(JAVA_BYTE, 0, (byte) 9);

            assertThat(PageExchange.move(a, b)).as("MREMAP_DONTUNMAP, Linux 5.7 and later").isTrue();

            assertThat(bytes(a, 0, 1)).containsExactly(9);
            assertThat(bytes(a, 3 * PAGE, 1)).containsExactly(0);
            assertThat(bytes(b, 3 * PAGE, 1)).containsExactly(7);
            a.set(JAVA_BYTE, 1, (byte) 1); // both still mapped, writable
            b.set(JAVA_BYTE, 1, (byte) 2);
            assertThat(bytes(a, 0, 2)).containsExactly(9, 1);
            assertThat(bytes(b, 0, 2)).containsExactly(0, 2);
        }
    }

    @Test
    void aFilesPagesOrMemoryNotHeldAreRefusedAndLeftAsTheyWere() throws IOException {
        try (HostPages pages = new HostPages();
             FileChannel file = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                     StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {4}), 0);
            MemorySegment mapped = pages.mapFile(file, 0, 1, "f");
            MemorySegment own = pages.allocate(PAGE);
            own.set(JAVA_BYTE, 0, (byte) 8);
            assertThat(pages.exchange(own, mapped)).isFalse();
            assertThat(bytes(own, 0, 1)).containsExactly(8);
            assertThat(bytes(mapped, 0, 1)).containsExactly(4);

            MemorySegment other = pages.allocate(PAGE);
            pages.free(other);
            assertThat(pages.exchange(own, other)).as("freed already").isFalse();
            assertThat(bytes(own, 0, 1)).containsExactly(8);
        }
    }

    private static byte[] bytes(MemorySegment memory, long at, int length) {
        return memory.asSlice(at, length).toArray(JAVA_BYTE);
    }

    private static int nonZeroBytes(MemorySegment memory) {
        int count = 0;
        for (long at = 0; at < memory.byteSize(); at++) {
            count += memory.get(JAVA_BYTE, at) != 0 ? 1 : 0;
        }
        return count;
    }
}
