package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.elf.ElfImage;
import dev.hdbg.agent.machine.elf.ElfParser;
import dev.hdbg.agent.machine.elf.SymbolFiles;
import dev.hdbg.agent.machine.elf.Symbols;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ELF images in the process, as a debugger lists them ({@code lm}): the program and the interpreter the loader
 * placed, and every shared object the dynamic loader maps itself. A library is seen the way the kernel's
 * {@code /proc/self/maps} shows it: a private mapping of an ELF file from offset 0 (ld.so maps each library's whole
 * span so, then its segments over it); an {@code munmap} over its first page ({@code dlclose}) removes it.
 *
 * <p>Changed on the execution thread, read from any (the server lists modules without stopping the guest): the list
 * is replaced, never changed in place.
 */
public final class LoadedModules {
    /**
     * One loaded image.
     *
     * @param name    WinDbg's module name: the file name up to {@code .so}, other characters than letters, digits
     *                and {@code _} made {@code _} ({@code libc}, {@code ld_linux_x86_64}), so that {@code libc!malloc}
     *                reads as one word in an expression
     * @param path    the file as the guest names it
     * @param host    the file on the host, to read its symbols from
     * @param bias    what was added to its link-time addresses
     * @param begin   its first page
     * @param end     the end (exclusive) of its last page
     * @param program whether it is the program itself, whose symbols are named without the module
     */
    public record Module(String name, String path, Path host, long bias, long begin, long end, boolean program,
            Lazy symbols) {
        public Module {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(symbols, "symbols");
        }

        /** Whether {@code address} is inside the module's pages. */
        public boolean contains(long address) {
            return Long.compareUnsigned(address, begin) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    /**
     * A module's symbols, moved by its bias, read when first asked for ({@code x}, a symbol in an expression), on the
     * asking thread; later askers get the same. They used to be read on a thread of their own as soon as the module
     * appeared, which put a library's reading and the JIT's compiles of the ELF reader inside the guest's run: for
     * Debian's {@code sha256sum} of 16 MiB, 65 ms of the reader's CPU and most of the C2 compiles of the run, on 2 cores
     * beside the execution thread (docs/benchmarks.md, "Real programs, wave 14"). A program run to its end with no
     * symbol asked for now reads none.
     */
    public static final class Lazy {
        private final Supplier<Symbols> load;
        /** Null until first asked for. */
        private Symbols symbols;

        Lazy(Supplier<Symbols> load) {
            this.load = Objects.requireNonNull(load, "load");
        }

        /** The symbols, read now when this is the first time they are asked for. */
        public synchronized Symbols get() {
            if (symbols == null) {
                symbols = load.get();
            }
            return symbols;
        }

        /** Whether they were read (asked for) yet. */
        synchronized boolean read() {
            return symbols != null;
        }
    }

    private final Function<String, Optional<Path>> guestToHost;
    private volatile List<Module> modules = List.of();

    /** @param guestToHost finds a guest path beneath the sandbox root (for debug files) */
    public LoadedModules(Function<String, Optional<Path>> guestToHost) {
        this.guestToHost = guestToHost;
    }

    /** The modules of {@code other}: a forked child's, which has the same images at the same places. */
    void copyFrom(LoadedModules other) {
        modules = other.modules;
    }

    /** No module: the process runs another program ({@code execve}), whose images are added next. */
    void clear() {
        modules = List.of();
    }

    /** Every module, by address. */
    public List<Module> all() {
        return modules;
    }

    /** The module holding {@code address}. */
    public Optional<Module> at(long address) {
        return modules.stream().filter(m -> m.contains(address)).findFirst();
    }

    /** An image the loader placed: the program ({@code program}) or its interpreter. */
    public void loaded(String path, Path host, long bias, long begin, long end, boolean program) {
        add(new Module(moduleName(path), path, host, bias, begin, end, program, symbolsOf(path, host, bias)));
    }

    /**
     * The same for a program that has no file to read its symbols from (run from a memfd through fexecve): they come
     * from {@code image}, its bytes.
     */
    void loadedFromBytes(String path, Path host, byte[] image, long bias, long begin, long end) {
        add(new Module(moduleName(path), path, host, bias, begin, end, true,
                new Lazy(() -> SymbolFiles.of(path, image, guestToHost).relocated(bias))));
    }

    /**
     * A private file mapping: when it maps an ELF file's first page ({@code head}, the bytes now at
     * {@code address}), it starts a module covering the mapping.
     */
    void mapped(String path, Path host, long address, long length, long offset, byte[] head) {
        if (offset != 0) {
            return;
        }
        Optional<ElfParser.Linked> linked = ElfParser.linked(head);
        if (linked.isEmpty()) {
            return;
        }
        long bias = linked.get().type() == ElfImage.ET_DYN ? address - linked.get().linkedPage() : 0;
        unmapped(address, address + length);
        add(new Module(moduleName(path), path, host, bias, address, address + length, false,
                symbolsOf(path, host, bias)));
    }

    /** [begin, end) no longer maps what it did: a module whose first page was there is gone. */
    void unmapped(long begin, long end) {
        if (modules.stream().anyMatch(m -> !m.program() && inside(m.begin(), begin, end))) {
            modules = modules.stream().filter(m -> m.program() || !inside(m.begin(), begin, end)).toList();
        }
    }

    private static boolean inside(long address, long begin, long end) {
        return Long.compareUnsigned(address, begin) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    private void add(Module module) {
        List<Module> next = new ArrayList<>(modules);
        next.add(module);
        next.sort(Comparator.comparing(Module::begin, Long::compareUnsigned));
        modules = List.copyOf(next);
    }

    private Lazy symbolsOf(String path, Path host, long bias) {
        return new Lazy(() -> SymbolFiles.of(path, host, guestToHost).relocated(bias));
    }

    /**
     * {@code /usr/lib/x86_64-linux-gnu/libpcre2-8.so.0} is {@code libpcre2_8}, as WinDbg names modules;
     * {@code /memfd:payload (deleted)} is {@code memfd_payload}.
     */
    static String moduleName(String path) {
        String named = path.endsWith(HostFile.DELETED) ? path.substring(0, path.length() - HostFile.DELETED.length())
                : path;
        String file = named.substring(named.lastIndexOf('/') + 1);
        int so = file.indexOf(".so");
        String stem = so > 0 ? file.substring(0, so) : file;
        String name = stem.replaceAll("[^A-Za-z0-9_]", "_");
        return name.isEmpty() ? "_" : name;
    }
}
