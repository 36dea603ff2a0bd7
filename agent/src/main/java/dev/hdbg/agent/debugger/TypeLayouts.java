package dev.hdbg.agent.debugger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * HyperDbg's {@code dt} and {@code struct} read a type of the program's debug information; HyperDbg reads PDBs, an
 * ELF program carries DWARF, which Debian's gdb reads: {@code gdb -batch -nx -ex 'ptype /o struct NAME' FILE} prints
 * each field's offset, size and C declaration. A struct is looked for first, then a union, then a typedef.
 *
 * <p>gdb runs on a thread of its own, never the execution thread or an event loop, with no shell between (the name
 * is checked to be a C identifier as well), and is killed after {@link #TIMEOUT_SECONDS}.
 */
final class TypeLayouts {
    static final long TIMEOUT_SECONDS = 20;
    /** What one reply carries at most; the frame cap is 4 MiB. */
    static final long MAX_LAYOUT_BYTES = 1024 * 1024;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final List<String> KINDS = List.of("struct ", "union ", "");

    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dt-gdb");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * gdb's {@code ptype /o} of {@code name} in {@code program}.
     *
     * @return a future failing with a {@link DebuggerException} saying what to do: INVALID for a name that is no C
     *         identifier, BAD_STATE for a raw image or a machine without gdb, NOT_FOUND for a type the program's debug
     *         information does not have
     */
    CompletableFuture<String> layout(String name, Optional<Path> program) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return CompletableFuture.failedFuture(DebuggerException.invalid("'" + name + "' is no C type name"
                    + " (dt and struct take a struct, union or typedef name, e.g. dt point ADDR)"));
        }
        if (program.isEmpty()) {
            return CompletableFuture.failedFuture(DebuggerException.badState("dt and struct read the program's DWARF"
                    + " types; a raw image has none (start the agent with --elf PROGRAM built with gcc -g)"));
        }
        return CompletableFuture.supplyAsync(() -> find(name, program.get()), runner);
    }

    private static String find(String name, Path program) {
        String last = "";
        for (String kind : KINDS) {
            Result result = ptype(kind + name, program);
            if (result.ok()) {
                return result.text();
            }
            last = result.text();
        }
        throw DebuggerException.notFound("the program has no struct, union or type named '" + name + "' in its debug"
                + " information (is it built with gcc -g?); gdb: " + last.strip());
    }

    private record Result(boolean ok, String text) {
    }

    /** gdb's output goes to a file, so that a large layout never fills a pipe while the timeout runs. */
    private static Result ptype(String type, Path program) {
        Path output = null;
        try {
            output = Files.createTempFile("hdbg-ptype", ".txt");
            Process gdb;
            try {
                gdb = new ProcessBuilder("gdb", "-batch", "-nx", "-ex", "ptype /o " + type, program.toString())
                        .redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                throw DebuggerException.badState("dt and struct need gdb on the agent's machine (apt-get install gdb): "
                        + e.getMessage());
            }
            if (!gdb.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                gdb.destroyForcibly();
                throw DebuggerException.badState("gdb gave no layout of " + type + " within " + TIMEOUT_SECONDS + " s");
            }
            if (Files.size(output) > MAX_LAYOUT_BYTES) {
                throw DebuggerException.limit(type + "'s layout takes " + Files.size(output) + " bytes; at most "
                        + MAX_LAYOUT_BYTES + " are sent");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new Result(gdb.exitValue() == 0 && text.contains("type = "), text);
        } catch (IOException e) {
            throw DebuggerException.badState("running gdb failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DebuggerException.badState("interrupted while gdb ran");
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left in /tmp: the system's cleaning takes it
            LoggerFactory.getLogger(TypeLayouts.class).debug("could not delete {}: {}", file, e.getMessage());
        }
    }
}
