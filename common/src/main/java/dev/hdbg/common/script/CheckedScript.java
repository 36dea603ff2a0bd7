package dev.hdbg.common.script;

import java.util.Set;

/**
 * A script that parsed and passed every check: each name resolved, each call's arguments counted and kinded, each
 * printf format parsed. The agent compiles one of these.
 *
 * @param source  the text, for the positions of run-time errors
 * @param program the resolved tree
 * @param globals the global variables the script names, without their dot
 */
public record CheckedScript(SourceText source, Program program, Set<String> globals) {
    public CheckedScript {
        globals = Set.copyOf(globals);
    }
}
