package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.AddressSpace;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every process of the program, by pid, as Linux's process list: the first one (the program started) and those it
 * forked, until their parent reaps them. All share the machine's one CPU and one engine: a process's memory is on
 * the CPU only while one of its threads runs ({@link #attach}: its regions are mapped in, the previous process's out,
 * design (a) of docs/targets.md "Processes"). A process that ended is a zombie, holding its wait status until its
 * parent's {@code wait4}. Execution thread only.
 */
final class ProcessTable {
    /**
     * At most this many processes at once (zombies included): a fork beyond fails with EAGAIN, as RLIMIT_NPROC makes
     * it fail natively, so a fork bomb ends in errors instead of taking the agent's memory.
     */
    static final int MAX = 32;

    private final Machine machine;
    private final ProgramBases programBases;
    private final GuestClock clock = new GuestClock();
    private final Scheduler scheduler;
    private final ThreadNames names;
    private final FileLocks locks;
    private final RecordLocks recordLocks;
    private final SocketNames sockets = new SocketNames();
    private final NamedPipes namedPipes;
    private final PrivateDirectories privateDirectories;
    private final FileWatches fileWatches = new FileWatches();
    private final Terminals terminals = new Terminals(this);
    private final JobControl jobs;
    private final Tracing tracing;
    private final Map<Long, LinuxProcess> processes = new TreeMap<>();
    private final long initPid;
    private LinuxProcess attached;
    /** Whose memory is on the CPU: the attached process's, or the vfork parent's it runs in. */
    private LinuxProcess memoryOnCpu;
    private long switches;
    /** Since protocol 1.19: the signals the debugger stops the program started at before they are delivered. */
    private long signalStops;

    ProcessTable(Machine machine, long initPid, String firstProgram, List<String> tmpfsDirs) {
        this.machine = machine;
        this.privateDirectories = new PrivateDirectories(tmpfsDirs);
        this.initPid = initPid;
        this.programBases = new ProgramBases(firstProgram);
        this.scheduler = new Scheduler(machine.vcpus(), clock, initPid,
                (address, other, otherAddress) -> machine.memory().sharesWith(address, other.parkedSpace(),
                        otherAddress));
        scheduler.onProcessSwitch(this::attach);
        this.jobs = new JobControl(this, scheduler);
        this.tracing = new Tracing(this, scheduler, machine.vcpus());
        this.names = new ThreadNames(scheduler, machine.vcpus());
        this.locks = new FileLocks(scheduler);
        this.recordLocks = new RecordLocks(scheduler);
        this.namedPipes = new NamedPipes(scheduler);
        scheduler.onNewThread(names::show);
        machine.vcpus().onProcessMemory(pid -> get(pid).filter(p -> !p.ended() || p == attached)
                .ifPresent(this::attach));
    }

    /** The first process, whose memory is the machine's as it was loaded. */
    void init(LinuxProcess process, long tid) {
        processes.put(process.pid(), process);
        attached = process;
        memoryOnCpu = process;
        scheduler.adopt(process, tid);
    }

    /** Where each position-independent program is loaded. */
    ProgramBases programBases() {
        return programBases;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** The threads' names ({@code comm}). */
    ThreadNames names() {
        return names;
    }

    /** flock's locks, which every process of the program shares. */
    FileLocks locks() {
        return locks;
    }

    /** fcntl's record locks, which every process of the program shares. */
    RecordLocks recordLocks() {
        return recordLocks;
    }

    /** The CPUID the guest sees, for /proc/cpuinfo; null until the debugger gives it ({@link #useCpuid}). */
    private CpuInfo.Source cpuid;

    /** CPUID as the guest's instruction answers it, which /proc/cpuinfo shows. */
    void useCpuid(CpuInfo.Source source) {
        cpuid = source;
    }

    /** The CPUID the guest sees, or null when none was given (a test's machine). */
    CpuInfo.Source cpuid() {
        return cpuid;
    }

    /** The program's {@code /dev/shm} and {@code --tmpfs} directories, which every process's sandbox shows. */
    PrivateDirectories privateDirectories() {
        return privateDirectories;
    }

    private int signalFiles;

    /** A signalfd opened ({@code 1}) or closed ({@code -1}): while any is open, every signal sent wakes the pollers. */
    void signalFileOpened(int change) {
        signalFiles += change;
    }

    boolean hasSignalFiles() {
        return signalFiles > 0;
    }

    /** The machine's pseudo-terminals ({@code /dev/ptmx}, {@code /dev/pts}). */
    Terminals terminals() {
        return terminals;
    }

    /** The machine's inotify watches, which every process's changes to files are told to. */
    FileWatches fileWatches() {
        return fileWatches;
    }

    /** The machine's named pipes. */
    NamedPipes namedPipes() {
        return namedPipes;
    }

    /** The machine's socket names: Unix sockets', the loopback's TCP and UDP ports, netlink port ids. */
    SocketNames sockets() {
        return sockets;
    }

    GuestClock clock() {
        return clock;
    }

    /** The process whose thread is on the CPU. */
    LinuxProcess current() {
        return scheduler.current().process;
    }

    /** Whether {@code process} is the program started, whose end ends the run. */
    boolean isInit(LinuxProcess process) {
        return process.pid() == initPid;
    }

    /**
     * Whether the debugger stops before signal {@code s} is delivered to {@code process}: only the program started
     * (its threads) is watched so, as gdb watches the process it started and not its children.
     */
    boolean stopsBefore(LinuxProcess process, int s) {
        return (signalStops & Signals.bit(s)) != 0 && isInit(process);
    }

    /** The signals to stop before, bit {@code s - 1} for signal {@code s}. */
    void stopBefore(long signals) {
        signalStops = signals;
    }

    JobControl jobs() {
        return jobs;
    }

    Tracing tracing() {
        return tracing;
    }

    /** The program started. */
    LinuxProcess init() {
        return processes.get(initPid);
    }

    Optional<LinuxProcess> get(long pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    /**
     * The process {@code id} names: a process by its pid, or by one of its live threads' ids (as Linux's calls about a
     * process take a thread's).
     */
    Optional<LinuxProcess> byId(long id) {
        LinuxProcess process = processes.get(id);
        return process != null ? Optional.of(process) : scheduler.live(id).map(t -> t.process);
    }

    /**
     * The process a call about a process names: 0 the caller, a positive id a process (or one of its live threads);
     * none for a negative id.
     */
    Optional<LinuxProcess> named(LinuxProcess caller, long id) {
        if (id == 0) {
            return Optional.of(caller);
        }
        return id < 0 ? Optional.empty() : byId(id);
    }

    /** The processes of group {@code pgid}, by pid, zombies included (a group lasts until its last one is reaped). */
    List<LinuxProcess> group(long pgid) {
        return processes.values().stream().filter(p -> p.processGroup() == pgid).toList();
    }

    /** Every process, by pid, zombies included. */
    List<LinuxProcess> all() {
        return List.copyOf(processes.values());
    }

    /**
     * Whether a process that has not ended maps {@code file} shared through a description open for writing
     * ({@link Mappings#mayWrite}): what a memfd's F_SEAL_WRITE must wait for (EBUSY).
     */
    boolean mapsForWriting(Object file) {
        return processes.values().stream().anyMatch(p -> !p.ended() && p.mappings().mayWrite(file));
    }

    /** How many processes there are, zombies included: {@code all().size()} without the copy (every call asks). */
    int count() {
        return processes.size();
    }

    /**
     * Whether {@code process}'s calling thread is the only one left in the machine and nothing outside reaches it (no
     * {@link OutsideWorld}): no one could send it a signal or write what it waits for, so a wait of its may jump the
     * guest's clock instead of sleeping.
     */
    boolean alone(LinuxProcess process) {
        return !scheduler.outside().isOpen() && scheduler.threadsOf(process).size() == 1
                && processes.values().stream().allMatch(p -> p == process || p.ended());
    }

    /** The children of {@code parent}, by pid. */
    List<LinuxProcess> children(LinuxProcess parent) {
        List<LinuxProcess> children = new ArrayList<>();
        for (LinuxProcess p : processes.values()) {
            if (p.parentPid() == parent.pid() && p != parent) {
                children.add(p);
            }
        }
        return children;
    }

    /**
     * Takes in a forked child.
     *
     * @throws SyscallException EAGAIN when {@link #MAX} processes exist
     */
    void add(LinuxProcess child) {
        processes.put(child.pid(), child);
    }

    /** Whether another process may be forked. */
    boolean full() {
        return processes.size() >= MAX;
    }

    /** How many times a process's memory replaced another's on the CPU. */
    long switches() {
        return switches;
    }

    /** Puts {@code process}'s memory on the CPU in place of the attached one's, which is kept (or freed, if it ended). */
    void attach(LinuxProcess process) {
        if (process == attached) {
            return;
        }
        LinuxProcess coming = process.memoryOwner();
        if (coming != memoryOnCpu) { // a vfork child and its parent run in one memory
            GuestMemory memory = machine.memory();
            AddressSpace out = memory.switchTo(coming.unpark());
            if (memoryOnCpu.ended()) {
                memory.release(out);
            } else {
                memoryOnCpu.park(out);
            }
            memoryOnCpu = coming;
        }
        attached = process;
        switches++;
    }

    /**
     * A vfork child that execs gives its parent's memory back (parked in the parent) and has the memory now on the CPU
     * as its own ({@link LinuxProcess#exec}).
     */
    void giveBack(LinuxProcess child, LinuxProcess owner) {
        owner.park(machine.memory().detach());
        memoryOnCpu = child;
    }

    /**
     * {@code ended}'s vfork children still running in its memory (its other thread ended it meanwhile) keep that
     * memory: the first becomes its owner, the others run in it, as Linux keeps a memory while a process uses it.
     */
    private void handOnMemory(LinuxProcess ended) {
        LinuxProcess heir = null;
        for (LinuxProcess p : processes.values()) {
            if (!p.ended() && p != ended && p.memoryOwner() == ended) {
                if (heir == null) {
                    heir = p;
                    p.inherit(ended);
                    if (memoryOnCpu == ended) {
                        memoryOnCpu = p;
                    }
                } else {
                    p.borrowFrom(heir);
                }
            }
        }
    }

    /**
     * {@code process} ended (exit_group, its last thread's exit, a signal): its threads stop, its descriptors close
     * (a pipe's reader sees end of file), its children pass to their reaper ({@link #reaperFor}) and get their
     * parent-death signal, and its parent gets SIGCHLD and finds it in wait4. Its memory is freed once another process
     * is on the CPU.
     */
    void ended(LinuxProcess process) {
        tracing.ending(process);
        scheduler.exitProcess(process);
        try {
            process.fds().closeAll();
        } catch (IOException e) {
            process.io().notice("closing the files of process " + process.pid() + " failed: " + e.getMessage());
        }
        long reaper = reaperFor(process);
        List<LinuxProcess> children = children(process);
        for (LinuxProcess child : children) {
            child.reparent(reaper);
            if (child.ended()) {
                scheduler.wakeAll(processes.get(reaper));
            } else if (child.controls().deathSignal != 0) { // PR_SET_PDEATHSIG
                signal(child, SignalInfo.sentBy(child.controls().deathSignal, SignalInfo.SI_USER, process.pid(),
                        Credentials.UID));
            }
        }
        jobs.ended(process, children);
        scheduler.wakeAll(process.vforkDone());
        handOnMemory(process);
        if (process != memoryOnCpu && process.parked()) {
            machine.memory().release(process.unpark());
        }
        LinuxProcess parent = processes.get(process.parentPid());
        if (parent == null || parent.ended()) {
            processes.remove(process.pid()); // nobody will wait for it
            return;
        }
        signal(parent, ChildReports.siginfo(process, JobState.NONE));
        scheduler.wakeAll(parent);
    }

    /**
     * Who adopts the children of {@code ended}: its nearest ancestor that asked to (PR_SET_CHILD_SUBREAPER) and has
     * not ended, else the first process, as Linux's find_new_reaper.
     */
    private long reaperFor(LinuxProcess ended) {
        for (LinuxProcess p = processes.get(ended.parentPid()); p != null && p.pid() != initPid;
                p = processes.get(p.parentPid())) {
            if (p.controls().childSubreaper && !p.ended()) {
                return p.pid();
            }
        }
        return initPid;
    }

    /**
     * A signal from another process to {@code target}: pending there, and when it can be delivered, the target's
     * waiting threads wake to take it (a wait made again after the handler, as with SA_RESTART; a futex or pause
     * returning EINTR). An ended process takes none.
     */
    void signal(LinuxProcess target, SignalInfo info) {
        if (target.ended()) {
            return;
        }
        target.signals().send(info);
        scheduler.interrupt(target); // its waiting threads that do not block it
    }

    /** wait4 took {@code child}'s status: it is gone. */
    void reap(LinuxProcess child) {
        processes.remove(child.pid());
    }
}
