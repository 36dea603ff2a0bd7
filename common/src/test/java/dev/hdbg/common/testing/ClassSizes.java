package dev.hdbg.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The habit of small classes with one job, checked over a module's sources: a main class longer than
 * {@link #LIMIT} lines must say why in its Javadoc, in a sentence naming the limit ("over 400 lines"), so that a
 * class growing past it is a decision someone wrote down rather than an accident.
 */
public final class ClassSizes {
    public static final int LIMIT = 400;
    private static final String REASON = "over " + LIMIT + " lines";
    private static final Pattern DECLARATION = Pattern.compile("^(public |final |abstract |sealed )*(class|interface|record|enum) ");

    private ClassSizes() {
    }

    /**
     * Checks every {@code .java} file under {@code sourceRoot} (a module's {@code src/main/java}, relative to the
     * module directory the tests run in).
     *
     * @throws AssertionError naming each long class that does not say why, with its length
     */
    public static void check(Path sourceRoot) {
        if (!Files.isDirectory(sourceRoot)) {
            throw new AssertionError("no sources at " + sourceRoot.toAbsolutePath());
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            List<String> unexplained = files.filter(f -> f.toString().endsWith(".java"))
                    .map(ClassSizes::unexplained)
                    .flatMap(Stream::ofNullable)
                    .sorted()
                    .toList();
            if (!unexplained.isEmpty()) {
                throw new AssertionError(unexplained.size() + " classes over " + LIMIT
                        + " lines do not say why in their Javadoc (a sentence with \"" + REASON + "\"), or should be split:\n  "
                        + String.join("\n  ", unexplained));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unexplained(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() <= LIMIT) {
                return null;
            }
            String header = String.join(" ", lines.stream().takeWhile(line -> !DECLARATION.matcher(line).find()).toList());
            boolean explained = header.replaceAll("[\\s*]+", " ").contains(REASON);
            return explained ? null : file + " (" + lines.size() + " lines)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
