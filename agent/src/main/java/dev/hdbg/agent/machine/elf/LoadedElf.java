package dev.hdbg.agent.machine.elf;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ElfLoader#load} put into the machine. Every address includes the load bias.
 *
 * @param entry      where the guest starts: bias + {@code e_entry}; RIP after loading
 * @param loadBias   what was added to every link-time address: the PIE base for a static-pie, 0 for
 *                   {@code ET_EXEC}
 * @param brkStart   the initial program break ({@code brk(0)}): the page-aligned end of the highest
 *                   {@code PT_LOAD}; nothing is mapped there yet
 * @param stackTop   the end (exclusive) of the stack mapping
 * @param initialRsp RSP at the entry, pointing at {@code argc}; 16-byte aligned as the x86-64 psABI requires
 * @param symbols    the program's symbols, moved by the bias; empty for a stripped program
 * @param sections   the allocated ({@code SHF_ALLOC}) sections, moved by the bias, in file order
 */
public record LoadedElf(long entry, long loadBias, long brkStart, long stackTop, long initialRsp, Symbols symbols,
        List<Section> sections) {
    public LoadedElf {
        Objects.requireNonNull(symbols, "symbols");
        sections = List.copyOf(sections);
    }

    /**
     * A section of the loaded program, for {@code lm}-style listings.
     *
     * @param name    as in {@code .shstrtab}: {@code .text}
     * @param address in the guest, bias included
     * @param size    in bytes ({@code .bss} included, though the file holds none of it)
     * @param flags   {@code readelf}'s letters: {@code AX} for code, {@code WA} for data
     */
    public record Section(String name, long address, long size, String flags) {
        public Section {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(flags, "flags");
        }
    }
}
