package dev.hdbg.common.event;

import dev.hdbg.common.script.PseudoRegister;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pseudo-registers a log can record: the script language's ({@link PseudoRegister}), HyperDbg's names without the
 * '$', with the same meanings. Those that point to a string in a script ({@code $pname}, {@code $date},
 * {@code $time}) record the string's bytes in a log; the rest record their number (docs/scripts.md lists each).
 */
public final class PseudoRegisters {
    public static final Set<String> NAMES = Arrays.stream(PseudoRegister.values()).map(PseudoRegister::scriptName)
            .collect(Collectors.toUnmodifiableSet());

    private PseudoRegisters() {
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }
}
