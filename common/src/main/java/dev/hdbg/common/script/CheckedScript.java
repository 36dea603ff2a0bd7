package dev.hdbg.common.script;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A script that parsed and passed every check: each name resolved, each call's arguments counted and kinded, each
 * printf format parsed. The agent compiles one of these.
 *
 * @param source  the text, for the positions of run-time errors
 * @param program the resolved tree
 * @param globals the global variables the script names, without their dot, in the order the text names them
 */
public record CheckedScript(SourceText source, Program program, Set<String> globals) {
    public CheckedScript {
        globals = Collections.unmodifiableSet(new LinkedHashSet<>(globals));
    }
}
