package dev.hdbg.host.cli;

import dev.hdbg.common.io.IoReasons;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A command file read one way everywhere ({@code --batch FILE}, {@code --batch -}, {@code .script FILE}): opened
 * with one clear reason when it cannot be (missing, a directory, unreadable), then read a line at a time, each line
 * decoded as strict UTF-8 on its own so that a byte that is not UTF-8 names its line and spoils no other, and no
 * line read past {@link #MAX_LINE_BYTES} (a huge file without line breaks is not read into memory whole).
 */
public final class CommandFile implements AutoCloseable {
    /** A command line longer than this is not a command: custom code of the largest frame, in hex, fits. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /**
     * One line of the file.
     *
     * @param number  from 1
     * @param text    the line without its line break; empty when {@code problem} is set
     * @param problem why the line cannot be read as a command (not UTF-8, too long), or null
     */
    public record Line(int number, String text, String problem) {
    }

    private final String name;
    private final InputStream in;
    private int number;
    private boolean ended;
    /** The line {@link #peekArrived} read, which {@link #next} returns next; or null. */
    private Line peeked;

    private CommandFile(String name, InputStream in) {
        this.name = name;
        this.in = new BufferedInputStream(in);
    }

    /**
     * Opens {@code file} ({@code -}: {@code stdin}, left open at the end).
     *
     * @param what what the file is to the user, e.g. "the batch file", for the message
     * @throws IllegalArgumentException one line naming the file once and why it cannot be read
     */
    public static CommandFile open(String file, String what, InputStream stdin) {
        if (file.equals("-")) {
            return new CommandFile("standard input", new InputStream() {
                @Override
                public int read() throws IOException {
                    return stdin.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return stdin.read(b, off, len);
                }

                @Override
                public int available() throws IOException {
                    return stdin.available();
                }
            });
        }
        return open(Path.of(file), what);
    }

    /**
     * Opens {@code path}.
     *
     * @param what what the file is to the user, e.g. "the script", for the message
     * @throws IllegalArgumentException one line naming the file once and why it cannot be read
     */
    public static CommandFile open(Path path, String what) {
        String file = path.toString();
        String where = "cannot read " + what + " " + file + ": ";
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(where + "is a directory");
        }
        try {
            if (Files.exists(path) && !Files.isReadable(path)) {
                throw new AccessDeniedException(file);
            }
            return new CommandFile(file, Files.newInputStream(path));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + IoReasons.of(e));
        }
    }

    /** The file as messages name it: its path, or "standard input". */
    public String name() {
        return name;
    }

    /**
     * The next line, left to be read by {@link #next}, when it has begun to arrive: reading it then does not wait for
     * a writer that may be waiting for this file's output first (a program driving {@code --batch -} line by line);
     * a file's lines always have. Null otherwise, and at the end.
     */
    public Line peekArrived() throws IOException {
        if (peeked == null && !ended && in.available() > 0) {
            peeked = read();
        }
        return peeked;
    }

    /**
     * The next line, or null at the end of the file.
     *
     * @throws IOException when reading fails (e.g. a device error); the message names the file
     */
    public Line next() throws IOException {
        Line line = peeked;
        if (line != null) {
            peeked = null;
            return line;
        }
        return read();
    }

    private Line read() throws IOException {
        if (ended) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        try {
            while ((b = in.read()) != -1 && b != '\n') {
                if (bytes.size() < MAX_LINE_BYTES) {
                    bytes.write(b);
                } else {
                    tooLong = true;
                }
            }
        } catch (IOException e) {
            throw new IOException("reading " + name + " failed after line " + number + ": " + IoReasons.of(e), e);
        }
        if (b == -1) {
            ended = true;
            if (bytes.size() == 0 && !tooLong) {
                return null;
            }
        }
        number++;
        if (tooLong) {
            return new Line(number, "", "line " + number + " is longer than " + MAX_LINE_BYTES / (1024 * 1024)
                    + " MiB: not a command");
        }
        byte[] line = bytes.toByteArray();
        int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return decode(line, length);
    }

    private Line decode(byte[] line, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(line, 0, length);
        CharBuffer output = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isError()) {
            return new Line(number, "", "line " + number + " is not UTF-8 text (byte 0x"
                    + Integer.toHexString(line[input.position()] & 0xff) + " at column " + (input.position() + 1)
                    + "): save the file as UTF-8");
        }
        decoder.flush(output);
        return new Line(number, output.flip().toString(), null);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
