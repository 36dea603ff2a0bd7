package dev.hdbg.host.cli.commands;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Runs a verb without picocli's parser when the line's words can only mean what the parser would make of them: the
 * verb has no options, no subcommands and one positional parameter of text ({@code String} or {@code List<String>}, no
 * converter, split or default), and no word starts with {@code -} or {@code @} (an option, {@code --}, an argument
 * file) or is empty, and their number fits the parameter's arity. Anything else goes to picocli as before.
 *
 * <p>Why: picocli's {@code execute} on the shell's root walks all ~90 verbs and copies each one's map of subcommands
 * ({@code clearExecutionResults}), and its parser throws two {@code NumberFormatException}s for each word longer than
 * a character ({@code CommandSpec.resemblesOption}); a profile of {@code r rip} in a loop put three quarters of the
 * host's time per line there (docs/benchmarks.md, "Request latency, wave 4"). The verb runs exactly as picocli runs it:
 * the same field values, and its failures through the same two handlers, with the same arguments.
 */
final class DirectVerbs {
    private final Map<CommandLine, PositionalParamSpec> direct = new IdentityHashMap<>();
    private long runs;

    DirectVerbs(Iterable<CommandLine> verbs) {
        for (CommandLine verb : verbs) {
            PositionalParamSpec parameter = plainParameter(verb);
            if (parameter != null) {
                // picocli reads a field's initial value the first time it needs it (and resets the field to it before
                // each parse): read it now, while the field holds what the command was made with, not a direct run's.
                parameter.initialValue();
                direct.put(verb, parameter);
            }
        }
    }

    /** The verb's one parameter when it qualifies, else null. */
    private static PositionalParamSpec plainParameter(CommandLine verb) {
        CommandSpec spec = verb.getCommandSpec();
        if (!(verb.getCommand() instanceof Callable<?>) || !spec.options().isEmpty() || !spec.subcommands().isEmpty()
                || !spec.argGroups().isEmpty() || spec.positionalParameters().size() != 1) {
            return null;
        }
        PositionalParamSpec parameter = spec.positionalParameters().getFirst();
        boolean text = parameter.type() == String.class && parameter.arity().max() <= 1
                || List.class.isAssignableFrom(parameter.type()) && parameter.auxiliaryTypes().length == 1
                        && parameter.auxiliaryTypes()[0] == String.class;
        boolean plain = parameter.splitRegex().isEmpty() && parameter.converters().length == 0
                && parameter.defaultValue() == null && !parameter.interactive() && spec.defaultValueProvider() == null;
        return text && plain ? parameter : null;
    }

    /** Whether {@code verb} may run directly with {@code tokens} (the verb's name first). */
    boolean accepts(CommandLine verb, String[] tokens) {
        PositionalParamSpec parameter = direct.get(verb);
        if (parameter == null) {
            return false;
        }
        int words = tokens.length - 1;
        if (words < parameter.arity().min() || words > parameter.arity().max()) {
            return false;
        }
        for (int i = 1; i < tokens.length; i++) {
            String word = tokens[i];
            if (word.isEmpty() || word.charAt(0) == '-' || word.charAt(0) == '@') {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code verb} (which {@link #accepts} {@code tokens}) as picocli's {@code execute} would: its parameter set,
     * then its {@code call}; a {@link CommandLine.ParameterException} it throws goes to the parameter handler with the
     * whole line, any other failure to the execution handler, as picocli hands them over.
     *
     * @return the exit code picocli would return
     */
    int run(CommandLine verb, String[] tokens) {
        PositionalParamSpec parameter = direct.get(verb);
        List<String> words = List.of(tokens).subList(1, tokens.length);
        if (words.isEmpty()) {
            parameter.setValue(parameter.initialValue()); // as picocli's reset before a parse
        } else {
            parameter.setValue(parameter.type() == String.class ? words.getFirst() : new ArrayList<>(words));
        }
        runs++;
        try {
            try {
                Object result = ((Callable<?>) verb.getCommand()).call();
                return result instanceof Integer code ? code : 0;
            } catch (CommandLine.ParameterException e) {
                return verb.getParameterExceptionHandler().handleParseException(e, tokens);
            } catch (CommandLine.ExecutionException e) {
                return verb.getExecutionExceptionHandler().handleExecutionException(
                        e.getCause() instanceof Exception cause ? cause : e, verb, null);
            } catch (Exception e) {
                return verb.getExecutionExceptionHandler().handleExecutionException(e, verb, null);
            }
        } catch (Exception unhandled) {
            // The shell's handlers return a status; picocli's execute would fail here the same way.
            throw new IllegalStateException(unhandled);
        }
    }

    /** How many lines ran without picocli's parser (for tests: a count, not a timing). */
    long runs() {
        return runs;
    }
}
