package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code settings [OPTION [VALUE]]}, with the option hdbg has: {@code addressconversion on|off}, whether
 * addresses are shown with the symbol that holds them ({@code u}, breaks, {@code !track}). HyperDbg's others
 * ({@code autounpause}, {@code autoflush}, {@code syntax}) are refused with the reason.
 */
@Command(name = "settings", description = {"Shows or changes a setting: settings, settings addressconversion,"
        + " settings addressconversion on|off", "Example: settings addressconversion off"})
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
            out().note("addressconversion " + (session.addressConversion() ? "on" : "off"));
            return;
        }
        String option = args.getFirst().toLowerCase(Locale.ROOT);
        if (!option.equals("addressconversion")) {
            throw new IllegalArgumentException("settings: hdbg has addressconversion; " + reason(option));
        }
        if (args.size() == 1) {
            out().note("addressconversion " + (session.addressConversion() ? "on" : "off"));
            return;
        }
        switch (args.get(1).toLowerCase(Locale.ROOT)) {
            case "on" -> session.addressConversion(true);
            case "off" -> session.addressConversion(false);
            default -> throw new IllegalArgumentException("settings addressconversion takes on or off");
        }
        out().ok("settings");
    }

    private static String reason(String option) {
        return switch (option) {
            case "autounpause" -> "autounpause has no meaning here: adding an event never pauses the target";
            case "autoflush" -> "autoflush has no meaning here: records are kept until the host takes them";
            case "syntax" -> "the disassembly is in Intel syntax only";
            default -> "'" + option + "' is not a setting";
        };
    }
}
