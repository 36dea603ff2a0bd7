package dev.hdbg.agent.debugger;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the agent's target is started again ({@code .restart}, {@code .start path}): given by the agent's wiring, which
 * knows what the target is (a raw image, a sample, a Linux program). The debugger empties the machine between
 * {@link #prepare} and {@link Start#load}; events, breakpoints and the record sequence stay.
 */
public interface TargetStarter {
    /**
     * What to start instead of the target as last started.
     *
     * @param path the program, as the program's own file system names it (beneath the agent's {@code --root})
     * @param args argv[1..]
     */
    record Program(String path, List<String> args) {
        public Program {
            Objects.requireNonNull(path, "path");
            args = List.copyOf(args);
        }
    }

    /**
     * Checks what is to be started, before anything changes.
     *
     * @param program empty for the target as last started ({@code .restart}), else the program to start
     * @throws IllegalArgumentException saying why when it cannot be started (no such file, a raw target given a path)
     */
    Start prepare(Optional<Program> program) throws IOException;

    /** A start that was checked; loaded on the execution thread. */
    interface Start {
        /**
         * Loads the target into the emptied machine and gives the debugger its system calls and what it is
         * ({@link Debugger#setSystemCalls}, {@link Debugger#setTarget}).
         *
         * @throws IllegalArgumentException when the program cannot be loaded after all (not an ELF file ...)
         */
        void load(Debugger debugger) throws IOException;
    }
}
