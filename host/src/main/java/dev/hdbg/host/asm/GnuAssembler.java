package dev.hdbg.host.asm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * HyperDbg's assembler (Keystone, Intel syntax) played by the GNU assembler from binutils, which Debian packages and
 * Keystone it does not: {@code as --64 -msyntax=intel -mnaked-reg} reads the statements, {@code ld -Ttext=ORIGIN}
 * places them at the address they will run at (so {@code jmp 0x401000} or {@code call 0x401020} is encoded relative
 * to that address, as Keystone's start address does), and {@code objcopy -O binary -j .text} gives the bytes. The
 * assembler runs on the host: the host sends bytes, as for {@code code {HEX}}, and the agent keeps one protocol.
 *
 * <p>An error of {@code as} names its line, which is the statement's number ({@link Statements}): the message shows
 * that statement as the user wrote it.
 */
public final class GnuAssembler {
    /** Each tool's run; they take milliseconds, so a stuck one is killed rather than waited for. */
    private static final long TIMEOUT_SECONDS = 20;
    /** {@code as}'s diagnostics: {@code FILE:LINE: Error: TEXT}. */
    private static final Pattern DIAGNOSTIC = Pattern.compile("^.*?\\.s:(\\d+): (Error|Warning): (.*)$");
    private static final String INSTALL = "install binutils (sudo apt-get install binutils; bin/hdbg installs it when"
            + " run as root)";

    private GnuAssembler() {
    }

    /**
     * Assembles {@code statements} for {@code origin}.
     *
     * @throws AssemblyException naming the statement and the assembler's reason when a statement is wrong, when there is
     *                           nothing to assemble or the code is empty, or when binutils is not installed
     */
    public static Assembly assemble(Statements statements, long origin) {
        if (statements.isEmpty()) {
            throw new AssemblyException("no assembly statements given (e.g. {nop; xor rax, rax; ret})");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("hdbg-asm");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the assembler", e);
        }
        try {
            Path source = Files.writeString(dir.resolve("asm.s"), statements.source());
            Path object = dir.resolve("asm.o");
            Path linked = dir.resolve("asm.elf");
            Path binary = dir.resolve("asm.bin");
            Run as = run(dir, "as", "--64", "-msyntax=intel", "-mnaked-reg", "-o", object.toString(), source.toString());
            if (as.status() != 0) {
                throw new AssemblyException(assemblerErrors(as.output(), statements));
            }
            String at = "0x" + Long.toHexString(origin);
            Run ld = run(dir, "ld", "-m", "elf_x86_64", "-Ttext=" + at, "-e", at, "-o", linked.toString(), object.toString());
            if (ld.status() != 0) {
                throw new AssemblyException("assembly error, nothing was done: placing the code at " + at + " failed: "
                        + linkerErrors(ld.output()));
            }
            Run objcopy = run(dir, "objcopy", "-O", "binary", "-j", ".text", linked.toString(), binary.toString());
            // An empty .text is left out of the linked file: objcopy then finds no section at all.
            boolean empty = objcopy.status() != 0 && objcopy.output().contains("has no sections");
            if (objcopy.status() != 0 && !empty) {
                throw new AssemblyException("assembly error, nothing was done: objcopy failed: " + objcopy.output().strip());
            }
            byte[] bytes = empty ? new byte[0] : Files.readAllBytes(binary);
            if (bytes.length == 0) {
                throw new AssemblyException("the statements made no machine code (only labels or directives?): "
                        + statements);
            }
            return new Assembly(origin, bytes, statements);
        } catch (IOException e) {
            throw new UncheckedIOException("assembling failed: " + e.getMessage(), e);
        } finally {
            delete(dir);
        }
    }

    /** Every error {@code as} reported, each with the statement it is about. */
    private static String assemblerErrors(String output, Statements statements) {
        List<String> errors = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = DIAGNOSTIC.matcher(line.strip());
            if (m.matches() && m.group(2).equals("Error")) {
                int number = Integer.parseInt(m.group(1));
                String statement = statements.at(number);
                errors.add(statement == null ? m.group(3)
                        : "statement " + number + " '" + statement + "': " + m.group(3));
            }
        }
        if (errors.isEmpty()) {
            errors.add(output.strip());
        }
        return "assembly error, nothing was done:\n  " + String.join("\n  ", errors);
    }

    /** ld's lines without its program name and the temporary file names. */
    private static String linkerErrors(String output) {
        return output.lines().map(l -> l.replaceAll("^\\S*ld: ", "").replaceAll("\\S*asm\\.o: ", "").strip())
                .filter(l -> !l.isEmpty()).reduce((a, b) -> a + "; " + b).orElse("(no message)");
    }

    private record Run(int status, String output) {
    }

    private static Run run(Path dir, String... command) throws IOException {
        Path messages = dir.resolve(command[0] + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(messages.toFile());
        builder.environment().put("LC_ALL", "C"); // the messages parsed above are the untranslated ones
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssemblyException("cannot run '" + command[0] + "' (the GNU assembler and linker): " + INSTALL);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssemblyException("'" + command[0] + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Run(process.exitValue(), new String(Files.readAllBytes(messages), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssemblyException("interrupted while '" + command[0] + "' ran");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            dir.toFile().deleteOnExit(); // left for the JVM's exit: no reason to fail what was assembled
        }
    }
}
