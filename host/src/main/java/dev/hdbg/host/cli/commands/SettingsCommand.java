package dev.hdbg.host.cli.commands;

import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code settings [OPTION [VALUE]]}, with the options hdbg has: {@code addressconversion on|off}, whether
 * addresses are shown with the symbol that holds them ({@code u}, breaks, {@code !track}), and {@code syntax
 * intel|att|masm}, the disassembly's syntax. HyperDbg's others ({@code autounpause}, {@code autoflush}) are refused
 * with the reason.
 */
@Command(name = "settings", description = {"Shows or changes a setting: settings, settings addressconversion|syntax,"
        + " settings addressconversion on|off, settings syntax intel|att|masm", "Example: settings syntax att"})
final class SettingsCommand extends SessionCommand {
    @Parameters(arity = "0..2", paramLabel = "[OPTION [VALUE]]")
    List<String> args = new ArrayList<>();

    SettingsCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        if (args.isEmpty()) {
            out().note(conversion());
            out().note(syntax());
            return;
        }
        String option = args.getFirst().toLowerCase(Locale.ROOT);
        switch (option) {
            case "addressconversion" -> {
                if (args.size() == 1) {
                    out().note(conversion());
                    return;
                }
                switch (args.get(1).toLowerCase(Locale.ROOT)) {
                    case "on" -> session.addressConversion(true);
                    case "off" -> session.addressConversion(false);
                    default -> throw new IllegalArgumentException("settings addressconversion takes on or off");
                }
            }
            case "syntax" -> {
                if (args.size() == 1) {
                    out().note(syntax());
                    return;
                }
                session.disassemblySyntax(switch (args.get(1).toLowerCase(Locale.ROOT)) {
                    case "intel" -> Disassembler.Syntax.INTEL;
                    case "att" -> Disassembler.Syntax.ATT;
                    case "masm" -> Disassembler.Syntax.MASM;
                    default -> throw new IllegalArgumentException("settings syntax takes intel, att or masm");
                });
            }
            default -> throw new IllegalArgumentException("settings: hdbg has addressconversion and syntax; "
                    + reason(option));
        }
        out().ok("settings");
    }

    private String conversion() {
        return "addressconversion " + (session.addressConversion() ? "on" : "off");
    }

    private String syntax() {
        return "syntax " + session.disassemblySyntax().name().toLowerCase(Locale.ROOT);
    }

    private static String reason(String option) {
        return switch (option) {
            case "autounpause" -> "autounpause has no meaning here: adding an event never pauses the target";
            case "autoflush" -> "autoflush has no meaning here: records are kept until the host takes them";
            default -> "'" + option + "' is not a setting";
        };
    }
}
