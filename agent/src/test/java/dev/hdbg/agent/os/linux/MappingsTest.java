package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What /proc/self/maps and the virtual size are made from: the ranges a process mapped, cut and replaced. */
class MappingsTest {
    private static final Mappings.Kind HEAP = new Mappings.Kind("[heap]", 0, 0);

    /**
     * A removal whose range holds the tree's root: TreeMap copies the successor into a removed node with two children,
     * and the old code read the removed range from that node afterwards, making the next range's end its own: a brk
     * gave perl and python a heap to the next library, 42 TiB of virtual size, which RLIMIT_AS then refused.
     */
    @Test
    void aRemovedRangeIsNotTakenForTheNextOne() {
        Mappings mappings = new Mappings();
        mappings.set(0x1000, 0x1800, Mappings.Kind.ANONYMOUS);
        mappings.set(0x2000, 0x2400, HEAP);
        mappings.set(0x3000, 0x9000, Mappings.Kind.ANONYMOUS);
        mappings.remove(0x2000, 0x2800);
        assertThat(mappings.totalBytes()).isEqualTo(0x800 + 0x6000);
        assertThat(mappings.at(0x2800)).isEmpty();
        assertThat(mappings.at(0x3000)).contains(Mappings.Kind.ANONYMOUS);
    }

    @Test
    void aRemovalCutsTheRangesAtItsEdgesAndKeepsTheirOffsets() {
        Mappings mappings = new Mappings();
        Mappings.Kind file = new Mappings.Kind("/lib/x.so", 0x10000, 42);
        mappings.set(0x10000, 0x20000, file);
        mappings.remove(0x14000, 0x18000);
        assertThat(mappings.totalBytes()).isEqualTo(0xc000);
        assertThat(mappings.at(0x18000)).contains(new Mappings.Kind("/lib/x.so", 0x18000, 42));
        assertThat(mappings.bytesIn(0x12000, 0x1a000)).as("mapped of the range").isEqualTo(0x2000 + 0x2000);
        assertThat(mappings.covers(0x10000, 0x14000)).isTrue();
        assertThat(mappings.covers(0x10000, 0x18000)).isFalse();
    }
}
