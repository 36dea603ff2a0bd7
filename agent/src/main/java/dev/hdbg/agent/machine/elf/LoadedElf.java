package dev.hdbg.agent.machine.elf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ElfLoader#load} put into the machine. Every address includes the load bias.
 *
 * @param entry        where the guest starts, RIP after loading: the interpreter's entry for a dynamically linked
 *                     program, else the program's
 * @param programEntry the program's own entry, bias + {@code e_entry} ({@code AT_ENTRY})
 * @param loadBias     what was added to every link-time address of the program: the PIE base for a
 *                     position-independent one, 0 for {@code ET_EXEC}
 * @param imageBegin   the first page of the program's segments
 * @param imageEnd     the end (exclusive) of the last page of its segments
 * @param brkStart     the initial program break ({@code brk(0)}): the page-aligned end of the highest
 *                     {@code PT_LOAD}; nothing is mapped there yet
 * @param stackTop     the end (exclusive) of the stack mapping
 * @param initialRsp   RSP at the entry, pointing at {@code argc}; 16-byte aligned as the x86-64 psABI requires
 * @param symbols      the program's symbols, moved by the bias; empty for a stripped program
 * @param sections     the allocated ({@code SHF_ALLOC}) sections, moved by the bias, in file order
 * @param interpreter  the interpreter as loaded, for a dynamically linked program
 * @param auxv         the auxiliary vector given to the program, key-value pairs ending with {@code AT_NULL}
 */
public record LoadedElf(long entry, long programEntry, long loadBias, long imageBegin, long imageEnd, long brkStart,
        long stackTop, long initialRsp, Symbols symbols, List<Section> sections, Optional<Image> interpreter,
        long[] auxv) {
    public LoadedElf {
        Objects.requireNonNull(symbols, "symbols");
        sections = List.copyOf(sections);
        Objects.requireNonNull(interpreter, "interpreter");
        auxv = auxv.clone();
    }

    @Override
    public long[] auxv() {
        return auxv.clone();
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

    /**
     * An ELF image the loader placed beside the program: the interpreter.
     *
     * @param path  the path it was loaded from, as the guest names it
     * @param bias  what was added to its link-time addresses ({@code AT_BASE})
     * @param begin its first page
     * @param end   the end (exclusive) of its last page
     */
    public record Image(String path, long bias, long begin, long end) {
        public Image {
            Objects.requireNonNull(path, "path");
        }
    }
}
