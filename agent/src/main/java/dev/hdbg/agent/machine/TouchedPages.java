package dev.hdbg.agent.machine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which pages of host memory this process ever touched, from Linux's {@code /proc/self/pagemap}: a page neither present
 * nor swapped out was never written (nor read) since {@code mmap} gave it, so it still reads as zero without looking.
 * A fork's copy ({@link HostPages#copyNonZero}) skips those pages instead of reading them: most of an 8 MiB stack, a
 * heap mapped ahead. Where pagemap cannot be read, every page counts as touched, and the copy compares them all, as it
 * did before.
 */
final class TouchedPages implements AutoCloseable {
    private static final Path PAGEMAP = Path.of("/proc/self/pagemap");
    private static final long PRESENT = 1L << 63;
    private static final long SWAPPED = 1L << 62;
    /** Entries read at once: 512 pages, 2 MiB of memory, 4 KiB of pagemap. */
    private static final int BATCH = 512;

    private final FileChannel pagemap;
    private final ByteBuffer entries = ByteBuffer.allocateDirect(BATCH * 8).order(ByteOrder.nativeOrder());

    private TouchedPages(FileChannel pagemap) {
        this.pagemap = pagemap;
    }

    /** This process's pagemap, or null where it cannot be read (no /proc, a restricted container). */
    static TouchedPages open() {
        try {
            return new TouchedPages(FileChannel.open(PAGEMAP, StandardOpenOption.READ));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Marks in {@code touched} (one flag a page of {@code memory}, which is page-aligned) the pages that are present or
     * swapped out.
     *
     * @return false when pagemap could not be read; {@code touched} is then not to be trusted
     */
    boolean read(MemorySegment memory, boolean[] touched) {
        long firstPage = memory.address() / GuestMemory.PAGE;
        try {
            for (int done = 0; done < touched.length; ) {
                int n = Math.min(BATCH, touched.length - done);
                entries.clear().limit(n * 8);
                long at = (firstPage + done) * 8;
                while (entries.hasRemaining()) {
                    if (pagemap.read(entries, at + entries.position()) <= 0) {
                        return false;
                    }
                }
                for (int i = 0; i < n; i++) {
                    long entry = entries.getLong(i * 8);
                    touched[done + i] = (entry & (PRESENT | SWAPPED)) != 0;
                }
                done += n;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            pagemap.close();
        } catch (IOException e) {
            // Nothing was written through it: nothing is lost.
        }
    }
}
