package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.RegisterBase;
import dev.hdbg.common.script.ScriptRegister;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "r", description = {"Shows or changes registers.",
        "  r                 general-purpose registers, rip and rflags",
        "  r REG [REG...]    the named ones (rax .. r15, rip, rflags, cs .. ss, fs_base, gs_base, cr0 .. cr4, cr8,",
        "                    dr0 .. dr7, gdtr idtr ldtr tr: a descriptor table's base, as in HyperDbg),",
        "                    their parts as HyperDbg names them (eax ax ah al, r8d r8w r8b, eflags, iopl ...), @rax as rax",
        "  r REG = EXPR      sets one (a part: only its bits); EXPR is hex by default and may name registers: r rax = rbx+10",
        "  r FLAG [FLAG...]  rflags bits, 0 or 1: cf pf af zf sf tf if df of",
        "  r FLAG = 0|1      sets or clears one",
        "  r efl             rflags with the set flags named (also: r fl)",
        "  r xmm0 .. xmm15   128-bit registers, 32 hex digits; r xmm1 = 00112233445566778899aabbccddeeff",
        "Example: r rip = 400040"})
final class RegistersCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    RegistersCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        // HyperDbg's @ names a register in r too (r @rax); the name is the same without it.
        args.replaceAll(a -> a.startsWith("@") && a.length() > 1 ? a.substring(1) : a);
        int equals = args.indexOf("=");
        if (!args.isEmpty() && xmmIndex(args.get(0)) >= 0) {
            xmm(equals);
            return;
        }
        if (!args.isEmpty() && (RflagsBits.bit(args.get(0)).isPresent() || RflagsBits.isWholeRegister(args.get(0)))) {
            flags(equals);
            return;
        }
        if (equals < 0) {
            show();
            return;
        }
        if (equals != 1 || args.size() < 3) {
            throw new IllegalArgumentException("write r REG = VALUE, e.g. r rax = 1234");
        }
        long value = session.evaluate(String.join(" ", args.subList(2, args.size())));
        Optional<GuestRegister> whole = GuestRegister.byName(args.get(0));
        if (whole.isPresent()) {
            session.await(session.client().writeRegister(whole.get().wireName(), value));
        } else {
            ScriptRegister part = part(args.get(0));
            String base = baseName(part);
            long old = session.await(session.client().readRegisters(List.of(base))).get(base);
            session.await(session.client().writeRegister(base, part.insert(old, value)));
        }
        out().ok("r");
    }

    /** {@code r}, {@code r rax rip}, {@code r eax ah r8b}: whole registers as the agent has them, parts cut out of them. */
    private void show() {
        if (args.isEmpty()) {
            out().registers(session.await(session.client().readRegisters(List.of())));
            return;
        }
        Map<String, String> wireNames = new LinkedHashMap<>();
        for (String name : args) {
            Optional<GuestRegister> whole = GuestRegister.byName(name);
            wireNames.put(name.toLowerCase(Locale.ROOT), whole.isPresent() ? whole.get().wireName() : baseName(part(name)));
        }
        Map<String, Long> read = session.await(session.client().readRegisters(List.copyOf(new LinkedHashSet<>(wireNames.values()))));
        Map<String, Long> shown = new LinkedHashMap<>();
        wireNames.forEach((name, wire) -> shown.put(name, GuestRegister.byName(name).isPresent() ? read.get(wire)
                : part(name).extract(read.get(wire))));
        out().registers(shown);
    }

    /**
     * A part of a register as HyperDbg's script language names it ({@code eax}, {@code ah}, {@code r8w}, {@code iopl}).
     *
     * @throws IllegalArgumentException naming the register when there is no such name
     */
    private static ScriptRegister part(String name) {
        return ScriptRegister.byName(name.toLowerCase(Locale.ROOT)).orElseThrow(() -> new IllegalArgumentException(
                "unknown register '" + name + "' (known: the 64-bit registers " + GuestRegister.RAX.wireName() + " .. "
                        + "dr7, their parts eax ax ah al .. r15d r15w r15b, the flags, efl; see help r)"));
    }

    /**
     * The wire name of the whole register {@code part} is a part of.
     *
     * @throws IllegalArgumentException when the emulated machine has no such register
     */
    private static String baseName(ScriptRegister part) {
        RegisterBase base = part.base();
        return base.guestRegister().map(GuestRegister::wireName).orElseThrow(() -> new IllegalArgumentException(
                part.scriptName() + " is not available: hdbg's emulated machine has no "
                        + base.name().toLowerCase(Locale.ROOT) + " (see docs/commands.md)"));
    }

    /** {@code r zf}, {@code r zf cf}, {@code r zf = 1}, {@code r efl}: read-modify-write of rflags. */
    private void flags(int equals) {
        if (equals < 0) {
            long rflags = rflags();
            if (args.size() == 1 && RflagsBits.isWholeRegister(args.get(0))) {
                out().rflags(rflags, RflagsBits.set(rflags));
                return;
            }
            Map<String, Integer> bits = new LinkedHashMap<>();
            for (String name : args) {
                int bit = RflagsBits.bit(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                        + "' is no flag; show flags (" + String.join(" ", RflagsBits.BITS.keySet()) + ") and registers in separate r commands"));
                bits.put(name.toLowerCase(Locale.ROOT), (int) (rflags >>> bit & 1));
            }
            out().flags(bits);
            return;
        }
        if (equals != 1 || args.size() < 3) {
            throw new IllegalArgumentException("write r FLAG = 0|1, e.g. r zf = 1");
        }
        long value = session.evaluate(String.join(" ", args.subList(2, args.size())));
        long rflags;
        if (RflagsBits.isWholeRegister(args.get(0))) {
            rflags = value;
        } else {
            if (value != 0 && value != 1) {
                throw new IllegalArgumentException("a flag is 0 or 1, not 0x" + Long.toHexString(value));
            }
            int bit = RflagsBits.bit(args.get(0)).orElseThrow();
            rflags = rflags() & ~(1L << bit) | value << bit;
        }
        session.await(session.client().writeRegister(GuestRegister.RFLAGS.wireName(), rflags));
        out().ok("r");
    }

    /**
     * 0 .. 15 for xmm0 .. xmm15 (any case, {@code @} anywhere ignored), else -1. Read by hand: every {@code r} asks
     * this of its first word, and {@code String.matches} compiled its regular expression on each call (a profile of
     * 20,000 {@code r rip} found {@code Pattern.compile} on the batch thread at steady state: docs/benchmarks.md,
     * "The host's request path, wave 8").
     */
    static int xmmIndex(String name) {
        String n = name.indexOf('@') < 0 ? name : name.replace("@", "");
        if (n.length() < 4 || n.length() > 5 || !n.regionMatches(true, 0, "xmm", 0, 3)) {
            return -1;
        }
        int index = 0;
        for (int i = 3; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9' || i == 3 && c == '0' && n.length() == 5) {
                return -1; // a digit, and no leading zero: xmm01 is no register, as before
            }
            index = index * 10 + c - '0';
        }
        return index <= 15 ? index : -1;
    }

    /**
     * {@code r xmm0 [xmm1...]} and {@code r xmm0 = HEX}: shown most significant byte first, as one
     * 128-bit number; a shorter value is zero-extended.
     */
    private void xmm(int equals) {
        if (equals < 0) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : args) {
                int index = xmmIndex(name);
                if (index < 0) {
                    throw new IllegalArgumentException("show xmm registers and others in separate r commands");
                }
                byte[] little = session.await(session.client().readXmm(index));
                values.put("xmm" + index, HexFormat.of().formatHex(reversed(little)));
            }
            out().wideRegisters(values);
            return;
        }
        if (equals != 1 || args.size() != 3) {
            throw new IllegalArgumentException("write r xmm0 = HEX (up to 32 hex digits)");
        }
        String hex = args.get(2).toLowerCase(Locale.ROOT).replace("`", "");
        hex = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (hex.isEmpty() || hex.length() > 32 || !hex.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("an xmm value is up to 32 hex digits, not '" + args.get(2) + "'");
        }
        byte[] big = HexFormat.of().parseHex("0".repeat(32 - hex.length()) + hex);
        session.await(session.client().writeXmm(xmmIndex(args.get(0)), reversed(big)));
        out().ok("r");
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }

    private long rflags() {
        String name = GuestRegister.RFLAGS.wireName();
        return session.await(session.client().readRegisters(List.of(name))).get(name);
    }
}
