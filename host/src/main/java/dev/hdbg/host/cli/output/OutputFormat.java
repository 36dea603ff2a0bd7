package dev.hdbg.host.cli.output;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The form the command line shows things in: aligned text for people, or one JSON object a line for programs
 * ({@code --json}, docs/json.md). Either is an {@link Output} over a writer: a command's picocli writer, or the screen
 * records are shown on.
 */
public enum OutputFormat {
    HUMAN, JSON;

    public static OutputFormat of(boolean json) {
        return json ? JSON : HUMAN;
    }

    /**
     * Results and records written on {@code out}, one block (JSON: one line) at a time, each followed by a flush.
     *
     * @param symbolizer {@code main+0x12} for an address inside a known symbol, else empty (the human form shows it)
     */
    public Output on(PrintWriter out, LongFunction<Optional<String>> symbolizer) {
        return switch (this) {
            case HUMAN -> new HumanOutput(out, symbolizer);
            case JSON -> new JsonOutput(out);
        };
    }
}
