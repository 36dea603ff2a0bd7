package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image cache's bounds: so many blocks and so many bytes, the least recently loaded let go first. */
class ImageBlocksLimitsTest {
    private static final long PAGE = GuestMemory.PAGE;

    private static GuestMapping block(Arena arena, long address, long pages, int value) {
        GuestMapping m = new GuestMapping(address, arena.allocate(pages * PAGE, PAGE), 5);
        m.memory().fill((byte) value);
        return m;
    }

    private static byte[] bytes(long pages, int value) {
        byte[] content = new byte[(int) (pages * PAGE)];
        java.util.Arrays.fill(content, (byte) value);
        return content;
    }

    @Test
    void theLeastRecentlyLoadedGoesFirstPastTheCountOrTheBytes() {
        try (Arena arena = Arena.ofConfined()) {
            ImageBlocks cache = new ImageBlocks(3, 4 * PAGE);
            GuestMapping a = block(arena, 0x400000, 1, 1);
            GuestMapping b = block(arena, 0x500000, 1, 2);
            GuestMapping c = block(arena, 0x600000, 1, 3);
            assertThat(cache.add(a, 0)).isEmpty();
            assertThat(cache.add(b, 0)).isEmpty();
            assertThat(cache.add(c, 0)).isEmpty();
            assertThat(cache.find(0x400000, 5, bytes(1, 1), ctx -> true)).as("a, loaded again: the most recent")
                    .isNotNull();

            List<ImageBlocks.Entry> dropped = cache.add(block(arena, 0x700000, 1, 4), 0);
            assertThat(dropped).extracting(ImageBlocks.Entry::mapping).as("past 3 blocks: b, the least recent")
                    .containsExactly(b);
            dropped = cache.add(block(arena, 0x800000, 2, 5), 0);
            assertThat(dropped).extracting(ImageBlocks.Entry::mapping).as("past 3 blocks again: c").containsExactly(c);
            assertThat(cache.bytes()).as("a, the fourth and the fifth: 4 pages, the most").isEqualTo(4 * PAGE);

            GuestMapping huge = block(arena, 0x900000, 8, 6);
            assertThat(cache.add(huge, 0)).as("past the bytes: all the others; alone over them, the latest stays")
                    .hasSize(3);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.find(0x900000, 5, bytes(8, 6), ctx -> true).mapping()).isEqualTo(huge);
        }
    }

    @Test
    void aBlockIsFoundOnlyForItsAddressPermissionsBytesAndAUsableContext() {
        try (Arena arena = Arena.ofConfined()) {
            ImageBlocks cache = new ImageBlocks(ImageBlocks.MAX, ImageBlocks.MAX_BYTES);
            cache.add(block(arena, 0x400000, 1, 7), 3);
            assertThat(cache.find(0x400000, 5, bytes(1, 7), ctx -> ctx == 3)).isNotNull();
            assertThat(cache.find(0x401000, 5, bytes(1, 7), ctx -> true)).as("another address").isNull();
            assertThat(cache.find(0x400000, 1, bytes(1, 7), ctx -> true)).as("other permissions").isNull();
            byte[] other = bytes(1, 7);
            other[4095] = 8;
            assertThat(cache.find(0x400000, 5, other, ctx -> true)).as("one byte differs").isNull();
            assertThat(cache.find(0x400000, 5, bytes(1, 7), ctx -> ctx == 4)).as("another context").isNull();
        }
    }
}
