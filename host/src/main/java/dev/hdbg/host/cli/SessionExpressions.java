package dev.hdbg.host.cli;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.script.ScriptRegister;
import dev.hdbg.common.script.SymbolResolver;
import dev.hdbg.host.cli.parse.ExpressionParser;
import dev.hdbg.host.client.AgentError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The commands' expressions in a session: evaluated with the target's registers, memory and symbols, and what to say
 * when one fails: a module not loaded yet ({@code bp libc!printf} at the program's first instruction), or a word read
 * as a hex number where the target has a symbol of that name ({@code bp f}).
 */
final class SessionExpressions {

    private final DebugSession session;
    /** The expressions the running command evaluated ({@link #numbersNamingSymbols}). */
    private final List<String> evaluated = new ArrayList<>();

    SessionExpressions(DebugSession session) {
        this.session = session;
    }

    /**
     * The target's symbols as scripts name them: {@code main}, or {@code module!main}; a module hdbg does not know
     * ({@code nt!}, in HyperDbg's examples) is passed over for the plain name.
     */
    SymbolResolver scriptSymbols() {
        return name -> {
            SymbolTable table = session.symbols();
            OptionalLong named = table.address(name);
            return named.isPresent() ? named : table.address(name.substring(name.indexOf('!') + 1));
        };
    }

    /** A command line starts: the expressions of the one before it no longer explain an error. */
    void commandStarts() {
        synchronized (evaluated) {
            evaluated.clear();
        }
    }

    /**
     * For an error on an unmapped address: the words of this command's expressions that were read as hex numbers
     * though the target has symbols of those names ({@code bp f}), with how to write the symbol.
     */
    Optional<String> numbersNamingSymbols() {
        List<String> expressions;
        synchronized (evaluated) {
            expressions = List.copyOf(evaluated);
        }
        return expressions.isEmpty() ? Optional.empty() : NumbersNamingSymbols.note(expressions, session.symbols());
    }

    /**
     * Evaluates an address or value expression: hex by default, registers by name or {@code @name}
     * (read from the agent only when the expression names one), {@code poi(EXPR)} the qword at EXPR.
     */
    long evaluate(String expression) {
        synchronized (evaluated) {
            evaluated.add(expression);
        }
        try {
            return evaluateAsWritten(expression);
        } catch (IllegalArgumentException e) {
            Optional<String> unloaded = unloadedModule(expression);
            if (unloaded.isEmpty()) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + "; " + unloaded.get(), e);
        }
    }

    private long evaluateAsWritten(String expression) {
        return ExpressionParser.evaluate(expression, name -> GuestRegister.byName(name)
                .map(r -> OptionalLong.of(session.await(session.client().readRegisters(List.of(r.wireName()))).get(r.wireName())))
                .or(() -> registerPart(name))
                .orElseGet(() -> session.symbols().address(name)), address -> {
                    byte[] qword;
                    try {
                        qword = session.await(session.client().readMemory(address, 8));
                    } catch (AgentError e) {
                        if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS) {
                            throw e;
                        }
                        throw new IllegalArgumentException("poi(0x" + Long.toHexString(address) + "): " + e.getMessage(), e);
                    }
                    return ByteBuffer.wrap(qword).order(ByteOrder.LITTLE_ENDIAN).getLong();
                });
    }

    /**
     * For an expression that failed: a {@code module!} it names that is not loaded, said with where a library's symbols
     * come from (the loader maps it after the program starts: {@code bp libc!printf} at the first instruction).
     */
    private Optional<String> unloadedModule(String expression) {
        Optional<String> qualified = ExpressionParser.words(expression).stream().filter(w -> w.indexOf('!') > 0)
                .findFirst();
        if (qualified.isEmpty() || !session.connected()) {
            return Optional.empty();
        }
        String module = qualified.get().substring(0, qualified.get().indexOf('!'));
        List<LoadedModule> loaded;
        try {
            loaded = session.fetchModules();
        } catch (AgentError e) {
            return Optional.empty();
        }
        if (loaded.isEmpty() || loaded.stream().anyMatch(m -> m.name().equalsIgnoreCase(module))) {
            return Optional.empty();
        }
        return Optional.of("no module " + module + " is loaded now (lm lists the loaded ones): a library's symbols come"
                + " once the loader has mapped it, e.g. after g " + loaded.getFirst().name() + "!main");
    }

    /** A part of a register HyperDbg names ({@code eip}, {@code eax}, {@code r8w}) whose whole register the agent has. */
    private Optional<OptionalLong> registerPart(String name) {
        String key = (name.startsWith("@") ? name.substring(1) : name).toLowerCase(Locale.ROOT);
        return ScriptRegister.byName(key).filter(part -> part.base().isAvailable()).map(part -> {
            String base = part.base().guestRegister().orElseThrow().wireName();
            return OptionalLong.of(part.extract(session.await(session.client().readRegisters(List.of(base))).get(base)));
        });
    }
}
