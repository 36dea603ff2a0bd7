package dev.hdbg.agent;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.TargetInfo;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.elf.ElfLoader;
import dev.hdbg.agent.machine.elf.LoadedElf;
import dev.hdbg.agent.os.linux.LinuxProcess;
import dev.hdbg.agent.os.linux.ProcessConfig;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Section;
import dev.hdbg.common.model.Symbol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A static Linux x86-64 executable as the target: loaded as the kernel would ({@link ElfLoader}),
 * run with the Linux system-call layer beneath {@code root}.
 *
 * @param file     the executable
 * @param args     argv[1..]; argv[0] is the file name
 * @param env      the environment, {@code K=V}
 * @param root     the directory the program sees as {@code /}
 * @param writable whether it may create and change files there
 * @param stdin    its standard input; empty = an empty stream
 */
public record ElfTarget(Path file, List<String> args, List<String> env, Path root, boolean writable, Optional<Path> stdin)
        implements Target {
    /** The program's process and thread id, as $pid and $tid show them. */
    public static final long PID = 1000;

    public ElfTarget {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }

    /** Loads the program paused at its entry and gives the debugger its system-call layer and symbols. */
    void load(Machine machine, Debugger debugger) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ELF file not found: " + file);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--root is not a directory: " + root);
        }
        String name = file.getFileName().toString();
        List<String> argv = new ArrayList<>();
        argv.add(file.toString());
        argv.addAll(args);
        LoadedElf elf = ElfLoader.load(machine, file.toString(), Target.readImage(file, "--elf"), argv, env, ElfLoader.DEFAULT_PIE_BASE);
        machine.loaded(name + " (ELF, static, entry 0x" + Long.toHexString(elf.entry()) + ")", elf.entry());
        // /proc/self/exe is absolute with links resolved, as Linux's: glibc's _dl_get_origin asserts so
        // (a relative --elf aborted the program).
        ProcessConfig config = new ProcessConfig(root.toAbsolutePath().normalize(), writable, stdin,
                file.toRealPath().toString(), argv, PID, PID);
        LinuxProcess process = new LinuxProcess(machine, config, LinuxProgram.recordsTo(debugger.records()), elf.brkStart());
        debugger.setSystemCalls(new LinuxProgram(process, debugger.records()));
        debugger.setTarget(info(name, elf));
    }

    private static TargetInfo info(String name, LoadedElf elf) {
        List<Section> sections = elf.sections().stream()
                .map(s -> new Section(s.name(), s.address(), s.size(), s.flags())).toList();
        long base = sections.stream().mapToLong(Section::address).min().orElse(elf.loadBias());
        long end = sections.stream().mapToLong(s -> s.address() + s.size()).max().orElse(base);
        return new TargetInfo() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long pid() {
                return PID;
            }

            @Override
            public long tid() {
                return PID;
            }

            @Override
            public List<Symbol> symbols(String pattern) {
                var found = pattern.isEmpty() ? elf.symbols().all() : elf.symbols().matching(pattern);
                return found.stream().map(s -> new Symbol(s.name(), s.address(), s.size(), s.kind())).toList();
            }

            @Override
            public List<LoadedModule> modules() {
                return List.of(new LoadedModule(name, base, end, sections));
            }
        };
    }
}
