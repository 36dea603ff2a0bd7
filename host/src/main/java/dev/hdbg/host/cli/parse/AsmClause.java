package dev.hdbg.host.cli.parse;

import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.script.SymbolResolver;
import dev.hdbg.host.asm.Assembly;
import dev.hdbg.host.asm.AssemblyException;
import dev.hdbg.host.asm.GnuAssembler;
import dev.hdbg.host.asm.Statements;
import java.util.Locale;

import static dev.hdbg.host.cli.parse.EventTokens.braceContent;

/**
 * An event's {@code asm code { ... }} or {@code asm condition { ... }} clause (HyperDbg 0.10's syntax): Intel-syntax
 * statements separated by {@code ;}, assembled on the host ({@link GnuAssembler}) into the same bytes a
 * {@code code {HEX}} or {@code condition {HEX}} clause gives, so the agent sees no difference. As in HyperDbg, the code
 * is assembled at address 0 and the agent appends the {@code ret}; {@code <EXPR>} names an address of the target.
 */
final class AsmClause {
    static final String EXAMPLE = "e.g. asm code { mov rax, 0x1337; ret }";

    /** Which clause the assembled bytes make. */
    enum Kind { CODE, CONDITION }

    /** An assembled clause. */
    record Assembled(Kind kind, MachineCode code) {
    }

    private AsmClause() {
    }

    /**
     * Reads {@code asm KIND {STATEMENTS}} from the two tokens after {@code asm}.
     *
     * @throws IllegalArgumentException when the kind or the braces are missing, and, naming the statement, when the
     *                                  assembler refuses one
     */
    static Assembled read(String kind, String value, SymbolResolver symbols) {
        Kind which = switch (kind == null ? "" : kind.toLowerCase(Locale.ROOT)) {
            case "code" -> Kind.CODE;
            case "condition" -> Kind.CONDITION;
            default -> throw new IllegalArgumentException("asm needs code or condition before its {...}, " + EXAMPLE
                    + " or asm condition { xor rax, rax; ret }");
        };
        String option = "asm " + which.name().toLowerCase(Locale.ROOT);
        String content = braceContent(value, option + " needs {STATEMENTS}, " + EXAMPLE);
        try {
            Statements statements = Statements.of(content, expression -> ExpressionParser.evaluate(expression,
                    symbols::address));
            Assembly assembly = GnuAssembler.assemble(statements, 0);
            return new Assembled(which, MachineCode.of(assembly.bytes()));
        } catch (AssemblyException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
