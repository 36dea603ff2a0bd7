package dev.hdbg.agent.machine;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Guest pages from the host's mmap: zeroed, committed only when touched, refused when absurd. */
class HostPagesTest {
    private static final long GIB = 1L << 30;

    @Test
    void aGibibyteReadsAsZerosAndCostsOnlyThePagesTouched() throws IOException {
        try (HostPages pages = new HostPages()) {
            long before = residentBytes();
            MemorySegment memory = pages.allocate(GIB);
            for (long at = 0; at < GIB; at += 64L << 20) {
                assertThat(memory.get(JAVA_BYTE, at)).isZero();
            }
            memory.set(JAVA_BYTE, GIB - 1, (byte) 7);
            assertThat(memory.get(JAVA_BYTE, GIB - 1)).isEqualTo((byte) 7);
            // An Arena would have zeroed, and so committed, the whole gibibyte.
            assertThat(residentBytes() - before).as("resident growth").isLessThan(256L << 20);
        }
    }

    @Test
    void aTerabyteIsRefusedWhenTheKernelDoesNotOvercommitEverything() throws IOException {
        String overcommit = Files.readString(Path.of("/proc/sys/vm/overcommit_memory")).trim();
        try (HostPages pages = new HostPages()) {
            if (overcommit.equals("1")) {
                assertThat(pages.allocate(1024 * GIB).byteSize()).isEqualTo(1024 * GIB);
            } else {
                assertThatThrownBy(() -> pages.allocate(1024 * GIB)).isInstanceOf(HostMemoryException.class)
                        .hasMessageContaining("no room for 1099511627776 bytes");
            }
        }
    }

    private static long residentBytes() throws IOException {
        String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(statm[1]) * 4096;
    }

    @Test
    void aCopyHasEveryWrittenByteAndLeavesThePagesNeverTouchedUntouched() {
        try (HostPages pages = new HostPages()) {
            long size = 64 * GuestMemory.PAGE;
            MemorySegment from = pages.allocate(size);
            from.set(JAVA_BYTE, 3 * GuestMemory.PAGE + 5, (byte) 3);
            from.set(JAVA_BYTE, size - 1, (byte) 9);
            MemorySegment to = pages.allocate(size);
            pages.copyNonZero(from, to);

            TouchedPages touchedPages = TouchedPages.open();
            assertThat(touchedPages).as("/proc/self/pagemap readable here").isNotNull();
            boolean[] touched = new boolean[64];
            assertThat(touchedPages.read(from, touched)).isTrue();
            assertThat(touched[3]).isTrue();
            assertThat(touched[63]).isTrue();
            assertThat(touched[10]).as("a page never touched").isFalse();
            boolean[] copied = new boolean[64];
            assertThat(touchedPages.read(to, copied)).isTrue();
            assertThat(copied[10]).as("the copy did not touch it either").isFalse();
            touchedPages.close();
            // Last: comparing reads every page, and a page read is a page touched.
            assertThat(MemorySegment.mismatch(from, 0, size, to, 0, size)).as("the copy").isEqualTo(-1);
        }
    }

    @Test
    void slicesOfAnAllocationAreFreedOneByOne() {
        try (HostPages pages = new HostPages()) {
            long page = GuestMemory.PAGE;
            MemorySegment block = pages.allocate(4 * page);
            MemorySegment middle = block.asSlice(page, 2 * page);
            pages.free(middle);
            pages.free(middle); // freed already: left alone
            block.set(JAVA_BYTE, 0, (byte) 1);
            block.set(JAVA_BYTE, 4 * page - 1, (byte) 2);
            assertThat(block.get(JAVA_BYTE, 0)).isEqualTo((byte) 1);
            assertThat(block.get(JAVA_BYTE, 4 * page - 1)).isEqualTo((byte) 2);
            pages.free(block.asSlice(0, page));
            pages.free(block.asSlice(3 * page, page));
            assertThat(pages.heldBytes()).isZero();
        }
    }
}

