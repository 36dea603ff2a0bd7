package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hdbg.common.testing.PropertyCheck;
import dev.hdbg.host.cli.commands.CommandShell;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.cli.output.ScreenWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command files as {@code .script FILE} (and so {@code --batch FILE}, which reads them the same way) meets them:
 * random lines of commands, bytes that are not UTF-8, control characters, carriage returns, lines longer than any
 * command; and files that are directories, missing, unreadable. Every file runs to its end or is refused in one
 * line; no line the screen shows is broken or carries an exception's name; every line that cannot be read is named
 * by its number.
 */
class CommandFilePropertyTest {
    private static final String[] COMMANDS = {"r rbx", "? 1+2", "db 400000 L4", "bogus", "events", "r nosuch", "# a comment",
        "", "   ", "eb 400000 -ff", "g --timeout -1", "!epthook", "x *", ".status", "help r"};

    @TempDir
    Path dir;

    @Test
    void everyCommandFileRunsToItsEndOrIsRefusedInOneLine() {
        PropertyCheck.forAll(this::file).check(40, file -> {
            List<String> screen = new CopyOnWriteArrayList<>();
            FakeDebuggerClient client = new FakeDebuggerClient().register("rbx", 0x10);
            Transcript transcript = new Transcript();
            DebugSession session = new DebugSession(client, "127.0.0.1:7321", ScreenWriter.over(transcript.tee(screen::add)),
                    OutputFormat.HUMAN, transcript, null, null);
            CommandShell shell = new CommandShell(session, true);

            CommandShell.Result result = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> shell.execute(".script " + file.path()));

            assertThat(result).as("%s: %s", file, screen).isIn(CommandShell.Result.OK, CommandShell.Result.FAILED);
            assertThat(screen).as("%s", file).allSatisfy(line -> assertThat(line)
                    .doesNotContain("Exception", "\tat ").doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]").hasSizeLessThan(2100));
            for (int bad : file.undecodableLines()) {
                assertThat(screen).as("%s", file).anySatisfy(line -> assertThat(line).startsWith("error: " + file.path()
                        + " line " + bad + " is "));
            }
            if (file.kind() != Kind.TEXT) {
                assertThat(screen).as("%s", file).singleElement().asString().startsWith("error: cannot read the script "
                        + file.path() + ": ");
            }
        });
    }

    enum Kind { TEXT, DIRECTORY, MISSING, UNREADABLE }

    record DrawnFile(Path path, Kind kind, List<Integer> undecodableLines, String summary) {
        @Override
        public String toString() {
            return kind + " " + path + " " + summary;
        }
    }

    private int drawn;

    private DrawnFile file(SplittableRandom random) {
        Path path = dir.resolve("script-" + drawn++);
        try {
            return switch (random.nextInt(8)) {
                case 0 -> new DrawnFile(Files.createDirectories(path), Kind.DIRECTORY, List.of(), "");
                case 1 -> new DrawnFile(path, Kind.MISSING, List.of(), "");
                case 2 -> {
                    Files.writeString(path, "r rbx\n");
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
                    yield Files.isReadable(path) ? text(random, path) : new DrawnFile(path, Kind.UNREADABLE, List.of(), "");
                }
                default -> text(random, path);
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private DrawnFile text(SplittableRandom random, Path path) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> undecodable = new java.util.ArrayList<>();
        StringBuilder summary = new StringBuilder();
        int lines = random.nextInt(12);
        for (int n = 1; n <= lines; n++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    // A byte that can never start or continue UTF-8, somewhere in an otherwise good line.
                    byte[] line = COMMANDS[random.nextInt(COMMANDS.length)].getBytes(StandardCharsets.UTF_8);
                    int at = random.nextInt(line.length + 1);
                    bytes.write(line, 0, at);
                    bytes.write(0xc0 | random.nextInt(2) | (random.nextBoolean() ? 0x3e : 0));
                    bytes.write(line, at, line.length - at);
                    undecodable.add(n);
                    summary.append(n).append(":bad ");
                }
                case 1 -> {
                    // Control characters, other scripts, a stray carriage return.
                    StringBuilder s = new StringBuilder(COMMANDS[random.nextInt(COMMANDS.length)]);
                    for (int i = random.nextInt(6); i > 0; i--) {
                        s.appendCodePoint(random.nextBoolean() ? random.nextInt(32) : 0x400 + random.nextInt(0x2000));
                    }
                    bytes.writeBytes(s.toString().replace("\n", "").getBytes(StandardCharsets.UTF_8));
                    summary.append(n).append(":ctl ");
                }
                case 2 -> {
                    bytes.writeBytes(("bogus" + "y".repeat(random.nextInt(50_000))).getBytes(StandardCharsets.US_ASCII));
                    summary.append(n).append(":long ");
                }
                default -> bytes.writeBytes(COMMANDS[random.nextInt(COMMANDS.length)].getBytes(StandardCharsets.UTF_8));
            }
            bytes.writeBytes(random.nextInt(4) == 0 ? "\r\n".getBytes(StandardCharsets.US_ASCII) : new byte[] {'\n'});
        }
        Files.write(path, bytes.toByteArray());
        return new DrawnFile(path, Kind.TEXT, undecodable, summary.toString());
    }
}
