package dev.hdbg.host.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HyperDbg's {@code .script FILE ARGS}: {@code $arg0} in the file's lines is the file's path, {@code $arg1} the first
 * argument after it, and so on, each replaced by its text before the line runs.
 */
public final class ScriptArguments {
    private static final Pattern ARGUMENT = Pattern.compile("\\$arg([0-9]+)(?![A-Za-z0-9_])");

    private ScriptArguments() {
    }

    /**
     * @throws IllegalArgumentException when the line names an argument that was not given
     */
    public static String substitute(String line, List<String> arguments) {
        Matcher m = ARGUMENT.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int index;
            try {
                index = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                index = Integer.MAX_VALUE;
            }
            if (index >= arguments.size()) {
                throw new IllegalArgumentException("$arg" + m.group(1) + " was not given (.script was given "
                        + (arguments.size() - 1) + " argument" + (arguments.size() == 2 ? "" : "s")
                        + " after the file: $arg1 .. $arg" + (arguments.size() - 1) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(arguments.get(index)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
