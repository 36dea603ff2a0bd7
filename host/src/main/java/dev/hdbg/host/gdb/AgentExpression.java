package dev.hdbg.host.gdb;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A breakpoint condition gdb sends in {@code Z0}/{@code Z1} (target-side evaluation, {@code ConditionalBreakpoints+}):
 * GDB's agent-expression bytecode, read into an hdbg script expression the agent evaluates at each hit, so that a hit
 * whose condition is false never reaches gdb (HyperDbg's conditions in vmx-root; gdbserver evaluates them itself too).
 * Constants, registers, memory references, arithmetic (division and remainder too), bit operations and shifts,
 * comparisons, sign or zero extension and forward branches (gdb's {@code &&} and {@code ||}) are read; anything else
 * (loops, trace state variables, {@code pick} and {@code rot}) is not, and the breakpoint is then set without it: gdb
 * evaluates every condition itself again at a stop, so that one is only slower.
 *
 * <p>A memory reference that would fault stops the target, as gdb's own evaluation of the condition does: each value
 * read carries, beside its text, when reading it would fault (a {@code check_address} of its first and last byte, on
 * the branch actually taken: {@code p && *p == 1} with {@code p} null reads nothing). The agent then breaks in, and
 * gdb, evaluating the condition again, says "Error in testing breakpoint condition" and stops there; before, the
 * agent's script failed at every hit and the target went on (docs/gdb.md).
 */
final class AgentExpression {
    /** gdb's amd64 register numbers 0 to 17, as hdbg scripts name them. */
    private static final List<String> REGISTERS = List.of("@rax", "@rbx", "@rcx", "@rdx", "@rsi", "@rdi", "@rbp",
            "@rsp", "@r8", "@r9", "@r10", "@r11", "@r12", "@r13", "@r14", "@r15", "@rip", "@rflags");
    private static final String SIGN = "0x8000000000000000";
    /**
     * Longer than any condition a person writes (gdb's {@code a / 2 == 3 && a % 4 == 2 && (a >> 1) == 3} at -O0 is
     * 4,288 characters with its checks: a signed division repeats its operands): a bound on what a hostile client's
     * bytecode can make, and on the script the agent compiles.
     */
    static final int MAX_TEXT = 16384;

    private AgentExpression() {
    }

    /**
     * A value of the expression: its hdbg script {@code text}, and {@code fault}, an expression true exactly when
     * evaluating the text would read unmapped memory (null: it reads none), which is safe to evaluate itself.
     */
    record Value(String text, String fault) {
        /** The script expression of a condition: true when the condition holds or would fault. */
        String stopsWhen() {
            return fault == null ? text : "(" + fault + ") || (" + text + ")";
        }

        private int length() {
            return text.length() + (fault == null ? 0 : fault.length());
        }

        private static Value plain(String text) {
            return new Value(text, null);
        }

        /** {@code text} computed from {@code a}: faults when {@code a} does. */
        private static Value of(String text, Value a) {
            return new Value(text, a.fault);
        }

        /** {@code text} computed from {@code a} and {@code b}, both evaluated: faults when either does. */
        private static Value of(String text, Value a, Value b) {
            return new Value(text, any(a.fault, b.fault));
        }

        /** A read of {@code bytes} at {@code address}: faults where the address does, or its first or last byte. */
        private static Value read(String reader, int bytes, Value address) {
            String at = address.text;
            String unmapped = "!check_address(" + at + ")";
            if (bytes > 1) {
                unmapped += " || !check_address((" + at + ") + 0x" + Integer.toHexString(bytes - 1) + ")";
            }
            return new Value(reader + "(" + at + ")", any(address.fault, unmapped));
        }
    }

    /**
     * The condition {@code bytecode} computes (true when not 0), as hdbg script text with when it would fault; empty
     * when it uses what is not read here.
     */
    static Optional<Value> read(byte[] bytecode) {
        Optional<Value> value = truth(bytecode, 0, new ArrayDeque<>(), 0);
        return value.filter(v -> v.stopsWhen().length() <= MAX_TEXT);
    }

    /** Binary operator {@code op} of {@code left} and {@code right}, {@code left} the first pushed. */
    private static Value binary(int op, Value left, Value right) {
        if (op >= 0x05 && op <= 0x0a && op != 0x09) {
            return signedOrDividing(op, left, right);
        }
        String a = left.text();
        String b = right.text();
        return Value.of(switch (op) {
            case 0x02 -> "(" + a + " + " + b + ")";
            case 0x03 -> "(" + a + " - " + b + ")";
            case 0x04 -> "(" + a + " * " + b + ")";
            case 0x09 -> "(" + a + " << " + b + ")";
            case 0x0b -> "(" + a + " >> " + b + ")";
            case 0x0f -> "(" + a + " & " + b + ")";
            case 0x10 -> "(" + a + " | " + b + ")";
            case 0x11 -> "(" + a + " ^ " + b + ")";
            case 0x13 -> "(" + a + " == " + b + ")";
            // hdbg compares unsigned: the sign bit flipped orders signed values as unsigned ones
            case 0x14 -> "((" + a + " ^ " + SIGN + ") < (" + b + " ^ " + SIGN + "))";
            default -> "(" + a + " < " + b + ")";
        }, left, right);
    }

    /**
     * A division, a remainder or a signed right shift ({@code op} 5 to 8, 10) of {@code a} by {@code b} in hdbg's
     * unsigned 64-bit arithmetic: a signed one divides the magnitudes and multiplies by the sign (1 or -1: C's
     * truncation toward zero; a remainder takes the dividend's sign), an arithmetic shift fills the bits shifted in
     * with the sign bit. Each operand's text appears two or three times, not more: a condition's text grows with it. A
     * division by 0 faults, as gdb's own evaluation stops with "Division by zero" (hdbg's script would stop too).
     */
    private static Value signedOrDividing(int op, Value a, Value b) {
        String x = a.text();
        String y = b.text();
        if (op == 0x0a) {
            String filled = "(0x0 - ((" + x + " >> 0x3f) << (0x3f - " + y + ")))";
            return Value.of("((" + x + " >> " + y + ") | " + filled + ")", a, b);
        }
        String text = switch (op) {
            case 0x05 -> "((" + magnitude(x) + " / " + magnitude(y) + ") * " + sign("(" + x + " ^ " + y + ")") + ")";
            case 0x06 -> "(" + x + " / " + y + ")";
            case 0x07 -> "((" + magnitude(x) + " % " + magnitude(y) + ") * " + sign(x) + ")";
            default -> "(" + x + " % " + y + ")";
        };
        return new Value(text, any(any(a.fault(), b.fault()), "(" + y + " == 0x0)"));
    }

    /** 1, or -1 when {@code x} is negative as a signed number. */
    private static String sign(String x) {
        return "(0x1 - ((" + x + " >> 0x3f) << 0x1))";
    }

    /** The magnitude of {@code x} read as a signed number. */
    private static String magnitude(String x) {
        return "(" + x + " * " + sign(x) + ")";
    }

    /** Either, in that order; null when neither can. */
    private static String any(String first, String second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return first + " || " + second;
    }

    /** Branches followed at most this deep: gdb's {@code &&} and {@code ||} chains are a few. */
    private static final int MAX_BRANCHES = 16;

    /**
     * From {@code pc} with {@code stack}: an expression true when the value at {@code end} is. A branch
     * ({@code if_goto}, gdb's {@code &&} and {@code ||}) reads both ways, {@code ((c) && T) || (!(c) && F)}, each
     * evaluated only when taken; a jump backwards (a loop) is not read.
     */
    private static Optional<Value> truth(byte[] bytecode, int start, Deque<Value> stack, int depth) {
        int pc = start;
        while (pc < bytecode.length) {
            if (!stack.isEmpty() && stack.peek().length() > MAX_TEXT) {
                return Optional.empty(); // a dup of a dup ... would double it each time
            }
            int op = bytecode[pc++] & 0xff;
            switch (op) {
                case 0x22, 0x23, 0x24, 0x25 -> { // const8, const16, const32, const64 (big-endian, zero-extended)
                    int size = 1 << (op - 0x22);
                    if (pc + size > bytecode.length) {
                        return Optional.empty();
                    }
                    long value = 0;
                    for (int i = 0; i < size; i++) {
                        value = value << 8 | (bytecode[pc++] & 0xff);
                    }
                    stack.push(Value.plain("0x" + Long.toHexString(value)));
                }
                case 0x26 -> { // reg
                    if (pc + 2 > bytecode.length) {
                        return Optional.empty();
                    }
                    int number = (bytecode[pc] & 0xff) << 8 | bytecode[pc + 1] & 0xff;
                    pc += 2;
                    if (number >= REGISTERS.size()) {
                        return Optional.empty();
                    }
                    stack.push(Value.plain(REGISTERS.get(number)));
                }
                case 0x16, 0x2a -> { // ext N (sign), zero_ext N
                    if (pc >= bytecode.length || stack.isEmpty()) {
                        return Optional.empty();
                    }
                    int bits = bytecode[pc++] & 0xff;
                    if (bits < 1 || bits > 64) {
                        return Optional.empty();
                    }
                    if (bits < 64) {
                        String mask = "0x" + Long.toHexString((1L << bits) - 1);
                        Value operand = stack.pop();
                        String value = "(" + operand.text() + " & " + mask + ")";
                        String top = "0x" + Long.toHexString(1L << (bits - 1));
                        stack.push(Value.of(op == 0x2a ? value : "((" + value + " ^ " + top + ") - " + top + ")",
                                operand));
                    }
                }
                case 0x17, 0x18, 0x19, 0x1a -> { // ref8, ref16, ref32, ref64
                    if (stack.isEmpty()) {
                        return Optional.empty();
                    }
                    String read = switch (op) {
                        case 0x17 -> "db";
                        case 0x18 -> "dw";
                        case 0x19 -> "dd";
                        default -> "poi";
                    };
                    stack.push(Value.read(read, 1 << (op - 0x17), stack.pop()));
                }
                case 0x0e, 0x12 -> { // log_not, bit_not
                    if (stack.isEmpty()) {
                        return Optional.empty();
                    }
                    Value operand = stack.pop();
                    stack.push(Value.of("(" + (op == 0x0e ? "!" : "~") + operand.text() + ")", operand));
                }
                // add, sub, mul, div and rem (signed, unsigned), lsh, rsh (signed, unsigned), bit and, or and xor,
                // equal, less (signed, unsigned)
                case 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0f, 0x10, 0x11, 0x13, 0x14,
                        0x15 -> {
                    if (stack.size() < 2) {
                        return Optional.empty();
                    }
                    Value right = stack.pop();
                    Value left = stack.pop();
                    stack.push(binary(op, left, right));
                }
                case 0x28 -> { // dup
                    if (stack.isEmpty()) {
                        return Optional.empty();
                    }
                    stack.push(stack.peek());
                }
                case 0x29 -> { // pop
                    if (stack.isEmpty()) {
                        return Optional.empty();
                    }
                    stack.pop();
                }
                case 0x2b -> { // swap
                    if (stack.size() < 2) {
                        return Optional.empty();
                    }
                    Value b = stack.pop();
                    Value a = stack.pop();
                    stack.push(b);
                    stack.push(a);
                }
                case 0x27 -> { // end: the value on top is the condition's
                    return stack.isEmpty() ? Optional.empty() : Optional.of(stack.peek());
                }
                case 0x20, 0x21 -> { // if_goto, goto (16-bit targets, big-endian)
                    if (pc + 2 > bytecode.length || depth >= MAX_BRANCHES || op == 0x20 && stack.isEmpty()) {
                        return Optional.empty();
                    }
                    int target = (bytecode[pc] & 0xff) << 8 | bytecode[pc + 1] & 0xff;
                    pc += 2;
                    if (target <= pc - 3 || target >= bytecode.length) {
                        return Optional.empty(); // backwards: a loop; or outside the code
                    }
                    if (op == 0x21) {
                        pc = target;
                        continue;
                    }
                    Value condition = stack.pop();
                    Optional<Value> taken = truth(bytecode, target, new ArrayDeque<>(stack), depth + 1);
                    Optional<Value> notTaken = truth(bytecode, pc, new ArrayDeque<>(stack), depth + 1);
                    if (taken.isEmpty() || notTaken.isEmpty()) {
                        return Optional.empty();
                    }
                    String c = condition.text();
                    String both = "((" + c + " && " + taken.get().text() + ") || (!" + c + " && "
                            + notTaken.get().text() + "))";
                    // the branch taken faults as its own way does: the condition is read once it cannot fault
                    String takenFault = taken.get().fault();
                    String notTakenFault = notTaken.get().fault();
                    String fault = any(condition.fault(), any(
                            takenFault == null ? null : "(" + c + " && (" + takenFault + "))",
                            notTakenFault == null ? null : "(!" + c + " && (" + notTakenFault + "))"));
                    Value value = new Value(both, fault);
                    return value.length() > MAX_TEXT ? Optional.empty() : Optional.of(value);
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty(); // no end
    }
}
