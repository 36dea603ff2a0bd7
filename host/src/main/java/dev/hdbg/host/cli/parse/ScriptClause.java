package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;
import dev.hdbg.common.script.SymbolResolver;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hdbg.host.cli.parse.EventTokens.braceContent;

/**
 * An event's {@code script { ... }} or {@code script {file:PATH}} clause (HyperDbg's syntax), checked before anything
 * is sent: a script with errors is refused here with each error's line, column and caret, as a compiler shows them.
 */
final class ScriptClause {
    private static final String EXAMPLE = "e.g. script { printf(\"rdi = %llx\\n\", @rdi); }";
    private static final String FILE_PREFIX = "file:";

    private ScriptClause() {
    }

    /** The script's text, checked. */
    static String read(String value, SymbolResolver symbols) {
        String content = braceContent(value, "script needs {STATEMENTS} or {file:PATH}, " + EXAMPLE);
        SourceText source;
        if (content.strip().startsWith(FILE_PREFIX)) {
            Path path = Path.of(content.strip().substring(FILE_PREFIX.length()).strip());
            source = new SourceText(path.toString(), readFile(path));
        } else {
            source = new SourceText("script", content);
        }
        if (source.text().isBlank()) {
            throw new IllegalArgumentException("script {} is empty (give the statements to run, " + EXAMPLE + ")");
        }
        if (source.text().length() > ActionSpec.Script.MAX_SOURCE_CHARS) {
            throw new IllegalArgumentException("script: the script has " + source.text().length()
                    + " characters; at most " + ActionSpec.Script.MAX_SOURCE_CHARS + " are taken");
        }
        check(source, symbols);
        return source.text();
    }

    /**
     * Checks a script as the agent will before it compiles it.
     *
     * @throws IllegalArgumentException with every error rendered with its caret
     */
    static void check(SourceText source, SymbolResolver symbols) {
        try {
            ScriptChecker.check(source, ScriptEnvironment.DEFAULT.withSymbols(symbols));
        } catch (ScriptException e) {
            throw new IllegalArgumentException("script has errors, nothing was added:\n" + e.getMessage(), e);
        }
    }

    private static String readFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException("script {file:" + path + "}: is a directory; name a script file");
        }
        try {
            return Files.readString(path);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("script {file:" + path + "}: not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("script {file:" + path + "}: cannot read it (" + e + ")", e);
        }
    }
}
