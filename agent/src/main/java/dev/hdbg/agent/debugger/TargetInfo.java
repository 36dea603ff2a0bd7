package dev.hdbg.agent.debugger;

import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Symbol;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the debugger knows of the loaded program: its name and ids (for {@code $proc}, {@code $pid},
 * {@code $tid}), its symbols and its modules (for {@code x}, {@code lm} and addresses shown as
 * {@code symbol+0xNN}).
 */
public interface TargetInfo {
    String name();

    long pid();

    long tid();

    /** Symbols matching a WinDbg pattern ({@code *} any run, {@code ?} one character); all when empty. */
    List<Symbol> symbols(String pattern);

    List<LoadedModule> modules();

    /**
     * The debugger's view of process {@code pid} ({@code .process pid N} or {@code ~ N} selects it): its modules and
     * their symbols, which after an {@code execve} are another program's. This one when there is no such process or
     * the target has one. Execution thread.
     */
    default TargetInfo ofProcess(long pid) {
        return this;
    }

    /** The program's file on the agent's machine, whose debug information {@code dt} reads; empty for a raw image. */
    default Optional<Path> programFile() {
        return Optional.empty();
    }

    /**
     * The target's files by the absolute paths its program would open them by (beneath the agent's {@code --root}):
     * the host file where a regular one is, else empty; null for a target without files (a raw image).
     */
    default Function<String, Optional<Path>> files() {
        return null;
    }

    /**
     * A file of the target's {@code /proc/PID} as its program reads it ({@code auxv}, {@code cmdline} ...), made up by
     * its operating system; empty for any other path and for a target without one. Execution thread.
     */
    default Optional<byte[]> procFile(String path) {
        return Optional.empty();
    }

    /** A raw image: one process and thread (ids 1), no symbols, the image as its one module. */
    static TargetInfo raw(String name, long base, long end) {
        return new TargetInfo() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long pid() {
                return 1;
            }

            @Override
            public long tid() {
                return 1;
            }

            @Override
            public List<Symbol> symbols(String pattern) {
                return List.of();
            }

            @Override
            public List<LoadedModule> modules() {
                return List.of(new LoadedModule(name, base, end, List.of()));
            }
        };
    }
}
