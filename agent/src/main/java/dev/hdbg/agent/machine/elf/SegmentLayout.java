package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.elf.ElfImage.ProgramHeader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns {@code PT_LOAD} segments into page-aligned mappings. The kernel maps each segment on its own pages, and
 * where two segments share a page the later mapping simply replaces it; {@link GuestMemory#map} refuses an
 * overlap instead, so segments that share a page become one mapping with the union of their permissions.
 */
final class SegmentLayout {
    /**
     * A segment's memory cannot be allocated lazily ({@code GuestMemory} backs every region with host memory), so
     * an absurd {@code p_memsz} from a hostile file is refused instead of allocated.
     */
    static final long MAX_IMAGE_BYTES = 1L << 30;

    /** One region to map: [{@code begin}, {@code end}), both page-aligned, guest addresses. */
    record Mapping(long begin, long end, int prot) {
    }

    private SegmentLayout() {
    }

    /**
     * The mappings covering every {@code PT_LOAD} with a nonzero {@code p_memsz}, moved by {@code bias}, sorted by
     * address, none sharing a page.
     *
     * @throws IllegalArgumentException when a segment wraps around the address space or the image needs more than
     *                                  {@link #MAX_IMAGE_BYTES}
     */
    static List<Mapping> of(String who, List<ProgramHeader> loads, long bias) {
        List<Mapping> pages = new ArrayList<>();
        for (ProgramHeader p : loads) {
            if (p.memsz() == 0) {
                continue;
            }
            long start = p.vaddr() + bias;
            long end = start + p.memsz();
            if (Long.compareUnsigned(end, start) < 0 || Long.compareUnsigned(p.memsz(), MAX_IMAGE_BYTES) > 0) {
                throw new IllegalArgumentException(who + " has a PT_LOAD at 0x" + Long.toHexString(start)
                        + " of 0x" + Long.toHexString(p.memsz()) + " bytes, which does not fit");
            }
            pages.add(new Mapping(start & -GuestMemory.PAGE, roundUp(end), p.prot()));
        }
        pages.sort(Comparator.comparing(Mapping::begin, Long::compareUnsigned));
        List<Mapping> merged = new ArrayList<>();
        for (Mapping m : pages) {
            Mapping last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && Long.compareUnsigned(m.begin(), last.end()) < 0) {
                long end = Long.compareUnsigned(m.end(), last.end()) > 0 ? m.end() : last.end();
                merged.set(merged.size() - 1, new Mapping(last.begin(), end, last.prot() | m.prot()));
            } else {
                merged.add(m);
            }
        }
        long total = 0;
        for (Mapping m : merged) {
            total += m.end() - m.begin();
        }
        if (Long.compareUnsigned(total, MAX_IMAGE_BYTES) > 0) {
            throw new IllegalArgumentException(who + " needs 0x" + Long.toHexString(total)
                    + " bytes of memory, more than the 0x" + Long.toHexString(MAX_IMAGE_BYTES)
                    + " bytes hdbg maps for one image");
        }
        return merged;
    }

    /**
     * The end of the highest segment, page-aligned: Linux's initial {@code mm->brk} without randomization
     * ({@code ELF_PAGEALIGN(elf_brk)} in {@code load_elf_binary}).
     */
    static long brkStart(List<ProgramHeader> loads, long bias) {
        long highest = 0;
        for (ProgramHeader p : loads) {
            long end = p.vaddr() + bias + p.memsz();
            if (Long.compareUnsigned(end, highest) > 0) {
                highest = end;
            }
        }
        return roundUp(highest);
    }

    /** The first page any segment with memory covers, link-time address. */
    static long lowest(List<ProgramHeader> loads) {
        long lowest = -1;
        for (ProgramHeader p : loads) {
            if (p.memsz() > 0 && Long.compareUnsigned(p.vaddr(), lowest) < 0) {
                lowest = p.vaddr();
            }
        }
        return lowest & -GuestMemory.PAGE;
    }

    /** The pages from {@link #lowest} to the end of the highest segment: what the image occupies once loaded. */
    static long span(List<ProgramHeader> loads) {
        return brkStart(loads, 0) - lowest(loads);
    }

    static long roundUp(long address) {
        return (address + GuestMemory.PAGE - 1) & -GuestMemory.PAGE;
    }
}
