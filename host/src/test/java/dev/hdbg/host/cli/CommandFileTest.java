package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandFileTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path dir;

    private static List<CommandFile.Line> lines(CommandFile file) throws IOException {
        List<CommandFile.Line> lines = new ArrayList<>();
        for (CommandFile.Line line; (line = file.next()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void aByteThatIsNotUtf8NamesItsLineAndSpoilsNoOther() throws IOException {
        byte[] bytes = "r rip\n# caf\u00e9 \n".getBytes(StandardCharsets.UTF_8);
        byte[] text = new byte[bytes.length + 1 + "db 400000\r\n".length()];
        System.arraycopy(bytes, 0, text, 0, bytes.length);
        text[bytes.length - 2] = (byte) 0xff; // the space after "café": a lone 0xff in a comment
        System.arraycopy("db 400000\r\n".getBytes(StandardCharsets.US_ASCII), 0, text, bytes.length, 11);
        Path file = Files.write(dir.resolve("session.txt"), java.util.Arrays.copyOf(text, bytes.length + 11));

        for (CommandFile commands : List.of(CommandFile.open(file.toString(), "the batch file", NO_STDIN),
                CommandFile.open("-", "the batch file", new ByteArrayInputStream(Files.readAllBytes(file))))) {
            try (commands) {
                assertThat(lines(commands)).containsExactly(new CommandFile.Line(1, "r rip", null),
                        new CommandFile.Line(2, "", "line 2 is not UTF-8 text (byte 0xff at column 8): save the file as UTF-8"),
                        new CommandFile.Line(3, "db 400000", null));
            }
        }
    }

    @Test
    void aLastLineWithoutItsBreakIsALine() throws IOException {
        try (CommandFile commands = CommandFile.open(Files.writeString(dir.resolve("f"), "g\n\nk"), "the script")) {
            assertThat(lines(commands)).extracting(CommandFile.Line::text).containsExactly("g", "", "k");
        }
    }

    @Test
    void aDirectoryAMissingFileAndAnUnreadableOneSayWhyInOneLine() throws IOException {
        assertThatThrownBy(() -> CommandFile.open(dir.toString(), "the batch file", NO_STDIN))
                .hasMessage("cannot read the batch file " + dir + ": is a directory");
        assertThatThrownBy(() -> CommandFile.open(dir.resolve("missing"), "the script"))
                .hasMessage("cannot read the script " + dir.resolve("missing") + ": no such file or directory");
        Path secret = Files.writeString(dir.resolve("secret"), "r\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(secret)) { // root reads anything
            assertThatThrownBy(() -> CommandFile.open(secret, "the script"))
                    .hasMessage("cannot read the script " + secret + ": permission denied");
        }
    }

    @Test
    void aLineLongerThanTheCapIsRefusedWithoutBeingKept() throws IOException {
        byte[] huge = new byte[CommandFile.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'x');
        try (CommandFile commands = CommandFile.open("-", "the batch file",
                new java.io.SequenceInputStream(new ByteArrayInputStream(huge), new ByteArrayInputStream("\nr\n".getBytes())))) {
            assertThat(lines(commands)).containsExactly(new CommandFile.Line(1, "", "line 1 is longer than 16 MiB: not a command"),
                    new CommandFile.Line(2, "r", null));
        }
    }
}
