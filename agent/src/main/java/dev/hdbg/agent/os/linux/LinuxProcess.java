package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The guest process's operating-system state, what Linux keeps in its {@code task_struct}: the descriptor table
 * (0 is the stdin file or an empty stream, 1 and 2 go to {@link ProcessIo}), the program break, the mmap area,
 * the working directory inside the sandbox root, and the exit status once the process has exited.
 *
 * <p>Owned by the execution thread, like the {@link Machine}; not thread-safe. {@link #close()} releases the host
 * files the guest left open; it does not close the machine.
 */
public final class LinuxProcess implements AutoCloseable {
    private final Machine machine;
    private final ProcessConfig config;
    private final UserMemory user;
    private final Sandbox sandbox;
    private final FdTable fds = new FdTable();
    private final ProgramBreak programBreak;
    private final MmapAllocator mmap;
    private final Mappings mappings = new Mappings();
    private final ProcessIo io;
    private final Timers timers = new Timers(new GuestClock());
    private final Signals signals;
    private final Scheduler scheduler;
    private final LoadedModules modules;
    private final VirtualFiles virtualFiles;
    private int umask = 022;
    private OptionalInt exitStatus = OptionalInt.empty();

    /**
     * Sets up the process with its standard descriptors.
     *
     * @param brkStart the initial program break: the end of the loaded image's data (bss)
     * @throws UncheckedIOException     when the root is missing or the stdin file cannot be opened
     * @throws IllegalArgumentException when the root is not a directory or {@code brkStart} is negative
     */
    public LinuxProcess(Machine machine, ProcessConfig config, ProcessIo io, long brkStart) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.config = Objects.requireNonNull(config, "config");
        this.io = Objects.requireNonNull(io, "io");
        this.signals = new Signals(this);
        this.scheduler = new Scheduler(machine.vcpus(), timers.clock(), config.pid(), config.tid());
        if (brkStart < 0) {
            throw new IllegalArgumentException("brkStart 0x" + Long.toHexString(brkStart) + " is not a user address");
        }
        this.user = new UserMemory(machine.memory());
        this.sandbox = new Sandbox(config.root());
        this.virtualFiles = new VirtualFiles(this);
        sandbox.setVirtual(virtualFiles);
        try {
            sandbox.chdir(sandbox.resolve("/", config.cwd(), true, false));
        } catch (IOException | SyscallException e) {
            throw new IllegalArgumentException("--cwd " + config.cwd() + " is not a directory beneath --root "
                    + config.root());
        }
        this.modules = new LoadedModules(path -> sandbox.find(path).map(Sandbox.Found::host));
        for (var region : machine.memory().regions()) {
            if (region.begin() >= 0) { // the loader's images and stack; the agent's kernel page is not the process's
                mappings.set(region.begin(), region.end(), new Mappings.Kind(
                        region.name().equals("stack") ? "[stack]" : region.name(), 0, 0));
            }
        }
        RegionBudget regions = new RegionBudget(machine.unicorn());
        this.programBreak = new ProgramBreak(machine.memory(), regions, brkStart);
        this.mmap = new MmapAllocator(machine, regions, programBreak);
        fds.install(stdin(config), 0, false);
        // A native run under a harness has stdout on a pipe: report one, so glibc buffers it the same way.
        fds.install(StreamFile.output(io::stdout, Stat.S_IFIFO | 0600, 2), 1, false);
        fds.install(StreamFile.output(io::stderr, Stat.S_IFCHR | 0620, 3), 2, false);
    }

    private static OpenFile stdin(ProcessConfig config) {
        if (config.stdin().isEmpty()) {
            return StreamFile.emptyInput();
        }
        Path file = config.stdin().get();
        try {
            return new HostFile(file, file.toString(), FileChannel.open(file, StandardOpenOption.READ), OpenFile.O_RDONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the stdin file " + file, e);
        }
    }

    public Machine machine() {
        return machine;
    }

    public ProcessConfig config() {
        return config;
    }

    /** The exit status once {@code exit} or {@code exit_group} ran; empty while the process lives. */
    public OptionalInt exitStatus() {
        return exitStatus;
    }

    /** Where the program break started. */
    public long brkStart() {
        return programBreak.start();
    }

    /** The current program break. */
    public long brk() {
        return programBreak.current();
    }

    /** The working directory as the guest names it ("/" is the sandbox root). */
    public String cwd() {
        return sandbox.cwd();
    }

    /** The ELF images loaded in the process: the program, its interpreter, its libraries. */
    public LoadedModules modules() {
        return modules;
    }

    /**
     * An image the loader placed before the process started: the program ({@code program}) or its interpreter, a
     * module with its symbols and a named range of {@code /proc/self/maps}.
     *
     * @param guestPath its canonical guest path
     * @param host      the file on the host
     */
    public void loadedImage(String guestPath, Path host, long bias, long begin, long end, boolean program) {
        modules.loaded(guestPath, host, bias, begin, end, program);
        long inode;
        try {
            inode = Stat.inode(Stat.of(host, true));
        } catch (SyscallException e) {
            inode = 0;
        }
        mappings.set(begin, end, new Mappings.Kind(guestPath, 0, inode));
    }

    /**
     * A CPU exception the thread raised at {@code rip}: delivered as the signal Linux sends for it ({@link Faults}),
     * to the program's handler or by its default action.
     *
     * @param address   a page fault's address
     * @param errorCode a page fault's error code
     * @return the signal's number, positive when its handler runs next (RIP and the registers are set for it), or
     *         negative when its default action ended the process (exit status 128 + the number)
     */
    public int fault(int vector, long rip, long address, long errorCode) {
        if (exitStatus.isPresent()) {
            throw new IllegalStateException("the process exited with status " + exitStatus.getAsInt());
        }
        boolean mapped = mappings.at(address).isPresent();
        SignalInfo info = Faults.signal(vector, rip, address, errorCode, mapped);
        SignalFrame.Trap trap = new SignalFrame.Trap(vector, errorCode, vector == 14 ? address : 0);
        return switch (signals.fault(info, rip, trap)) {
            case Signals.Delivery.Handler h -> h.signal();
            case Signals.Delivery.Killed k -> {
                exit(128 + k.signal());
                yield -k.signal();
            }
            case Signals.Delivery.None n -> throw new IllegalStateException("signal " + info.signal()
                    + " of a fault was neither delivered nor fatal");
        };
    }

    /**
     * A path as a system call names it: absolute, or relative to the working directory ({@code AT_FDCWD}) or to the
     * directory open as {@code dirfd}.
     *
     * @throws SyscallException ENOTDIR when {@code dirfd} is not a directory, and the resolution's failures
     */
    Sandbox.Resolved resolve(int dirfd, String path, boolean follow, boolean forWrite) throws IOException {
        String base;
        if (path.startsWith("/") || dirfd == PathSyscalls.AT_FDCWD) {
            base = sandbox.cwd();
        } else if (fds.get(dirfd) instanceof DirectoryFile directory) {
            base = directory.guestPath();
        } else {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return sandbox.resolve(base, path, follow, forWrite);
    }

    VirtualFiles virtualFiles() {
        return virtualFiles;
    }

    /** The sandbox the process's paths resolve in. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** Closes every descriptor the guest still holds. */
    @Override
    public void close() {
        try {
            fds.closeAll();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the guest's files", e);
        }
    }

    void exit(int status) {
        exitStatus = OptionalInt.of(status & 0xff);
    }

    UserMemory user() {
        return user;
    }

    ProcessIo io() {
        return io;
    }

    /** The process's threads, and which of them runs. */
    Scheduler scheduler() {
        return scheduler;
    }

    Signals signals() {
        return signals;
    }

    Timers timers() {
        return timers;
    }

    Mappings mappings() {
        return mappings;
    }

    FdTable fds() {
        return fds;
    }

    ProgramBreak programBreak() {
        return programBreak;
    }

    MmapAllocator mmap() {
        return mmap;
    }

    int umask() {
        return umask;
    }

    void setUmask(int value) {
        umask = value & 0777;
    }
}
