package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code da}, {@code du}: WinDbg's string display, {@code ADDR [L MAX]}: the characters at ADDR up
 * to a NUL, at most MAX of them (hex, 0x100 when omitted), and no further than mapped memory goes.
 */
abstract class DisplayStringCommand extends SessionCommand {
    static final long DEFAULT_MAX = 0x100;
    static final long MAX_CHARS = 0x100000;

    @Parameters(arity = "1..*", paramLabel = "ADDR [L MAX]")
    List<String> args = new ArrayList<>();

    private final int unit;
    private final Charset charset;
    private final String encoding;

    DisplayStringCommand(DebugSession session, int unit, Charset charset, String encoding) {
        super(session);
        this.unit = unit;
        this.charset = charset;
        this.encoding = encoding;
    }

    @Override
    void run() {
        var range = DisplayMemoryCommand.AddressRange.parse(session, args, DEFAULT_MAX);
        if (range.count() <= 0 || range.count() > MAX_CHARS) {
            throw new IllegalArgumentException("L MAX counts characters, 0x1..0x" + Long.toHexString(MAX_CHARS)
                    + ", not 0x" + Long.toHexString(range.count()));
        }
        byte[] data = readUpTo(range.address(), range.count() * unit);
        int length = 0;
        while (length + unit <= data.length && LittleEndian.read(data, length, unit) != 0) {
            length += unit;
        }
        out().string(range.address(), encoding, new String(data, 0, length, charset));
    }

    static Charset ascii() {
        // Bytes above 0x7f are shown as their Latin-1 characters rather than replaced, as WinDbg's da does.
        return StandardCharsets.ISO_8859_1;
    }
}
