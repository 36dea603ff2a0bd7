package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.MemoryRegion;
import java.util.List;
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

    /**
     * Neighbours Linux holds as one area are one line (stop 56: the stack's two emulator regions showed as two
     * [stack] lines); a change of permissions, of name or a file's offset that does not go on keeps lines apart.
     */
    @Test
    void neighboursLinuxWouldMergeAreOneLine() {
        Mappings mappings = new Mappings();
        Mappings.Kind stack = new Mappings.Kind("[stack]", 0, 0);
        mappings.set(0x7000_0000L, 0x7000_8000L, stack);
        mappings.set(0x7000_8000L, 0x7000_9000L, stack);
        Mappings.Kind file = new Mappings.Kind("/lib/x.so", 0, 42);
        mappings.set(0x1000_0000L, 0x1000_3000L, file);
        mappings.set(0x1000_3000L, 0x1000_4000L, new Mappings.Kind("/lib/x.so", 0x8000, 42)); // not the next offset
        List<MemoryRegion> regions = List.of(new MemoryRegion(0x1000_0000L, 0x1000_1fffL, 1),
                new MemoryRegion(0x1000_2000L, 0x1000_2fffL, 1), new MemoryRegion(0x1000_3000L, 0x1000_3fffL, 1),
                new MemoryRegion(0x7000_0000L, 0x7000_7fffL, 3), new MemoryRegion(0x7000_8000L, 0x7000_8fffL, 3));
        assertThat(mappings.render(regions).lines().toList()).containsExactly(
                "10000000-10003000 r--p 00000000 00:00 42                                 /lib/x.so",
                "10003000-10004000 r--p 00008000 00:00 42                                 /lib/x.so",
                "70000000-70009000 rw-p 00000000 00:00 0                                  [stack]");
    }
}
