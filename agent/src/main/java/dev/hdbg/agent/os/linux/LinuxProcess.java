package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.AddressSpace;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.unicorn.X86Reg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A guest process's operating-system state, what Linux keeps in its {@code task_struct}: the descriptor table
 * (0 is the stdin file or an empty stream, 1 and 2 go to {@link ProcessIo}), the program break, the mmap area,
 * the working directory inside the sandbox root, its parent, and the exit status once the process has exited. The
 * program started is the first process ({@link #LinuxProcess(Machine, ProcessConfig, ProcessIo, long)}); {@link #fork}
 * makes the others, which the {@link ProcessTable} holds. Its memory is the machine's while one of its threads runs,
 * else {@link #park parked}. The class is over 400 lines because it is the one owner of a process's state, which
 * fork and execve must copy or reset field by field; what the calls do with it lives in the *Syscalls classes.
 *
 * <p>Owned by the execution thread, like the {@link Machine}; not thread-safe. {@link #close()} releases the host
 * files the guest left open; it does not close the machine.
 */
public final class LinuxProcess implements AutoCloseable {
    private final Machine machine;
    private ProcessConfig config;
    private final UserMemory user;
    private final Sandbox sandbox;
    private final FdTable fds;
    private ProgramBreak programBreak;
    private MmapAllocator mmap;
    private Mappings mappings;
    private final ProcessIo io;
    private final ProcessTable table;
    private final Timers timers;
    private final Signals signals;
    private final Scheduler scheduler;
    private final LoadedModules modules;
    private final VirtualFiles virtualFiles;
    private final RegionBudget regions;
    private int umask = 022;
    /** Its nice value, -20 to 19 (setpriority): kept and reported; the scheduler gives every thread the same turns. */
    private int nice;
    /** Its scheduling policy and I/O priority (sched_setscheduler, ioprio_set): kept and reported, as the nice value. */
    private SchedulingSettings scheduling = new SchedulingSettings();
    /** Its resource limits (setrlimit, prlimit, ulimit): inherited by a fork, kept by an exec. */
    private ResourceLimits limits = new ResourceLimits();
    /** What prctl set: the parent-death signal, no_new_privs, the subreaper flag ... */
    private ProcessControls controls = new ProcessControls();
    /** Whether a stop signal stopped it, and what its parent has not seen of that in a wait. */
    private final JobState jobs = new JobState();
    private OptionalInt exitStatus = OptionalInt.empty();
    private Optional<SignalInfo> fatalSignal = Optional.empty();
    private int killedBy;
    private boolean execed;
    private long parentPid;
    /**
     * Its process group and session (setpgid, setsid): the first process leads a group of its own in the session of
     * whoever started it (outside the machine, as a shell's job is); a forked child is in its parent's.
     */
    private long processGroup;
    private long session;
    /** Whether it ran another program since it was forked: its parent may then no longer move it (setpgid). */
    private boolean execedSinceFork;
    /** When it was made, on the guest's monotonic clock (/proc/PID/stat's start time). */
    private final long startedAt;
    /** The process's memory while another's is on the CPU. */
    private AddressSpace parked;
    /** The vfork parent whose memory this process runs in until it execs or ends ({@link #vforkChild}); else null. */
    private LinuxProcess borrowedFrom;
    /** What a vfork parent waits on until this child runs another program or ends. */
    private final Object vforkDone = new Object() {
        @Override
        public String toString() {
            return "its vfork child " + config.pid() + " to exec or exit";
        }
    };

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
        this.table = new ProcessTable(machine, config.pid(), config.executable(), config.tmpfsDirs());
        this.timers = new Timers(table.clock());
        this.signals = new Signals(this);
        this.scheduler = table.scheduler();
        this.fds = new FdTable();
        fds.onClose(file -> table.recordLocks().closed(pid(), file));
        this.mappings = new Mappings();
        this.parentPid = INIT_PARENT;
        this.processGroup = config.pid();
        this.session = INIT_PARENT;
        this.startedAt = table.clock().monotonic();
        if (brkStart < 0) {
            throw new IllegalArgumentException("brkStart 0x" + Long.toHexString(brkStart) + " is not a user address");
        }
        this.user = new UserMemory(machine.memory());
        this.sandbox = new Sandbox(config.root(), table.privateDirectories());
        this.virtualFiles = new VirtualFiles(this);
        sandbox.setVirtual(virtualFiles);
        try {
            sandbox.chdir(sandbox.resolve("/", config.cwd(), true));
        } catch (IOException | SyscallException e) {
            throw new IllegalArgumentException("--cwd " + config.cwd() + " is not a directory beneath --root "
                    + config.root() + (table.privateDirectories().covering(config.cwd()) != null
                    ? " (it is in a --tmpfs directory, which starts empty)" : ""));
        }
        this.modules = new LoadedModules(path -> sandbox.find(path).map(Sandbox.Found::host));
        for (var region : machine.memory().regions()) {
            if (region.begin() >= 0) { // the loader's images and stack; the agent's kernel page is not the process's
                mappings.set(region.begin(), region.end(), new Mappings.Kind(
                        region.name().equals("stack") ? "[stack]" : region.name(), 0, 0));
            }
        }
        this.regions = new RegionBudget(machine.unicorn(), machine.memory()::isIdle);
        this.programBreak = new ProgramBreak(machine.memory(), regions, brkStart);
        this.mmap = new MmapAllocator(machine, regions, programBreak);
        fds.install(stdin(config), 0, false);
        // A native run under a harness has stdout on a pipe: report one, so glibc buffers it the same way.
        fds.install(StreamFile.output(io::stdout, Stat.S_IFIFO | 0600, 2), 1, false);
        fds.install(StreamFile.output(io::stderr, Stat.S_IFCHR | 0620, 3), 2, false);
        table.init(this, config.tid());
    }

    /**
     * Lets {@code world} reach the machine ({@code --forward}): its waits then run in real time, and it idles when no
     * thread can run. Before the program runs.
     */
    public void connect(OutsideWorld world) {
        table.scheduler().connect(world);
        world.attach(table);
    }

    /** The first process's parent, as getppid reports it: init. */
    private static final long INIT_PARENT = 1;

    /**
     * A forked child of {@code parent}: a copy of its state, {@code memory} a copy of its memory; or, {@code memory}
     * null, a vfork child that runs in the parent's memory itself (and its mappings, break and mmap area) until it
     * execs or ends.
     */
    private LinuxProcess(LinuxProcess parent, long pid, AddressSpace memory) {
        ProcessConfig p = parent.config;
        this.machine = parent.machine;
        this.config = new ProcessConfig(p.root(), p.writable(), p.stdin(), p.programName(), p.argv(), pid, pid,
                parent.sandbox.cwd(), p.executable(), p.writableDirs(), p.tmpfsDirs(), p.auxv(),
                p.environment());
        this.io = parent.io;
        this.table = parent.table;
        this.timers = new Timers(table.clock()); // timers are not inherited
        this.signals = new Signals(this);
        signals.inheritFrom(parent.signals);
        this.scheduler = table.scheduler();
        this.user = parent.user;
        this.sandbox = new Sandbox(p.root(), table.privateDirectories());
        this.virtualFiles = new VirtualFiles(this);
        sandbox.setVirtual(virtualFiles);
        try {
            sandbox.chdir(sandbox.resolve("/", parent.sandbox.cwd(), true));
        } catch (IOException | SyscallException e) {
            throw new IllegalStateException("the parent's working directory " + parent.sandbox.cwd() + " is gone", e);
        }
        this.modules = new LoadedModules(path -> sandbox.find(path).map(Sandbox.Found::host));
        modules.copyFrom(parent.modules);
        this.regions = parent.regions;
        if (memory == null) {
            this.borrowedFrom = parent.memoryOwner(); // a vfork child's own vfork child runs in the same memory
            this.mappings = parent.mappings;
            this.programBreak = parent.programBreak;
            this.mmap = parent.mmap;
        } else {
            this.mappings = parent.mappings.copy();
            this.programBreak = parent.programBreak.copy();
            this.mmap = parent.mmap.copy(programBreak);
        }
        this.fds = parent.fds.copy();
        fds.onClose(file -> table.recordLocks().closed(pid(), file));
        this.umask = parent.umask;
        this.nice = parent.nice;
        this.scheduling = parent.scheduling.forChild();
        this.limits = parent.limits.copy();
        this.controls = parent.controls.forChild();
        this.parentPid = parent.pid();
        this.processGroup = parent.processGroup;
        this.session = parent.session;
        this.startedAt = table.clock().monotonic();
        this.parked = memory;
    }

    /**
     * fork: a child with a copy of this process's memory, descriptors, signal actions and working directory, off the
     * CPU until its first thread is scheduled.
     *
     * @throws SyscallException EAGAIN when {@link ProcessTable#MAX} processes exist, ENOMEM when the host has no
     *                          memory for the copy
     */
    LinuxProcess fork(long pid) {
        if (table.full()) {
            throw new SyscallException(Errno.EAGAIN);
        }
        AddressSpace copy;
        try {
            copy = machine.memory().copy();
        } catch (dev.hdbg.agent.machine.HostMemoryException e) {
            throw new SyscallException(Errno.ENOMEM);
        }
        LinuxProcess child = new LinuxProcess(this, pid, copy);
        table.add(child);
        return child;
    }

    /**
     * vfork, and clone with CLONE_VM and CLONE_VFORK (glibc's posix_spawn): a child that runs in this process's memory
     * itself while this process waits, so that what it writes there before it execs or ends is the parent's (glibc's
     * posix_spawn child writes the exec's error there: without it, spawning a missing program returned 0).
     *
     * @throws SyscallException EAGAIN when {@link ProcessTable#MAX} processes exist
     */
    LinuxProcess vforkChild(long pid) {
        if (table.full()) {
            throw new SyscallException(Errno.EAGAIN);
        }
        LinuxProcess child = new LinuxProcess(this, pid, null);
        table.add(child);
        return child;
    }

    /**
     * This vfork child's parent {@code owner} ended while it ran in the parent's memory: the memory is this process's
     * now (parked here if it is off the CPU).
     */
    void inherit(LinuxProcess owner) {
        borrowedFrom = null;
        if (owner.parked != null) {
            parked = owner.parked;
            owner.parked = null;
        }
    }

    /** This vfork child runs in {@code owner}'s memory from now on (its parent's heir's, {@link #inherit}). */
    void borrowFrom(LinuxProcess owner) {
        borrowedFrom = owner;
    }

    /** The process whose memory this one runs in: its vfork parent until it execs or ends, else itself. */
    LinuxProcess memoryOwner() {
        return borrowedFrom == null ? this : borrowedFrom;
    }

    /**
     * execve's point of no return: the process's memory is emptied (the caller then loads the new program into it) and
     * what belonged to the old program goes: its mappings, the descriptors marked close-on-exec, the signal handlers.
     * A vfork child gives its parent's memory back instead, and gets memory of its own.
     */
    void exec() throws IOException {
        if (borrowedFrom != null) {
            table.giveBack(this, borrowedFrom);
            borrowedFrom = null;
        } else {
            machine.memory().release(machine.memory().detach());
        }
        this.mappings = new Mappings();
        modules.clear();
        fds.closeOnExec();
        signals.resetForExec();
        controls.exec();
        table.scheduler().wakeAll(vforkDone);
        execed = true;
        execedSinceFork = true;
    }

    /** Whether an execve replaced the program since the last call of this. */
    boolean takeExeced() {
        boolean was = execed;
        execed = false;
        return was;
    }

    /** After {@link #exec}: the new program's break once the loader placed it, and {@code next} describing it. */
    void execLoaded(long brkStart, ProcessConfig next) {
        this.config = next;
        this.programBreak = new ProgramBreak(machine.memory(), regions, brkStart);
        this.mmap = new MmapAllocator(machine, regions, programBreak);
        for (var region : machine.memory().regions()) {
            if (region.begin() >= 0) {
                mappings.set(region.begin(), region.end(), new Mappings.Kind(
                        region.name().equals("stack") ? "[stack]" : region.name(), 0, 0));
            }
        }
    }

    /** This process's id. */
    public long pid() {
        return config.pid();
    }

    /** The parent's id, as getppid says: 1 for the program started. */
    long parentPid() {
        return parentPid;
    }

    void reparent(long pid) {
        parentPid = pid;
    }

    int nice() {
        return nice;
    }

    void setNice(int value) {
        nice = value;
    }

    SchedulingSettings scheduling() {
        return scheduling;
    }

    ProcessControls controls() {
        return controls;
    }

    JobState jobs() {
        return jobs;
    }

    ResourceLimits limits() {
        return limits;
    }

    /** Its process group's id (getpgid). */
    long processGroup() {
        return processGroup;
    }

    /** Its session's id (getsid). */
    long session() {
        return session;
    }

    /** setpgid's change, checked by the caller. */
    void joinGroup(long pgid) {
        processGroup = pgid;
    }

    /** setsid's change, checked by the caller: the process leads a new session and a new group in it. */
    void startSession() {
        session = pid();
        processGroup = pid();
    }

    /** When it was made, in the guest's monotonic nanoseconds. */
    long startedAt() {
        return startedAt;
    }

    /** Whether it ran another program since it was forked (setpgid's EACCES). */
    boolean execedSinceFork() {
        return execedSinceFork;
    }

    /** Whether the process ended: its status waits for the parent. */
    boolean ended() {
        return exitStatus.isPresent();
    }

    /** The signal that killed the process, or 0 when it exited (or lives). */
    int killedBy() {
        return killedBy;
    }

    /** Ends the process as {@code info}'s signal's default action does, keeping what sent it (gdb's $_siginfo). */
    void killed(SignalInfo info) {
        fatalSignal = Optional.of(info);
        killed(info.signal());
    }

    /** What sent the signal that killed the process, when one did and its sender is known. */
    Optional<SignalInfo> fatalSignal() {
        return fatalSignal;
    }

    /** Ends the process as signal {@code signal}'s default action does (exit status 128 + signal for a shell). */
    void killed(int signal) {
        killedBy = signal;
        exitStatus = OptionalInt.of((128 + signal) & 0xff);
    }

    /** The wait status wait4 reports: exit code in bits 8-15, or the killing signal in bits 0-6. */
    int waitStatus() {
        return killedBy != 0 ? killedBy : (exitStatus.orElse(0) & 0xff) << 8;
    }

    Object vforkDone() {
        return vforkDone;
    }

    ProcessTable table() {
        return table;
    }

    void park(AddressSpace memory) {
        parked = memory;
    }

    /** Writes into this process's memory while it is off the CPU: CLONE_CHILD_SETTID into a new child's. */
    void parkedWrite(long address, byte[] data) {
        if (parked == null || !parked.write(address, data)) {
            throw new SyscallException(Errno.EFAULT);
        }
    }

    boolean parked() {
        return parked != null;
    }

    /**
     * {@code /proc/cpuinfo} shows the CPU that {@code cpuid} (EAX, EBX, ECX, EDX of a leaf and sub-leaf, as the guest's
     * own CPUID sees them) describes; called on the execution thread, when a process reads the file.
     */
    public void useCpuid(java.util.function.BiFunction<Long, Long, long[]> cpuid) {
        table.useCpuid(cpuid::apply);
    }

    /** This process's memory while it is off the CPU; null while it is on. */
    AddressSpace parkedSpace() {
        return parked;
    }

    AddressSpace unpark() {
        AddressSpace memory = parked;
        if (memory == null) {
            throw new IllegalStateException("process " + pid() + "'s memory is on the CPU already");
        }
        parked = null;
        return memory;
    }

    @Override
    public String toString() {
        return "process " + pid();
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
     * The modules of process {@code pid}, a child of this program or this one (empty when there is no such process, or
     * it has ended): what the debugger's {@code lm} and symbols show after {@code .process pid N}. Execution thread.
     */
    public Optional<LoadedModules> modulesOf(long pid) {
        return table.get(pid).filter(p -> !p.ended()).map(LinuxProcess::modules);
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
        mapImage(guestPath, host, begin, end);
    }

    /**
     * The same for a program exec'd through a descriptor whose file has no name left (a memfd): its symbols come from
     * {@code image}, the bytes it was loaded from.
     */
    void loadedImageFromBytes(String guestPath, Path host, byte[] image, long bias, long begin, long end) {
        modules.loadedFromBytes(guestPath, host, image, bias, begin, end);
        mapImage(guestPath, host, begin, end);
    }

    /** The image's range of {@code /proc/self/maps}, named as the file and with its inode when the host has it. */
    private void mapImage(String guestPath, Path host, long begin, long end) {
        long inode;
        try {
            inode = Stat.inode(Stat.of(host, true));
        } catch (SyscallException e) {
            inode = 0;
        }
        mappings.set(begin, end, new Mappings.Kind(guestPath, 0, inode));
    }

    /** RFLAGS.TF: the CPU traps after each instruction. */
    private static final long TRAP_FLAG = 0x100;

    /** The signal Linux sends for a CPU exception ({@link Faults}); a range the process unmapped is not mapped. */
    private SignalInfo faultSignal(int vector, long rip, long address, long errorCode) {
        boolean stepping = (machine.unicorn().regRead(X86Reg.RFLAGS) & TRAP_FLAG) != 0;
        return Faults.signal(vector, rip, address, errorCode, mappings.at(address).isPresent(), stepping);
    }

    /**
     * The signal a CPU exception raised now would end the process with ({@link #fault}'s, delivered by default
     * action); empty when a handler would run. Delivers nothing.
     */
    public Optional<SignalInfo> fatalFault(int vector, long rip, long address, long errorCode) {
        SignalInfo info = faultSignal(vector, rip, address, errorCode);
        return signals.faultIsFatal(info.signal()) ? Optional.of(info) : Optional.empty();
    }

    /**
     * Since protocol 1.19: the signal a CPU exception raised now would send, when the debugger stops before it is
     * delivered ({@link ProcessTable#stopsBefore}); empty otherwise. Delivers nothing.
     */
    public Optional<SignalInfo> stoppingFault(int vector, long rip, long address, long errorCode) {
        SignalInfo info = faultSignal(vector, rip, address, errorCode);
        return table.stopsBefore(this, info.signal()) ? Optional.of(info) : Optional.empty();
    }

    /**
     * A CPU exception the thread raised at {@code rip}: delivered as the signal Linux sends for it ({@link Faults}),
     * to the program's handler or by its default action.
     *
     * @param address   a page fault's address
     * @param errorCode a page fault's error code
     * @return the signal's number, positive when its handler runs next (RIP and the registers are set for it) or the
     *         thread stopped for the guest process tracing it ({@link Tracing}), or
     *         negative when its default action ended the process (exit status 128 + the number)
     */
    public int fault(int vector, long rip, long address, long errorCode) {
        if (exitStatus.isPresent()) {
            throw new IllegalStateException("the process exited with status " + exitStatus.getAsInt());
        }
        SignalInfo info = faultSignal(vector, rip, address, errorCode);
        SignalFrame.Trap trap = new SignalFrame.Trap(vector, errorCode, vector == 14 ? address : 0);
        return switch (signals.fault(info, rip, trap)) {
            case Signals.Delivery.Handler h -> h.signal();
            case Signals.Delivery.Killed k -> {
                killed(k.info());
                yield -k.signal();
            }
            case Signals.Delivery.Stopped st -> throw new IllegalStateException("a fault's signal is held back "
                    + "before the process sees it (SignalStops), never by it");
            case Signals.Delivery.TraceStopped st -> st.signal(); // stopped for its tracer: the thread is off the CPU
            case Signals.Delivery.JobStopped st -> throw new IllegalStateException("a fault's signal never stops a "
                    + "process (no CPU exception raises a stop signal)");
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
    Sandbox.Resolved resolve(int dirfd, String path, boolean follow) throws IOException {
        String base;
        if (path.startsWith("/") || dirfd == PathSyscalls.AT_FDCWD) {
            base = sandbox.cwd();
        } else if (fds.get(dirfd) instanceof DirectoryFile directory) {
            base = directory.guestPath();
        } else {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return sandbox.resolve(base, path, follow);
    }

    VirtualFiles virtualFiles() {
        return virtualFiles;
    }

    /**
     * A file of {@code /proc/PID} (or {@code /proc/self}, this process) as the guest reads it: {@code auxv},
     * {@code cmdline}, {@code comm}, {@code maps} ... of any live process of the machine; empty for anything else (a
     * directory, a link, a path outside {@code /proc/PID}). What a debugger's host reads as gdbserver reads the
     * target's {@code /proc} (gdb's {@code info auxv}). Execution thread.
     */
    public Optional<byte[]> procFile(String path) {
        List<String> parts = new java.util.ArrayList<>(java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty())
                .toList());
        if (parts.size() < 3 || !parts.getFirst().equals("proc")) {
            return Optional.empty();
        }
        Optional<LinuxProcess> owner;
        if (parts.get(1).equals("self")) {
            owner = Optional.of(this);
            parts.set(1, Long.toString(pid())); // the guest's /proc/self is a link to it
        } else {
            try {
                owner = table.get(Long.parseLong(parts.get(1))).filter(p -> !p.ended());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return owner.map(p -> p.virtualFiles().node(parts)).filter(VirtualNode.File.class::isInstance)
                .map(node -> ((VirtualNode.File) node).content().get());
    }

    /** The sandbox the process's paths resolve in. */
    public Sandbox sandbox() {
        return sandbox;
    }

    /** Closes every descriptor the guest's processes still hold, and removes the program's own directories ({@code /dev/shm}, {@code --tmpfs}). */
    @Override
    public void close() {
        try {
            for (LinuxProcess p : table.all()) {
                if (p != this) {
                    p.fds.closeAll();
                }
            }
            fds.closeAll();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the guest's files", e);
        } finally {
            table.privateDirectories().removeAll();
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
