package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code lm [m NAME] [pid PID] [um|km]}: the loaded modules, those whose name contains NAME
 * (case-insensitive) with {@code m}. Every module of the target is a user-mode one: {@code um} lists them all,
 * {@code km} none (the emulated machine runs no kernel modules); {@code pid} names the one process.
 */
@Command(name = "lm", description = {"Lists the loaded modules with their sections (ELF targets; a raw image has none):",
        "  lm [m NAME] [pid PID] [um|km]   m: only the modules whose name contains NAME (any case)",
        "Examples: lm   lm m libc"})
final class ModulesCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "[m NAME] [pid PID] [um|km]")
    List<String> args = new ArrayList<>();

    ModulesCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        String name = null;
        boolean kernel = false;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i).toLowerCase(Locale.ROOT);
            switch (word) {
                case "m", "pid" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("lm " + word + " takes a value, e.g. lm m libc or lm pid 1");
                    }
                    if (word.equals("m")) {
                        name = args.get(++i).toLowerCase(Locale.ROOT);
                    } else {
                        i++; // one process: its modules whatever the pid, as lm without pid
                    }
                }
                case "um" -> kernel = false;
                case "km" -> kernel = true;
                default -> throw new IllegalArgumentException("lm takes m NAME, pid PID, um or km, not '" + args.get(i)
                        + "', e.g. lm m libc");
            }
        }
        List<LoadedModule> modules = session.await(session.client().listModules());
        String contains = name;
        out().modules(kernel ? List.of() : modules.stream()
                .filter(m -> contains == null || m.name().toLowerCase(Locale.ROOT).contains(contains)).toList());
    }
}
