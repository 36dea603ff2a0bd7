package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.elf.ElfImage.ProgramHeader;
import dev.hdbg.agent.machine.elf.ElfImage.SectionHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an ELF64 little-endian x86-64 executable (System V gABI, "ELF-64 Object File Format" 1.5): the header,
 * the program headers, the section headers and the symbol table. Every offset and count comes from an untrusted
 * file, so each is checked against the file's length before it is used. Stateless.
 */
public final class ElfParser {
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int EM_X86_64 = 62;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_NOTE = 7;
    private static final int SHT_DYNSYM = 11;
    private static final int NT_GNU_BUILD_ID = 3;
    /** PATH_MAX: a longer PT_INTERP is refused, as the kernel refuses it. */
    private static final int MAX_INTERPRETER = 4096;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int SHN_XINDEX = 0xffff;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;

    private ElfParser() {
    }

    /**
     * Parses and validates {@code file}.
     *
     * @param name for messages: the program's name or path
     * @throws IllegalArgumentException naming {@code name} and the reason, when the file is not ELF, not 64-bit,
     *                                  not little-endian, not x86-64, neither an executable nor position-independent,
     *                                  has an unreadable {@code PT_INTERP}, has no {@code PT_LOAD} or no entry point,
     *                                  or is truncated (a header, segment or table reaches past its end)
     */
    public static ElfImage parse(String name, byte[] file) {
        String who = "'" + name + "'";
        if (file.length < 4 || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F') {
            throw new IllegalArgumentException(who + " is not an ELF file (no \\x7fELF magic)");
        }
        if (file.length < EHDR_SIZE) {
            throw truncated(who, "the ELF header", 0, EHDR_SIZE, file.length);
        }
        if (file[4] != 2) {
            throw new IllegalArgumentException(who + " is not a 64-bit ELF file (EI_CLASS " + file[4]
                    + "); hdbg runs x86-64 executables");
        }
        if (file[5] != 1) {
            throw new IllegalArgumentException(who + " is not a little-endian ELF file (EI_DATA " + file[5] + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (machine != EM_X86_64) {
            throw new IllegalArgumentException(who + " is not an x86-64 executable (e_machine " + machine + ")");
        }
        if (type != ElfImage.ET_EXEC && type != ElfImage.ET_DYN) {
            throw new IllegalArgumentException(who + " is not an executable (e_type " + type
                    + (type == 1 ? ", a relocatable object: link it" : type == 4 ? ", a core dump" : "") + ")");
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        long shoff = b.getLong(40);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        int shentsize = Short.toUnsignedInt(b.getShort(58));
        int shnum = Short.toUnsignedInt(b.getShort(60));
        int shstrndx = Short.toUnsignedInt(b.getShort(62));

        if (phnum == 0) {
            throw new IllegalArgumentException(who + " has no program headers, so nothing to load");
        }
        if (phentsize != PHDR_SIZE) {
            throw new IllegalArgumentException(who + " has program headers of " + phentsize + " bytes, not "
                    + PHDR_SIZE);
        }
        check(who, "the program headers", phoff, (long) phnum * PHDR_SIZE, file.length);
        List<ProgramHeader> phdrs = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            phdrs.add(new ProgramHeader(b.getInt(at), b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                    b.getLong(at + 32), b.getLong(at + 40), b.getLong(at + 48)));
        }
        validateSegments(who, phdrs, file, entry);
        Optional<String> interpreter = Optional.empty();
        for (ProgramHeader p : phdrs) {
            if (p.type() == ElfImage.PT_INTERP) {
                interpreter = Optional.of(interpreter(who, p, file));
            }
        }

        List<SectionHeader> sections = shoff == 0 ? List.of()
                : sections(who, b, file.length, shoff, shentsize, shnum, shstrndx);
        return new ElfImage(type, entry, phoff, phentsize, phdrs, sections, symbols(who, b, file.length, sections),
                interpreter, buildId(b, file.length, sections));
    }

    /**
     * What names code and data in any ELF file, loadable or not: its symbols ({@code .symtab} and {@code .dynsym})
     * and its GNU build id. Reads a separate debug file ({@code /usr/lib/debug/.build-id/xx/yyyy.debug}) too, whose
     * segments are headers without bytes.
     *
     * @throws IllegalArgumentException when the file is not a 64-bit little-endian ELF or its tables are truncated
     */
    public static SymbolFile symbolFile(String name, byte[] file) {
        String who = "'" + name + "'";
        if (file.length < EHDR_SIZE || file[0] != 0x7f || file[1] != 'E' || file[2] != 'L' || file[3] != 'F'
                || file[4] != 2 || file[5] != 1) {
            throw new IllegalArgumentException(who + " is not a 64-bit little-endian ELF file");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        List<SectionHeader> sections = shoff == 0 ? List.of() : sections(who, b, file.length, shoff,
                Short.toUnsignedInt(b.getShort(58)), Short.toUnsignedInt(b.getShort(60)),
                Short.toUnsignedInt(b.getShort(62)));
        return new SymbolFile(symbols(who, b, file.length, sections), buildId(b, file.length, sections));
    }

    /**
     * Whether {@code head}, the first bytes of a file, starts an x86-64 executable or shared object whose program
     * headers it holds, and if so its type and the page its lowest {@code PT_LOAD} is linked at: what tells a
     * mapping of a library's first page from any other file mapping, and where the library's addresses start.
     */
    public static Optional<Linked> linked(byte[] head) {
        if (head.length < EHDR_SIZE || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F'
                || head[4] != 2 || head[5] != 1) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        long phoff = b.getLong(32);
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (Short.toUnsignedInt(b.getShort(18)) != EM_X86_64 || (type != ElfImage.ET_EXEC && type != ElfImage.ET_DYN)
                || Short.toUnsignedInt(b.getShort(54)) != PHDR_SIZE || phoff < 0
                || phoff + (long) phnum * PHDR_SIZE > head.length) {
            return Optional.empty();
        }
        long lowest = -1;
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + i * PHDR_SIZE;
            if (b.getInt(at) == ElfImage.PT_LOAD && Long.compareUnsigned(b.getLong(at + 16), lowest) < 0) {
                lowest = b.getLong(at + 16);
            }
        }
        return lowest == -1 ? Optional.empty() : Optional.of(new Linked(type, lowest & ~0xfffL));
    }

    /**
     * An executable or shared object as its header says.
     *
     * @param type       {@link ElfImage#ET_EXEC} or {@link ElfImage#ET_DYN}
     * @param linkedPage the page-aligned link-time address of its lowest {@code PT_LOAD}: where its first page
     *                   goes, moved by the load bias
     */
    public record Linked(int type, long linkedPage) {
    }

    /**
     * The symbols and build id of an ELF file.
     *
     * @param symbols unrelocated, in table order
     * @param buildId the GNU build id in lower-case hex, empty when the file has none
     */
    public record SymbolFile(List<Symbols.Symbol> symbols, Optional<String> buildId) {
        public SymbolFile {
            symbols = List.copyOf(symbols);
        }
    }

    private static void validateSegments(String who, List<ProgramHeader> phdrs, byte[] file, long entry) {
        boolean anyLoad = false;
        for (ProgramHeader p : phdrs) {
            if (p.type() != ElfImage.PT_LOAD) {
                continue;
            }
            anyLoad = true;
            if (Long.compareUnsigned(p.filesz(), p.memsz()) > 0) {
                throw new IllegalArgumentException(who + " has a PT_LOAD at 0x" + Long.toHexString(p.vaddr())
                        + " with more file bytes (0x" + Long.toHexString(p.filesz()) + ") than memory (0x"
                        + Long.toHexString(p.memsz()) + ")");
            }
            check(who, "the PT_LOAD at 0x" + Long.toHexString(p.vaddr()), p.offset(), p.filesz(), file.length);
        }
        if (!anyLoad) {
            throw new IllegalArgumentException(who + " has no PT_LOAD segment, so nothing to load");
        }
        if (entry == 0) {
            throw new IllegalArgumentException(who + " has no entry point (e_entry 0): a shared library?");
        }
    }

    /** The interpreter's path: PT_INTERP's bytes up to their NUL, as {@code load_elf_binary} reads them. */
    private static String interpreter(String who, ProgramHeader p, byte[] file) {
        if (p.filesz() < 2 || p.filesz() > MAX_INTERPRETER) {
            throw new IllegalArgumentException(who + " has a PT_INTERP of " + p.filesz() + " bytes, which names no path");
        }
        check(who, "PT_INTERP", p.offset(), p.filesz(), file.length);
        int end = (int) p.offset();
        while (end < p.offset() + p.filesz() && file[end] != 0) {
            end++;
        }
        if (end == p.offset() + p.filesz()) {
            throw new IllegalArgumentException(who + " has a PT_INTERP without its terminating NUL");
        }
        return new String(file, (int) p.offset(), end - (int) p.offset(), StandardCharsets.UTF_8);
    }

    /** The descriptor of the {@code NT_GNU_BUILD_ID} note ("GNU"), as hex; empty when there is none. */
    private static Optional<String> buildId(ByteBuffer b, int length, List<SectionHeader> sections) {
        for (SectionHeader s : sections) {
            if (s.type() != SHT_NOTE || s.offset() < 0 || s.size() < 12 || s.offset() > length - s.size()) {
                continue;
            }
            long at = s.offset();
            long end = s.offset() + s.size();
            while (at + 12 <= end) {
                long nameSize = Integer.toUnsignedLong(b.getInt((int) at));
                long descSize = Integer.toUnsignedLong(b.getInt((int) at + 4));
                int type = b.getInt((int) at + 8);
                long name = at + 12;
                long desc = name + ((nameSize + 3) & ~3L);
                long next = desc + ((descSize + 3) & ~3L);
                if (next > end) {
                    break;
                }
                if (type == NT_GNU_BUILD_ID && nameSize == 4 && b.get((int) name) == 'G' && b.get((int) name + 1) == 'N'
                        && b.get((int) name + 2) == 'U' && descSize > 0 && descSize <= 64) {
                    byte[] id = new byte[(int) descSize];
                    b.get((int) desc, id);
                    return Optional.of(HexFormat.of().formatHex(id));
                }
                at = next;
            }
        }
        return Optional.empty();
    }

    private static List<SectionHeader> sections(String who, ByteBuffer b, int length, long shoff, int shentsize,
            int shnum, int shstrndx) {
        if (shentsize != SHDR_SIZE) {
            throw new IllegalArgumentException(who + " has section headers of " + shentsize + " bytes, not "
                    + SHDR_SIZE);
        }
        check(who, "the section headers", shoff, SHDR_SIZE, length);
        // gABI extended numbering: with 0xff00 or more sections, section 0 holds the count and the name index.
        if (shnum == 0) {
            shnum = (int) Math.min(b.getLong((int) shoff + 32), Integer.MAX_VALUE / SHDR_SIZE);
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = b.getInt((int) shoff + 40);
        }
        check(who, "the section headers", shoff, (long) shnum * SHDR_SIZE, length);
        int strtab = shstrndx < shnum ? (int) shoff + shstrndx * SHDR_SIZE : -1;
        long namesOffset = strtab < 0 ? 0 : b.getLong(strtab + 24);
        long namesSize = strtab < 0 ? 0 : b.getLong(strtab + 32);
        if (strtab >= 0) {
            check(who, "the section name table", namesOffset, namesSize, length);
        }
        List<SectionHeader> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int at = (int) shoff + i * SHDR_SIZE;
            String name = strtab < 0 ? "" : string(b, namesOffset, namesSize, Integer.toUnsignedLong(b.getInt(at)));
            sections.add(new SectionHeader(name, b.getInt(at + 4), b.getLong(at + 8), b.getLong(at + 16),
                    b.getLong(at + 24), b.getLong(at + 32), b.getInt(at + 40), b.getLong(at + 56)));
        }
        return sections;
    }

    /**
     * The symbols of {@code .symtab}, then those of {@code .dynsym} that {@code .symtab} does not have (the same name
     * at the same address): a stripped library keeps only its dynamic symbols, and an unstripped one has both.
     */
    private static List<Symbols.Symbol> symbols(String who, ByteBuffer b, int length, List<SectionHeader> sections) {
        List<Symbols.Symbol> symbols = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int type : new int[] {SHT_SYMTAB, SHT_DYNSYM}) {
            for (SectionHeader table : sections) {
                if (table.type() != type) {
                    continue;
                }
                for (Symbols.Symbol s : table(who, b, length, sections, table)) {
                    if (seen.add(s.name() + "@" + s.address())) {
                        symbols.add(s);
                    }
                }
            }
        }
        return symbols;
    }

