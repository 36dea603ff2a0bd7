package dev.hdbg.host.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembly text as HyperDbg's {@code asm {...}} takes it: statements separated by {@code ;} or line breaks, blanks
 * between them ignored (HyperDbg's {@code ParseAssemblyData} splits on {@code ;} the same way before Keystone sees it).
 * Each statement becomes one line of the assembler's input, so an error on line N is the N-th statement.
 *
 * <p>{@code <EXPR>} is HyperDbg's way to name an address in assembly ({@code call <main>},
 * {@code jmp <nt!ExAllocatePoolWithTag+10>}): the expression is evaluated before the assembler runs and replaced by
 * its value in hex. As in HyperDbg, any {@code <...>} without another angle bracket inside is taken for one.
 */
public record Statements(List<String> list) {
    private static final Pattern EXPRESSION = Pattern.compile("<([^<>]+)>");

    public Statements {
        list = List.copyOf(list);
    }

    /** The statements of {@code text}, in order; none for blank text. {@code <EXPR>} is left as written. */
    public static Statements of(String text) {
        List<String> statements = new ArrayList<>();
        for (String line : text.split("[;\\n\\r]")) {
            String statement = line.strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return new Statements(statements);
    }

    /**
     * The statements of {@code text} with each {@code <EXPR>} replaced by {@code evaluate}'s value.
     *
     * @throws AssemblyException naming the expression and the statement when {@code evaluate} refuses it
     */
    public static Statements of(String text, ToLongFunction<String> evaluate) {
        List<String> resolved = new ArrayList<>();
        for (String statement : of(text).list) {
            Matcher m = EXPRESSION.matcher(statement);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                long value;
                try {
                    value = evaluate.applyAsLong(m.group(1).strip());
                } catch (RuntimeException e) { // a refused expression, or the agent that could not read a register
                    throw new AssemblyException("cannot resolve <" + m.group(1) + "> in '" + statement + "': "
                            + e.getMessage());
                }
                m.appendReplacement(out, Matcher.quoteReplacement("0x" + Long.toHexString(value)));
            }
            m.appendTail(out);
            resolved.add(out.toString());
        }
        return new Statements(resolved);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    /** The 1-based {@code number}-th statement, or null when there is none (the assembler's own lines). */
    public String at(int number) {
        return number >= 1 && number <= list.size() ? list.get(number - 1) : null;
    }

    /** The assembler's input: one statement a line. */
    String source() {
        return String.join("\n", list) + "\n";
    }

    /** As HyperDbg echoes them: {@code nop; xor rax, rax; nop}. */
    @Override
    public String toString() {
        return String.join("; ", list);
    }
}
