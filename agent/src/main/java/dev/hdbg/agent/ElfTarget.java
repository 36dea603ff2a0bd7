package dev.hdbg.agent;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.elf.ElfImage;
import dev.hdbg.agent.machine.elf.ElfLoader;
import dev.hdbg.agent.machine.elf.ElfParser;
import dev.hdbg.agent.machine.elf.LoadedElf;
import dev.hdbg.agent.machine.elf.Vdso;
import dev.hdbg.agent.os.linux.Credentials;
import dev.hdbg.agent.os.linux.LinuxProcess;
import dev.hdbg.agent.os.linux.OutsideWorld;
import dev.hdbg.agent.os.linux.ProcessConfig;
import dev.hdbg.agent.os.linux.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Linux x86-64 program as the target, static or dynamically linked: loaded as the kernel would
 * ({@link ElfLoader}), its interpreter read from beneath {@code root}, run with the Linux system-call layer
 * beneath {@code root}.
 *
 * @param file         the executable
 * @param args         argv[1..]; argv[0] is the file name as given
 * @param env          the environment, {@code K=V}
 * @param root         the directory the program sees as {@code /}
 * @param writable     whether it may create and change files anywhere there
 * @param stdin        its standard input; empty = an empty stream
 * @param cwd          its working directory at the start, a guest path
 * @param writableDirs guest directories it may write beneath even when the root is read-only
 * @param tmpfsDirs    guest directories that are its own, empty at the start, as tmpfs mounts ({@code --tmpfs})
 * @param forwards     the host ports that reach its TCP servers ({@code --forward})
 */
public record ElfTarget(Path file, List<String> args, List<String> env, Path root, boolean writable, Optional<Path> stdin,
                        String cwd, List<String> writableDirs, List<String> tmpfsDirs, PortForwards forwards)
        implements Target {
    /** The program's process and thread id, as $pid and $tid show them. */
    public static final long PID = 1000;

    public ElfTarget {
        args = List.copyOf(args);
        env = List.copyOf(env);
        writableDirs = List.copyOf(writableDirs);
        tmpfsDirs = List.copyOf(tmpfsDirs);
    }

    /** A program started in "/" that may write nowhere else than with {@code writable}. */
    public ElfTarget(Path file, List<String> args, List<String> env, Path root, boolean writable, Optional<Path> stdin) {
        this(file, args, env, root, writable, stdin, "/", List.of(), List.of(), PortForwards.NONE);
    }

    /**
     * Loads the program paused at its entry and gives the debugger its system-call layer and symbols.
     *
     * @return the program's process, which holds the host files it opens until it is closed
     */
    LinuxProcess load(Machine machine, Debugger debugger) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ELF file not found: " + file);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--root is not a directory: " + root);
        }
        Sandbox sandbox = new Sandbox(root);
        String name = file.getFileName().toString();
        List<String> argv = new ArrayList<>();
        argv.add(file.toString());
        argv.addAll(args);
        byte[] bytes = Target.readImage(file, "--elf");
        ElfImage image = ElfParser.parse(file.toString(), bytes);
        Optional<Sandbox.Found> interpreter = image.interpreter().map(path -> sandbox.find(path).orElseThrow(() ->
                new IllegalArgumentException("'" + file + "' is dynamically linked and its interpreter " + path
                        + " is not beneath --root " + root + "; give the root its libraries come from (--root / for"
                        + " the host's)")));
        Optional<ElfLoader.Executable> loader = Optional.empty();
        if (interpreter.isPresent()) {
            loader = Optional.of(new ElfLoader.Executable(interpreter.get().guestPath(),
                    Files.readAllBytes(interpreter.get().host())));
        }
        LoadedElf elf = ElfLoader.load(machine, new ElfLoader.Executable(file.toString(),
                file.toAbsolutePath().normalize().toString(), bytes), loader,
                new ElfLoader.Process(argv, env, Credentials.UID, Credentials.GID, new SecureRandom()),
                ElfLoader.DEFAULT_PIE_BASE, Vdso.image());
        machine.loaded(name + " (ELF, " + (interpreter.isPresent() ? "dynamically linked" : "static") + ", entry 0x"
                + Long.toHexString(elf.programEntry()) + ")", elf.entry());
        // /proc/self/exe is absolute with links resolved, as the kernel's d_path of the executable.
        String executable = sandbox.guestPathOf(file).orElse(file.toAbsolutePath().normalize().toString());
        ProcessConfig config = new ProcessConfig(sandbox.root(), writable, stdin, file.toString(), argv, PID, PID, cwd,
                executable, writableDirs, tmpfsDirs, elf.auxv(), env);
        LinuxProcess process = new LinuxProcess(machine, config, LinuxProgram.recordsTo(debugger.records()), elf.brkStart());
        process.loadedImage(executable, file, elf.loadBias(), elf.imageBegin(), elf.imageEnd(), true);
        elf.interpreter().ifPresent(ld -> process.loadedImage(ld.path(), interpreter.get().host(), ld.bias(), ld.begin(),
                ld.end(), false));
        process.useCpuid(debugger::cpuidHere);
        if (forwards.any()) { // host programs may connect: the machine waits for them in real time
            OutsideWorld world = forwards.newWorld();
            process.connect(world);
            world.onArrival(debugger::wakeForOutside);
        }
        debugger.setSystemCalls(new LinuxProgram(process, debugger.records()));
        debugger.setTarget(new ProgramInfo(name, PID, process.modules(), file, elf.sections(), process::modulesOf,
                path -> sandbox.find(path).map(Sandbox.Found::host), process::procFile));
        return process;
    }

    /**
     * This target with another program and arguments ({@code .start path}): {@code guestPath} is found beneath the
     * root, as the program itself would name it.
     *
     * @throws IllegalArgumentException when no regular file is there
     */
    ElfTarget withProgram(String guestPath, List<String> arguments) {
        Sandbox.Found found = new Sandbox(root).find(guestPath).orElseThrow(() -> new IllegalArgumentException(
                "no program file " + guestPath + " beneath the agent's --root " + root));
        return new ElfTarget(found.host(), arguments, env, root, writable, stdin, cwd, writableDirs, tmpfsDirs,
                forwards);
    }
}
