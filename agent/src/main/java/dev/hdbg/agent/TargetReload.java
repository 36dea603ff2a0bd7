package dev.hdbg.agent;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.TargetStarter;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.os.linux.LinuxProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent's target again for {@code .restart} and {@code .start path}: the same {@link Target} as last
 * started, loaded as {@link AgentRuntime} first loaded it, or, for a Linux program, another program found beneath
 * the same {@code --root} with its own arguments. The process of the program that ran before is closed, so the host
 * files it held are released.
 */
final class TargetReload implements TargetStarter {
    private static final Logger LOG = LoggerFactory.getLogger(TargetReload.class);

    private final Machine machine;
    /** The target as last started; read by a network thread in {@link #prepare}, written by the execution thread. */
    private volatile Target target;
    /** The running program's process; execution thread only. */
    private LinuxProcess process;

    TargetReload(Machine machine, Target target, LinuxProcess process) {
        this.machine = machine;
        this.target = target;
        this.process = process;
    }

    @Override
    public Start prepare(Optional<Program> program) throws IOException {
        Target next = target;
        if (program.isPresent()) {
            if (!(next instanceof ElfTarget elf)) {
                throw new IllegalArgumentException("a raw image or sample starts again only as it is (.restart);"
                        + " .start path needs an agent started with --elf");
            }
            next = elf.withProgram(program.get().path(), program.get().args());
        }
        if (next instanceof ElfTarget elf && !Files.isRegularFile(elf.file())) {
            throw new IllegalArgumentException("the program file " + elf.file() + " is no longer there");
        }
        Target chosen = next;
        return debugger -> load(chosen, debugger);
    }

    private void load(Target next, Debugger debugger) throws IOException {
        if (process != null) {
            closeProcess();
        }
        debugger.setSystemCalls(null);
        switch (next) {
            case Target.Raw image -> debugger.setTarget(image.loadInto(machine));
            case Target.Sample sample -> debugger.setTarget(sample.loadInto(machine));
            case ElfTarget elf -> process = elf.load(machine, debugger);
        }
        target = next;
    }

    private void closeProcess() {
        try {
            process.close();
        } catch (UncheckedIOException e) {
            // The old program's files could not all be closed: the new one starts regardless, as after an exit.
            LOG.warn("closing the previous program's files failed", e);
        } finally {
            process = null;
        }
    }
}
