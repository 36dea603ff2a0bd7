package dev.hdbg.agent.machine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfParserTest {
    private static final int R = ElfImage.PF_R;
    private static final int X = ElfImage.PF_X;

    @Test
    void aStaticExecutableIsParsedWithItsHeadersSectionsAndSymbols() {
        byte[] file = TestPrograms.staticHello();
        ElfImage image = ElfParser.parse("hello", file);

        assertThat(image.type()).isEqualTo(ElfImage.ET_EXEC);
        assertThat(image.isPie()).isFalse();
        assertThat(image.entry()).isEqualTo(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(24));
        assertThat(image.phentsize()).isEqualTo(56);
        assertThat(image.loads()).isNotEmpty().allSatisfy(p -> assertThat(p.filesz()).isLessThanOrEqualTo(p.memsz()));
        assertThat(image.loads().getFirst().vaddr()).isEqualTo(0x400000);
        assertThat(image.loads()).anySatisfy(p -> assertThat(p.flags()).isEqualTo(R | X));
        assertThat(image.phdrAddress()).hasValue(0x400000 + image.phoff());
        assertThat(image.sections()).extracting(ElfImage.SectionHeader::name).contains(".text", ".data", ".bss",
                ".symtab", ".strtab");
        assertThat(image.sections().stream().filter(s -> s.name().equals(".text")).findFirst().orElseThrow()
                .flagString()).isEqualTo("AX");
        assertThat(image.symbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("main");
            assertThat(s.kind()).isEqualTo("function");
            assertThat(s.size()).isPositive();
        });
        assertThat(image.symbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("counter");
            assertThat(s.kind()).isEqualTo("object");
            assertThat(s.size()).isEqualTo(4);
        });
    }

    @Test
    void aStaticPieIsAnEtDynLinkedAtZero() {
        ElfImage image = ElfParser.parse("hello-pie", TestPrograms.staticPieHello());

        assertThat(image.type()).isEqualTo(ElfImage.ET_DYN);
        assertThat(image.isPie()).isTrue();
        assertThat(image.loads().getFirst().vaddr()).isZero();
        assertThat(image.entry()).isPositive().isLessThan(0x1000_0000L);
    }

    @Test
    void aStrippedBusyboxParsesWithoutSymbols() {
        ElfImage image = ElfParser.parse("busybox", TestPrograms.busybox());

        assertThat(image.loads()).isNotEmpty();
        assertThat(image.symbols()).isEmpty();
    }

    @Test
    void aDynamicallyLinkedProgramNamesItsInterpreterAndHasItsDynamicSymbolsAndBuildId() {
        ElfImage image = ElfParser.parse("/bin/true", TestPrograms.dynamicTrue());

        assertThat(image.interpreter()).hasValue("/lib64/ld-linux-x86-64.so.2");
        assertThat(image.isPie()).isTrue();
        assertThat(image.buildId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{40}"));
        // Debian strips .symtab; .dynsym keeps what the program exports, if anything, and the parse still works.
        assertThat(ElfParser.parse("hello", TestPrograms.staticHello()).interpreter()).isEmpty();
    }

    @Test
    void aLibraryWithoutEntryIsStillReadForItsSymbolsAndItsHead() throws Exception {
        byte[] libc = java.nio.file.Files.readAllBytes(TestPrograms.LIBC);
        ElfParser.SymbolFile symbols = ElfParser.symbolFile("libc.so.6", libc);

        assertThat(symbols.symbols()).extracting(Symbols.Symbol::name).contains("malloc", "memcpy", "printf");
        assertThat(symbols.buildId()).isPresent();
        assertThat(ElfParser.linked(Arrays.copyOf(libc, 4096))).hasValue(new ElfParser.Linked(ElfImage.ET_DYN, 0));
        assertThat(ElfParser.linked(new byte[4096])).isEmpty();
        assertThatThrownBy(() -> ElfParser.symbolFile("junk", new byte[100])).hasMessageContaining("not a 64-bit");
    }

    @Test
    void aPtInterpWithoutItsNulIsRefused() {
        byte[] file = new TinyElf().entry(0x401000).load(ElfImage.PF_R | ElfImage.PF_X, 0x401000, new byte[1], 1)
                .segment(ElfImage.PT_INTERP, ElfImage.PF_R, 0, "/lib/ld.so".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        10).build();

        assertThatThrownBy(() -> ElfParser.parse("tiny", file)).hasMessageContaining("PT_INTERP without its terminating NUL");
    }

    @Test
    void aFileCutShortIsRefusedAsTruncated() {
        byte[] file = TestPrograms.staticHello();

        assertThatThrownBy(() -> ElfParser.parse("hello", Arrays.copyOf(file, 40)))
                .hasMessageContaining("'hello' is truncated: the ELF header");
        assertThatThrownBy(() -> ElfParser.parse("hello", Arrays.copyOf(file, 100)))
                .hasMessageContaining("'hello' is truncated: the program headers at file offset 0x40");
        assertThatThrownBy(() -> ElfParser.parse("hello", Arrays.copyOf(file, file.length / 2)))
                .hasMessageContaining("'hello' is truncated: the PT_LOAD at 0x");
        // Segments intact, section headers (at the end of the file) cut.
        assertThatThrownBy(() -> ElfParser.parse("hello", Arrays.copyOf(file, file.length - 16)))
                .hasMessageContaining("'hello' is truncated: the section headers");
    }

    @Test
    void somethingOtherThanElfIsRefused() {
        assertThatThrownBy(() -> ElfParser.parse("notes.txt", "hello world".getBytes()))
                .hasMessage("'notes.txt' is not an ELF file (no \\x7fELF magic)");
        assertThatThrownBy(() -> ElfParser.parse("empty", new byte[0])).hasMessageContaining("is not an ELF file");
    }

    @Test
    void a32BitOrBigEndianOrForeignElfIsRefused() {
        byte[] file = tinyExecutable();
        byte[] elf32 = file.clone();
        elf32[4] = 1;
        byte[] bigEndian = file.clone();
        bigEndian[5] = 2;
        byte[] arm64 = file.clone();
        arm64[18] = (byte) 183;

        assertThatThrownBy(() -> ElfParser.parse("a", elf32)).hasMessageContaining("'a' is not a 64-bit ELF file");
        assertThatThrownBy(() -> ElfParser.parse("a", bigEndian)).hasMessageContaining("not a little-endian");
        assertThatThrownBy(() -> ElfParser.parse("a", arm64))
                .hasMessageContaining("'a' is not an x86-64 executable (e_machine 183)");
    }

    @Test
    void anObjectFileIsNotAnExecutable() {
        byte[] file = tinyExecutable();
        file[16] = 1;

        assertThatThrownBy(() -> ElfParser.parse("x.o", file))
                .hasMessageContaining("'x.o' is not an executable (e_type 1, a relocatable object: link it)");
    }

    @Test
    void aFileWithoutPtLoadHasNothingToLoad() {
        byte[] file = new TinyElf().entry(0x401000).segment(4 /* PT_NOTE */, R, 0x400000, new byte[8], 8).build();

        assertThatThrownBy(() -> ElfParser.parse("notes", file))
                .hasMessage("'notes' has no PT_LOAD segment, so nothing to load");
    }

    @Test
    void aSegmentWithMoreFileBytesThanMemoryIsRefused() {
        byte[] file = new TinyElf().entry(0x401000).load(R | X, 0x401000, new byte[32], 16).build();

        assertThatThrownBy(() -> ElfParser.parse("odd", file)).hasMessageContaining("more file bytes (0x20)");
    }

    private static byte[] tinyExecutable() {
        return new TinyElf().entry(0x401000).load(R | X, 0x401000, new byte[] {(byte) 0xf4}, 1).build();
    }
}
