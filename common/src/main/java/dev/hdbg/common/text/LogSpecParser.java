package dev.hdbg.common.text;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.event.PseudoRegisters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The content of a {@code log { ... }} clause: what a log-the-states action records.
 *
 * <p>Grammar (EBNF; keywords, register and pseudo-register names are case-insensitive):
 * <pre>
 * log-spec  = { sep } item { sep { sep } item } { sep } ;
 * sep       = "," | " " | "\t" | "\r" | "\n" ;
 * item      = "regs"                        (* the 16 GPRs, rax .. r15 *)
 *           | [ "@" ] register              (* any GuestRegister wire name: rax, rip, fs_base, cr3 ... *)
 *           | "$" pseudo                    (* context | ip | event_id | core | pid | tid | time *)
 *           | "[" address "]" [ ":" length ] ;
 * address   = number                        (* absolute *)
 *           | [ "@" ] register [ ( "+" | "-" ) unsigned ] ;
 * length    = number ;                      (* 1 .. LogItem.Memory.MAX_LENGTH; default 8 *)
 * number    = see {@link Numbers}: hex by default, 0n for decimal ;
 * unsigned  = a number without a leading "-" ;
 * </pre>
 * Whitespace is allowed inside the brackets ({@code [rsp + 8]}), but the {@code :length} must
 * follow the {@code ]} directly. Items keep their order, as the records the agent sends do.
 *
 * <p>Example: {@code regs, @rip [rsp+8]:0x20 [401000]:0n16 $context $tid}.
 */
public final class LogSpecParser {
    /** The length of a memory item without {@code :length}: one 64-bit value. */
    public static final int DEFAULT_MEMORY_LENGTH = 8;

    private LogSpecParser() {
    }

    /**
     * Parses a log specification.
     *
     * @param text the text between the braces of {@code log {...}}, without them
     * @return the configuration, items in the order written
     * @throws IllegalArgumentException when the text holds no item, or naming the offending
     *                                  token and its 1-based position in {@code text} when an
     *                                  item is malformed, names an unknown register or
     *                                  pseudo-register, or asks for a length out of range
     */
    public static LogConfiguration parse(String text) {
        List<LogItem> items = new ArrayList<>();
        int i = skipSeparators(text, 0);
        while (i < text.length()) {
            int end;
            if (text.charAt(i) == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated '[' at position " + (i + 1)
                            + " (close the address with ']', e.g. [rsp+8]:0x20)");
                }
                end = tokenEnd(text, close + 1);
                items.add(memory(text.substring(i, end), close - i, i + 1));
            } else {
                end = tokenEnd(text, i);
                items.add(word(text.substring(i, end), i + 1));
            }
            i = skipSeparators(text, end);
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(
                    "nothing to log (list what to record, e.g. log {regs $context [rsp]:8})");
        }
        return new LogConfiguration(items);
    }

    private static LogItem word(String token, int position) {
        if (token.equalsIgnoreCase("regs")) {
            return new LogItem.AllGprs();
        }
        if (token.startsWith("$")) {
            String name = token.substring(1).toLowerCase(Locale.ROOT);
            if (!PseudoRegisters.isKnown(name)) {
                throw new IllegalArgumentException("unknown pseudo-register '" + token + "' at position " + position
                        + " (valid: " + PseudoRegisters.NAMES.stream().sorted().map(n -> "$" + n)
                        .collect(Collectors.joining(" ")) + ")");
            }
            return new LogItem.PseudoRegister(name);
        }
        return GuestRegister.byName(token)
                .<LogItem>map(r -> new LogItem.Register(r.wireName()))
                .orElseThrow(() -> new IllegalArgumentException("unknown log item '" + token + "' at position "
                        + position + " (write regs, a register such as rax, a pseudo-register such as $context,"
                        + " or memory such as [rsp+8]:0x20)"));
    }

    /** {@code token} is {@code [address]suffix}; {@code close} is the index of its ']'. */
    private static LogItem memory(String token, int close, int position) {
        String address = token.substring(1, close).replaceAll("\\s+", "");
        String suffix = token.substring(close + 1);
        int length = DEFAULT_MEMORY_LENGTH;
        if (!suffix.isEmpty()) {
            if (!suffix.startsWith(":") || suffix.length() == 1) {
                throw new IllegalArgumentException("expected ':LENGTH' after ']' in '" + token + "' at position "
                        + position + " (e.g. [rsp+8]:0x20)");
            }
            length = length(suffix.substring(1), token, position);
        }
        if (address.isEmpty()) {
            throw new IllegalArgumentException("empty address in '" + token + "' at position " + position
                    + " (write [NUMBER] or [REG+NUMBER], e.g. [rsp+8])");
        }
        // A leading '-' belongs to an absolute number, not to an offset.
        int op = firstOperator(address);
        if (op < 0) {
            Optional<GuestRegister> register = GuestRegister.byName(address);
            if (register.isPresent()) {
                return new LogItem.Memory(Optional.of(register.get().wireName()), 0, length);
            }
            return new LogItem.Memory(Optional.empty(), number(address, token, position), length);
        }
        String base = address.substring(0, op);
        GuestRegister register = GuestRegister.byName(base).orElseThrow(() -> new IllegalArgumentException(
                "'" + base + "' in '" + token + "' at position " + position + " is not a register"
                        + " (an offset needs a base register, e.g. [rsp+8]; an absolute address has none)"));
        String offsetText = address.substring(op + 1);
        if (offsetText.startsWith("-") || offsetText.startsWith("+")) {
            throw new IllegalArgumentException("two signs in '" + token + "' at position " + position
                    + " (write [REG+NUMBER] or [REG-NUMBER])");
        }
        long offset = number(offsetText, token, position);
        return new LogItem.Memory(Optional.of(register.wireName()), address.charAt(op) == '-' ? -offset : offset,
                length);
    }

    private static int length(String text, String token, int position) {
        long value = number(text, token, position);
        if (value <= 0 || value > LogItem.Memory.MAX_LENGTH) {
            throw new IllegalArgumentException("memory length " + text + " in '" + token + "' at position "
                    + position + " is out of range (1.." + Numbers.hex(LogItem.Memory.MAX_LENGTH) + " bytes)");
        }
        return (int) value;
    }

    private static long number(String text, String token, int position) {
        try {
            return Numbers.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + token + "' at position " + position + ": " + e.getMessage(), e);
        }
    }

    private static int firstOperator(String address) {
        for (int i = 1; i < address.length(); i++) {
            if (address.charAt(i) == '+' || address.charAt(i) == '-') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }

    private static int skipSeparators(String text, int from) {
        int i = from;
        while (i < text.length() && isSeparator(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(String text, int from) {
        int i = from;
        while (i < text.length() && !isSeparator(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
