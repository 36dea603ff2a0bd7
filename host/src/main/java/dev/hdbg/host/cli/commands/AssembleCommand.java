package dev.hdbg.host.cli.commands;

import dev.hdbg.host.asm.Assembly;
import dev.hdbg.host.asm.GnuAssembler;
import dev.hdbg.host.asm.Statements;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code a}: assembles Intel-syntax statements at an address and writes them into guest memory, or, without
 * an address, only shows the bytes. The statements come in braces, as HyperDbg writes them ({@code a 400000 {nop; ret}},
 * a {@code {} left open continuing over the next lines), or plainly after the address ({@code a 400000 nop; ret}).
 * They are assembled at the address ({@link GnuAssembler}), so jumps and calls to absolute addresses land where they
 * say; {@code <EXPR>} is an address expression ({@code call <main>}). HyperDbg's {@code pid PID} after the braces is
 * accepted: the agent runs one process.
 */
@Command(name = "a", description = {"Assembles into guest memory: a ADDR {ASM; ASM} or a ADDR ASM; ASM; without ADDR,"
        + " shows the bytes only. Intel syntax (GNU as from binutils); <EXPR> is an address, e.g. call <main+4>.",
        "Example: a 400000 {mov rax, 1; ret}"})
final class AssembleCommand extends SessionCommand {
    private static final String EXAMPLE = "e.g. a 400000 {nop; xor rax, rax; ret} or a 400000 nop; ret";

    @Parameters(arity = "0..*", paramLabel = "[ADDR] ASM")
    List<String> args = new ArrayList<>();

    AssembleCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a needs the statements to assemble, " + EXAMPLE);
        }
        OptionalLong address = OptionalLong.empty();
        int from = 0;
        if (!isBraceGroup(args.getFirst())) {
            address = OptionalLong.of(address(args.getFirst()));
            from = 1;
        }
        Statements statements = Statements.of(text(args.subList(from, args.size())), session::evaluate);
        Assembly assembly = GnuAssembler.assemble(statements, address.orElse(0));
        if (address.isPresent()) {
            session.await(session.client().writeMemory(address.getAsLong(), assembly.bytes()));
        }
        out().assembled(assembly, address.isPresent());
    }

    private long address(String token) {
        try {
            return session.evaluate(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a: '" + token + "' is not an address (" + e.getMessage()
                    + "); give the address first, or the statements in braces alone to see their bytes, " + EXAMPLE, e);
        }
    }

    /** The statements: one brace group, or the words of the line joined again. */
    private static String text(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a needs the statements after the address, " + EXAMPLE);
        }
        if (isBraceGroup(words.getFirst())) {
            // HyperDbg's pid PID: the agent runs one process, whose memory this is.
            boolean pid = words.size() == 3 && words.get(1).equalsIgnoreCase("pid");
            if (words.size() > 1 && !pid) {
                throw new IllegalArgumentException("a: unexpected '" + words.get(1) + "' after the {...} group, "
                        + EXAMPLE);
            }
            String group = words.getFirst();
            return group.substring(1, group.length() - 1);
        }
        return String.join(" ", words);
    }

    private static boolean isBraceGroup(String token) {
        return token.length() >= 2 && token.startsWith("{") && token.endsWith("}");
    }
}
