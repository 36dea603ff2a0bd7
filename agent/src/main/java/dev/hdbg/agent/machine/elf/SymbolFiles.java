package dev.hdbg.agent.machine.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The symbols of a loaded ELF file: its own {@code .symtab} and {@code .dynsym}, and those of its separate debug file
 * when one is installed where gdb looks for it, {@code /usr/lib/debug/.build-id/xx/yyyy.debug} (Debian's
 * {@code libc6-dbg} and {@code *-dbgsym} packages put them there): a stripped library then has its static functions
 * too.
 */
public final class SymbolFiles {
    /** Where debug files are found by build id (gdb's {@code debug-file-directory}). */
    public static final String DEBUG_DIRECTORY = "/usr/lib/debug/.build-id/";

    private SymbolFiles() {
    }

    /**
     * Reads the symbols of {@code file}, unrelocated.
     *
     * @param name     for messages
     * @param guestToHost finds a guest path on the host (beneath the sandbox root), empty when it does not exist
     * @return the symbols; none when the file cannot be read or is not ELF (a debugger without symbols still works)
     */
    public static Symbols of(String name, Path file, Function<String, Optional<Path>> guestToHost) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Symbols.none();
        }
        return of(name, bytes, guestToHost);
    }

    /**
     * The same from the file's bytes: a program that has no file to read (run from a memfd through fexecve).
     *
     * @return the symbols; none when the bytes are not ELF
     */
    public static Symbols of(String name, byte[] bytes, Function<String, Optional<Path>> guestToHost) {
        ElfParser.SymbolFile own;
        try {
            own = ElfParser.symbolFile(name, bytes);
        } catch (IllegalArgumentException e) {
            return Symbols.none();
        }
        List<Symbols.Symbol> all = new ArrayList<>(own.symbols());
        if (own.buildId().isPresent() && own.buildId().get().length() > 2) {
            String id = own.buildId().get();
            Optional<Path> debug = guestToHost.apply(DEBUG_DIRECTORY + id.substring(0, 2) + "/" + id.substring(2) + ".debug");
            if (debug.isPresent()) {
                merge(all, debugSymbols(debug.get(), id));
            }
        }
        return new Symbols(all);
    }

    /** The debug file's symbols when it is the one for this build; else none. */
    private static List<Symbols.Symbol> debugSymbols(Path debug, String buildId) {
        try {
            ElfParser.SymbolFile file = ElfParser.symbolFile(debug.toString(), Files.readAllBytes(debug));
            return file.buildId().equals(Optional.of(buildId)) ? file.symbols() : List.of();
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Adds the symbols {@code all} does not already have (the same name at the same address), in their order. */
    private static void merge(List<Symbols.Symbol> all, List<Symbols.Symbol> more) {
        Set<String> seen = new HashSet<>();
        for (Symbols.Symbol s : all) {
            seen.add(s.name() + "@" + s.address());
        }
        // The debug file's .symtab has the locals first, as any symbol table: they go before the file's own globals,
        // so that Symbols.byName still prefers a global.
        List<Symbols.Symbol> added = new ArrayList<>();
        for (Symbols.Symbol s : more) {
            if (seen.add(s.name() + "@" + s.address())) {
                added.add(s);
            }
        }
        all.addAll(0, added);
    }
}