    private static List<Symbols.Symbol> table(String who, ByteBuffer b, int length, List<SectionHeader> sections,
            SectionHeader table) {
        if (table.link() < 0 || table.link() >= sections.size()) {
            throw new IllegalArgumentException(who + " has a symbol table " + table.name()
                    + " whose string table index " + table.link() + " is out of range");
        }
        SectionHeader strings = sections.get(table.link());
        check(who, "the symbol table " + table.name(), table.offset(), table.size(), length);
        check(who, "the string table " + strings.name(), strings.offset(), strings.size(), length);
        List<Symbols.Symbol> symbols = new ArrayList<>();
        for (long at = table.offset(); at + SYM_SIZE <= table.offset() + table.size(); at += SYM_SIZE) {
            int info = Byte.toUnsignedInt(b.get((int) at + 4));
            int shndx = Short.toUnsignedInt(b.getShort((int) at + 6));
            long value = b.getLong((int) at + 8);
            String kind = switch (info & 0xf) {
                case STT_FUNC -> "function";
                case STT_GNU_IFUNC -> "ifunc";
                case STT_OBJECT -> "object";
                default -> null;
            };
            // Undefined symbols have no address, and absolute ones (SHN_ABS and the other reserved indexes) are
            // not moved with the image, so neither names guest code or data.
            if (kind == null || value == 0 || shndx == SHN_UNDEF || shndx >= SHN_LORESERVE) {
                continue;
            }
            String name = string(b, strings.offset(), strings.size(), Integer.toUnsignedLong(b.getInt((int) at)));
            if (!name.isEmpty()) {
                symbols.add(new Symbols.Symbol(name, value, b.getLong((int) at + 16), kind));
            }
        }
        return symbols;
    }

    /** The NUL-terminated string at {@code index} of a string table already checked to lie inside the file. */
    private static String string(ByteBuffer b, long tableOffset, long tableSize, long index) {
        if (index >= tableSize) {
            return "";
        }
        int start = (int) (tableOffset + index);
        int end = start;
        int limit = (int) (tableOffset + tableSize);
        while (end < limit && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void check(String who, String what, long offset, long size, int length) {
        if (offset < 0 || size < 0 || offset > length || size > length - offset) {
            throw truncated(who, what, offset, size, length);
        }
    }

    private static IllegalArgumentException truncated(String who, String what, long offset, long size, int length) {
        return new IllegalArgumentException(who + " is truncated: " + what + " at file offset 0x"
                + Long.toHexString(offset) + " (0x" + Long.toHexString(size) + " bytes) reaches past its end (0x"
                + Long.toHexString(length) + " bytes)");
    }
}
