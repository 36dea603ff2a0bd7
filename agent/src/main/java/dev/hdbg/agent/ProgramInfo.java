package dev.hdbg.agent;

import dev.hdbg.agent.debugger.TargetInfo;
import dev.hdbg.agent.machine.elf.LoadedElf;
import dev.hdbg.agent.machine.elf.Symbols;
import dev.hdbg.agent.os.linux.LoadedModules;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.Section;
import dev.hdbg.common.model.Symbol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * What the debugger knows of a Linux program: its modules as the process has them loaded now (the program, the
 * interpreter, each library), and their symbols. The program's symbols are named plainly ({@code main}); every
 * other module's carry WinDbg's module prefix ({@code libc!malloc}), so the host can tell them apart, symbolize
 * addresses in libraries and resolve {@code libc!malloc} in an expression. Read from the server's threads while the
 * guest runs: the module list is an immutable snapshot. Each process has its own ({@link #ofProcess}): a forked child
 * starts with its parent's, an {@code execve} replaces them with the new program's.
 */
final class ProgramInfo implements TargetInfo {
    private final String name;
    private final long pid;
    private final LoadedModules modules;
    /** The program started: its file on the host, and its sections (another program's are not kept). */
    private final Path programHost;
    private final List<Section> programSections;
    /** Another process's modules, by pid; execution thread only. */
    private final LongFunction<Optional<LoadedModules>> processes;
    /** The program's files beneath its root ({@link #files}). */
    private final Function<String, Optional<Path>> files;
    private final Function<String, Optional<byte[]>> procFiles;

    /**
     * @param programHost the program started, whose {@code sections} these are
     * @param processes   the modules of a process by pid (empty when there is none)
     * @param files       the host's regular file for a path beneath the program's root
     * @param procFiles   a file of {@code /proc/PID} as the guest reads it
     */
    ProgramInfo(String name, long pid, LoadedModules modules, Path programHost, List<LoadedElf.Section> sections,
                LongFunction<Optional<LoadedModules>> processes, Function<String, Optional<Path>> files,
                Function<String, Optional<byte[]>> procFiles) {
        this(name, pid, modules, programHost, processes,
                sections.stream().map(s -> new Section(s.name(), s.address(), s.size(), s.flags())).toList(), files,
                procFiles);
    }

    private ProgramInfo(String name, long pid, LoadedModules modules, Path programHost,
                        LongFunction<Optional<LoadedModules>> processes, List<Section> sections,
                        Function<String, Optional<Path>> files, Function<String, Optional<byte[]>> procFiles) {
        this.name = name;
        this.pid = pid;
        this.modules = modules;
        this.programHost = programHost;
        this.programSections = sections;
        this.processes = processes;
        this.files = files;
        this.procFiles = procFiles;
    }

    @Override
    public TargetInfo ofProcess(long other) {
        if (other == pid) {
            return this;
        }
        return processes.apply(other).<TargetInfo>map(m -> new ProgramInfo(name, other, m, programHost, processes,
                programSections, files, procFiles)).orElse(this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long tid() {
        return pid;
    }

    /**
     * WinDbg's {@code x}: {@code PATTERN} searches every module, {@code MODULE!PATTERN} the modules whose name (or
     * file name) matches {@code MODULE}; both parts take {@code *} and {@code ?}.
     */
    @Override
    public List<Symbol> symbols(String pattern) {
        int bang = pattern.indexOf('!');
        String modulePattern = bang >= 0 ? pattern.substring(0, bang) : "*";
        String symbolPattern = bang >= 0 ? pattern.substring(bang + 1) : pattern;
        List<Symbol> found = new ArrayList<>();
        for (LoadedModules.Module m : modules.all()) {
            String file = m.path().substring(m.path().lastIndexOf('/') + 1);
            if (!Symbols.wildcardMatches(modulePattern, m.name()) && !Symbols.wildcardMatches(modulePattern, file)) {
                continue;
            }
            Symbols symbols = m.symbols().get();
            List<Symbols.Symbol> matching = symbolPattern.isEmpty() || symbolPattern.equals("*") ? symbols.all()
                    : symbols.matching(symbolPattern);
            String prefix = m.program() ? "" : m.name() + "!";
            for (Symbols.Symbol s : matching) {
                found.add(new Symbol(prefix + s.name(), s.address(), s.size(), s.kind()));
            }
        }
        return found;
    }

    /** The processes share one root (the agent's {@code --root}), as after one {@code chroot}. */
    @Override
    public Function<String, Optional<Path>> files() {
        return files;
    }

    @Override
    public Optional<byte[]> procFile(String path) {
        return procFiles.apply(path);
    }

    @Override
    public Optional<Path> programFile() {
        return modules.all().stream().filter(LoadedModules.Module::program).map(LoadedModules.Module::host).findFirst();
    }

    /**
     * The program's module is named as the program started is ({@code --elf}'s file name) while it is that file;
     * a program an {@code execve} loaded is named by its own file name, without the sections (not kept).
     */
    @Override
    public List<LoadedModule> modules() {
        return modules.all().stream().map(m -> {
            if (!m.program()) {
                return new LoadedModule(m.name(), m.begin(), m.end(), List.of());
            }
            boolean started = m.host().equals(programHost);
            return new LoadedModule(started ? name : m.path().substring(m.path().lastIndexOf('/') + 1), m.begin(),
                    m.end(), started ? programSections : List.of());
        }).toList();
    }
}
