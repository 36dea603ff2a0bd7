package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.unicorn.Prot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed and validated ELF64 little-endian x86-64 executable, as {@link ElfParser} produces it. Addresses are
 * the file's own (link-time) addresses; a position-independent one ({@link #isPie()}) is moved by its load bias
 * when loaded.
 *
 * @param type           {@link #ET_EXEC} or {@link #ET_DYN}
 * @param entry          {@code e_entry}
 * @param phoff          {@code e_phoff}, the file offset of the program headers
 * @param phentsize      {@code e_phentsize}, 56 for ELF64
 * @param programHeaders every program header, in file order; at least one is {@link #PT_LOAD}
 * @param sections       every section header, in file order, named from {@code .shstrtab}; empty when the file
 *                       has none
 * @param symbols        the function and object symbols of {@code .symtab}, then those only {@code .dynsym} has,
 *                       unrelocated, in table order
 * @param interpreter    the path {@link #PT_INTERP} names ({@code /lib64/ld-linux-x86-64.so.2}): the program is
 *                       dynamically linked; empty for a static one
 * @param buildId        the GNU build id in hex, which names the separate debug file; empty when there is none
 */
public record ElfImage(int type, long entry, long phoff, int phentsize, List<ProgramHeader> programHeaders,
        List<SectionHeader> sections, List<Symbols.Symbol> symbols, Optional<String> interpreter,
        Optional<String> buildId) {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int PT_LOAD = 1;
    public static final int PT_INTERP = 3;
    public static final int PT_PHDR = 6;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_TLS = 0x400;

    public ElfImage {
        if (type != ET_EXEC && type != ET_DYN) {
            throw new IllegalArgumentException("ELF type " + type + " is neither ET_EXEC nor ET_DYN");
        }
        programHeaders = List.copyOf(programHeaders);
        sections = List.copyOf(sections);
        symbols = List.copyOf(symbols);
        Objects.requireNonNull(interpreter, "interpreter");
        Objects.requireNonNull(buildId, "buildId");
    }

    /** Position-independent ({@code ET_DYN}: a PIE, a static-pie or the dynamic loader itself): loaded at a bias. */
    public boolean isPie() {
        return type == ET_DYN;
    }

    /** The {@link #PT_LOAD} headers, in file order (which the ELF specification requires to be by address). */
    public List<ProgramHeader> loads() {
        return programHeaders.stream().filter(p -> p.type() == PT_LOAD).toList();
    }

    /**
     * The unrelocated address the program headers are loaded at, for {@code AT_PHDR}: a {@link #PT_PHDR}'s
     * address, else the address of {@code e_phoff} inside the {@code PT_LOAD} whose file bytes contain it (Linux's
     * {@code load_elf_binary} does the same since 5.18). Empty when no segment loads them.
     */
    public OptionalLong phdrAddress() {
        for (ProgramHeader p : programHeaders) {
            if (p.type() == PT_PHDR) {
                return OptionalLong.of(p.vaddr());
            }
        }
        long tableSize = (long) phentsize * programHeaders.size();
        for (ProgramHeader p : loads()) {
            if (phoff >= p.offset() && phoff + tableSize <= p.offset() + p.filesz()) {
                return OptionalLong.of(p.vaddr() + (phoff - p.offset()));
            }
        }
        return OptionalLong.empty();
    }

    /** One program header ({@code Elf64_Phdr}). */
    public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        /** {@code p_flags} as {@link Prot} bits: {@code PF_R}, {@code PF_W}, {@code PF_X} are in reverse order. */
        public int prot() {
            return ((flags & PF_R) != 0 ? Prot.READ : 0) | ((flags & PF_W) != 0 ? Prot.WRITE : 0)
                    | ((flags & PF_X) != 0 ? Prot.EXEC : 0);
        }
    }

    /** One section header ({@code Elf64_Shdr}), its name resolved. */
    public record SectionHeader(String name, int type, long flags, long address, long offset, long size, int link,
            long entsize) {
        public SectionHeader {
            Objects.requireNonNull(name, "name");
        }

        /** The flags as {@code readelf} letters, in its order: {@code W} write, {@code A} alloc, {@code X} exec,
         * {@code T} TLS; {@code AX} for {@code .text}. */
        public String flagString() {
            return ((flags & SHF_WRITE) != 0 ? "W" : "") + ((flags & SHF_ALLOC) != 0 ? "A" : "")
                    + ((flags & SHF_EXECINSTR) != 0 ? "X" : "") + ((flags & SHF_TLS) != 0 ? "T" : "");
        }
    }
}
