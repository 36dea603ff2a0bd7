package dev.hdbg.host.cli.commands;

import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code settings [OPTION [VALUE]]}, with the options hdbg has: {@code addressconversion on|off}, whether
 * addresses are shown with the symbol that holds them ({@code u}, breaks, {@code !track}), and {@code syntax
 * intel|att|masm}, the disassembly's syntax, and the agent's {@code breakonfatal on|off}: whether a program a signal
 * is about to end (an uncaught SIGSEGV, abort's SIGABRT) breaks first, as WinDbg breaks on a second-chance exception
 * and gdb stops at "Program received signal". HyperDbg's others ({@code autounpause}, {@code autoflush}) are refused
 * with the reason.
 */
@Command(name = "settings", description = {"Shows or changes a setting: settings, settings addressconversion|syntax|"
        + "breakonfatal, settings addressconversion on|off, settings syntax intel|att|masm, settings breakonfatal on|off"
        + " (the target breaks before a signal ends the program; the next g, t or p ends it)",
        "Example: settings syntax att"})
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
            if (session.connected()) {
                out().note(breakOnFatal());
            }
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
                    case "on" -> session.show().addressConversion(true);
                    case "off" -> session.show().addressConversion(false);
                    default -> throw new IllegalArgumentException("settings addressconversion takes on or off");
                }
            }
            case "syntax" -> {
                if (args.size() == 1) {
                    out().note(syntax());
                    return;
                }
                session.show().disassemblySyntax(switch (args.get(1).toLowerCase(Locale.ROOT)) {
                    case "intel" -> Disassembler.Syntax.INTEL;
                    case "att" -> Disassembler.Syntax.ATT;
                    case "masm" -> Disassembler.Syntax.MASM;
                    default -> throw new IllegalArgumentException("settings syntax takes intel, att or masm");
                });
            }
            case "breakonfatal" -> {
                if (!session.connected()) {
                    throw new AgentError(AgentError.Kind.CONNECTION, DebugSession.NOT_CONNECTED);
                }
                if (args.size() == 1) {
                    out().note(breakOnFatal());
                    return;
                }
                session.await(session.client().stopBeforeFatalSignals(switch (args.get(1).toLowerCase(Locale.ROOT)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("settings breakonfatal takes on or off");
                }));
            }
            default -> throw new IllegalArgumentException("settings: hdbg has addressconversion, syntax and "
                    + "breakonfatal; " + reason(option));
        }
        out().ok("settings");
    }

    private String conversion() {
        return "addressconversion " + (session.show().addressConversion() ? "on" : "off");
    }

    private String syntax() {
        return "syntax " + session.show().disassemblySyntax().name().toLowerCase(Locale.ROOT);
    }

    private String breakOnFatal() {
        return "breakonfatal " + (session.await(session.client().status()).stopsBeforeFatalSignals() ? "on" : "off");
    }

    private static String reason(String option) {
        return switch (option) {
            case "autounpause" -> "autounpause has no meaning here: adding an event never pauses the target";
            case "autoflush" -> "autoflush has no meaning here: records are kept until the host takes them";
            default -> "'" + option + "' is not a setting";
        };
    }
}
