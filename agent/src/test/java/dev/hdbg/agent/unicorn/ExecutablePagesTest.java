package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ExecutablePagesTest {
    @Test
    void aRangeIsExecutableWhereAnyOfItsAddressesIs() {
        ExecutablePages pages = new ExecutablePages();
        pages.set(0x400000, 0x2000, true);
        assertThat(pages.any(0x401fff, 0x402000)).isTrue();
        assertThat(pages.any(0x3ff000, 0x400001)).isTrue();
        assertThat(pages.any(0x402000, 0x403000)).isFalse();
        assertThat(pages.any(0x3ff000, 0x400000)).isFalse();
        assertThat(pages.any(0x401000, 0x401000)).as("empty").isFalse();
    }

    @Test
    void protectingThePagesInTheMiddleSplitsTheRange() {
        ExecutablePages pages = new ExecutablePages();
        pages.set(0x400000, 0x3000, true);
        pages.set(0x401000, 0x1000, false);
        assertThat(pages.any(0x401000, 0x402000)).isFalse();
        assertThat(pages.any(0x400000, 0x401000)).isTrue();
        assertThat(pages.any(0x402000, 0x403000)).isTrue();
        assertThat(pages.ranges()).isEqualTo(2);
        pages.set(0x3ff000, 0x5000, false);
        assertThat(pages.ranges()).isZero();
    }

    /** The agent's own regions are in the upper half: an unsigned order, and the top page of the address space. */
    @Test
    void upperHalfAddressesCompareUnsigned() {
        ExecutablePages pages = new ExecutablePages();
        pages.set(0x7fff_f000L, 0x1000, true);
        pages.set(-0x1000L, 0x1000, true);
        assertThat(pages.any(-0x1000L, -1L)).isTrue();
        assertThat(pages.any(0x8000_0000L, -0x1000L)).isFalse();
        assertThat(pages.any(0, 0x7fff_f001L)).isTrue();
        pages.set(-0x1000L, 0x1000, false);
        assertThat(pages.any(0x8000_0000L, -1L)).isFalse();
    }

    /** Against a set of pages, over random marks and queries. */
    @Test
    void randomMarksAgreeWithASetOfPages() {
        Random random = new Random(32);
        ExecutablePages pages = new ExecutablePages();
        TreeSet<Long> model = new TreeSet<>();
        for (int i = 0; i < 20_000; i++) {
            long first = random.nextInt(64);
            long count = 1 + random.nextInt(8);
            if (random.nextInt(3) > 0) {
                boolean executable = random.nextBoolean();
                pages.set(first << 12, count << 12, executable);
                for (long p = first; p < first + count; p++) {
                    if (executable) {
                        model.add(p);
                    } else {
                        model.remove(p);
                    }
                }
            } else {
                long begin = (first << 12) + random.nextInt(0x1000);
                long end = begin + random.nextInt(0x4000);
                boolean expected = end > begin && !model.subSet(begin >> 12, true, (end - 1) >> 12, true).isEmpty();
                assertThat(pages.any(begin, end)).as("[%x, %x) after %d", begin, end, i).isEqualTo(expected);
            }
        }
    }
}
