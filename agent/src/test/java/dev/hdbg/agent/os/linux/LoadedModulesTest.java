package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hdbg.agent.machine.elf.ElfParser;
import dev.hdbg.agent.machine.elf.Symbols;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library the loader maps becomes a module with its symbols, its debug file's included; unmapping it ends it. */
class LoadedModulesTest {
    private static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    private static final int AT_FDCWD = -100;

    @TempDir
    Path root;

    @Test
    void mappingALibrarysFirstPageLoadsItsSymbolsWithThoseOfItsDebugFile() throws Exception {
        assumeTrue(Files.isRegularFile(LIBC), "no " + LIBC);
        Path lib = Files.createDirectories(root.resolve("lib"));
        Files.copy(LIBC, lib.resolve("libc.so.6"));
        String buildId = ElfParser.symbolFile("libc", Files.readAllBytes(LIBC)).buildId().orElseThrow();
        Path debug = Path.of("/usr/lib/debug/.build-id", buildId.substring(0, 2), buildId.substring(2) + ".debug");
        boolean debugInstalled = Files.isRegularFile(debug);
        if (debugInstalled) {
            Path copy = root.resolve("usr/lib/debug/.build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2)
                    + ".debug");
            Files.createDirectories(copy.getParent());
            Files.copy(debug, copy);
        }
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libc.so.6"), 0, 0);
            long size = Files.size(LIBC);
            int privateMapping = 2;
            long base = g.rax(9, 0, size, 1, privateMapping, fd, 0);

            LoadedModules.Module libc = g.process.modules().all().stream().filter(m -> m.name().equals("libc"))
                    .findFirst().orElseThrow();
            assertThat(libc.path()).isEqualTo("/lib/libc.so.6");
            assertThat(libc.begin()).isEqualTo(base);
            assertThat(libc.bias()).as("linked at 0").isEqualTo(base);
            Symbols symbols = libc.symbols().get();
            assertThat(symbols.byName("malloc").orElseThrow().address()).isGreaterThan(base).isLessThan(base + size);
            if (debugInstalled) {
                assertThat(symbols.byName("_int_malloc")).as("a static function only the debug file names").isPresent();
            }
            assertThat(g.process.modules().at(symbols.byName("malloc").orElseThrow().address())).contains(libc);

            g.rax(11, base, size); // dlclose
            assertThat(g.process.modules().all()).noneMatch(m -> m.name().equals("libc"));
        }
    }

    @Test
    void mappingALibraryReadsNoSymbolsUntilTheyAreAskedFor() throws Exception {
        assumeTrue(Files.isRegularFile(LIBC), "no " + LIBC);
        Files.copy(LIBC, Files.createDirectories(root.resolve("lib")).resolve("libc.so.6"));
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libc.so.6"), 0, 0);
            g.rax(9, 0, Files.size(LIBC), 1, 2, fd, 0);

            LoadedModules.Lazy symbols = g.process.modules().all().stream().filter(m -> m.name().equals("libc"))
                    .findFirst().orElseThrow().symbols();
            assertThat(symbols.read()).as("read while the guest runs on").isFalse();
            Symbols first = symbols.get();
            assertThat(first.byName("malloc")).isPresent();
            assertThat(symbols.read()).isTrue();
            assertThat(symbols.get()).isSameAs(first);
        }
    }

    @Test
    void symbolsAreReadOnceOnTheThreadThatAsksNotBesideTheGuest() {
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Thread> readOn = new AtomicReference<>();
        LoadedModules.Lazy symbols = new LoadedModules.Lazy(() -> {
            reads.incrementAndGet();
            readOn.set(Thread.currentThread());
            return Symbols.none();
        });

        assertThat(symbols.get()).isSameAs(symbols.get());
        assertThat(reads).hasValue(1);
        assertThat(readOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aFileMappingThatIsNoElfImageIsNoModule() throws Exception {
        Files.writeString(root.resolve("data.bin"), "\u007fELF but not really".repeat(300));
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(257, AT_FDCWD, g.string("/data.bin"), 0, 0);
            g.rax(9, 0, 4096, 1, 2, fd, 0);
            assertThat(g.process.modules().all()).isEmpty();
        }
    }

    @Test
    void moduleNamesAreWinDbgs() {
        assertThat(LoadedModules.moduleName("/usr/lib/x86_64-linux-gnu/libc.so.6")).isEqualTo("libc");
        assertThat(LoadedModules.moduleName("/lib64/ld-linux-x86-64.so.2")).isEqualTo("ld_linux_x86_64");
        assertThat(LoadedModules.moduleName("/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0")).isEqualTo("libpcre2_8");
        assertThat(LoadedModules.moduleName("/usr/bin/python3.11")).isEqualTo("python3_11");
        assertThat(LoadedModules.moduleName("/memfd:payload (deleted)")).as("a file without a name").isEqualTo(
                "memfd_payload");
    }

    /** A program run from a memfd (fexecve) has no file to read: its symbols come from the bytes it was loaded from. */
    @Test
    void aProgramWithoutAFileHasTheSymbolsOfTheBytesItRanFrom() throws Exception {
        assumeTrue(Files.isRegularFile(LIBC), "no " + LIBC);
        byte[] image = Files.readAllBytes(LIBC);
        try (Guest g = new Guest(root, false)) {
            long base = 0x7f0000000000L;
            g.process.loadedImageFromBytes("/memfd:payload (deleted)", root.resolve("gone"), image, base, base,
                    base + image.length);
            LoadedModules.Module module = g.process.modules().all().stream()
                    .filter(m -> m.name().equals("memfd_payload")).findFirst().orElseThrow();
            assertThat(module.program()).isTrue();
            assertThat(module.symbols().get().byName("malloc").orElseThrow().address()).isGreaterThan(base)
                    .isLessThan(base + image.length);
        }
    }
}
