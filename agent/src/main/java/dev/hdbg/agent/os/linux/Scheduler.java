package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.Vcpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The threads of every process and which of them is on the CPU. Each thread has a core ({@link Vcpus}); the cores take
 * turns on the machine's one CPU: a thread runs until it blocks (a futex wait), exits, yields, or its time slice of
 * {@link #SLICE_BLOCKS} translated blocks is over, and the next runnable thread in core order follows. Switches
 * happen only at safe points ({@link #schedule}), outside every hook.
 *
 * <p>Slices are counted in blocks, by the CPU's run itself ({@link #sliceBlocks}, {@code Cpu.runBlocks}), not timed:
 * a slice timed by the host would end where the host's clock says, and the interleaving would change from run to run;
 * a counted run stops before a block, exactly (with breakpoints set too: {@code Unicorn.limitBlocks}). Counting costs
 * a native call per block (docs/benchmarks.md, "Time slices in blocks, stop 48"), so runs are counted once the program
 * has had a second thread or process, and from then on: adding the counting hook retranslates all code once. The
 * interleaving is then the same from one run to the next.
 *
 * <p>When no thread can run, the earliest futex timeout, timer or signal wait's timeout ({@link SignalWait}) comes at
 * once, the guest's clock jumping to it as it does for a sleep; with none, the program has deadlocked:
 * {@link #schedule} says so and the program ends with the message {@link #deadlock()}. Threads of several processes
 * take turns the same way; when the next thread is another process's, {@link #onProcessSwitch} puts that process's
 * memory on the CPU first ({@link ProcessTable#attach}). Thread and process ids come from one counter, as on Linux.
 * A process's turn lasts several slices when the next thread is another process's ({@link ProcessTurns}).
 * Execution thread only, except {@link #due}. The class is over 400 lines because choosing the next thread, its waits'
 * timeouts and the deadlock they may end in read and change the one table of threads together.
 */
final class Scheduler {
    /**
     * A thread's time slice: long beside a switch (about a microsecond), a millisecond or so of emulation. 40,000
     * blocks are about the 200,000 instructions slices were counted in before stop 48 (compiled code's blocks run
     * about five instructions).
     */
    static final long SLICE_BLOCKS = 40_000;
    /** Jumps of the clock to timers that end no wait (their signal blocked or ignored) taken for a deadlock. */
    private static final int MAX_JUMPS = 1_000_000;
    /** {@link #idleUntil} after a schedule that found a thread to run, or a deadlock. */
    static final long NOT_IDLE = Long.MIN_VALUE;

    private final Vcpus vcpus;
    private final ProcessTurns turns = new ProcessTurns();
    private final GuestClock clock;
    private final Map<Integer, GuestThread> threads = new TreeMap<>();
    private long nextTid;
    private Consumer<GuestThread> onNewThread = t -> {
    };
    private Consumer<LinuxProcess> onProcessSwitch = p -> {
    };
    private boolean yielded;
    private boolean switchWanted;
    /** What may wake the machine from outside it ({@link OutsideWorld}): while open, no wait makes the clock jump. */
    private OutsideWorld outside = OutsideWorld.CLOSED;
    /** Where the last {@link #schedule} left the machine idle: the host's nanoTime to look again at, or NOT_IDLE. */
    private long idleUntil = NOT_IDLE;
    private boolean sliceOver;
    private final SharedFutexWords sharedWords;
    /** Whether the program has had a second thread: its runs are counted from then on. */
    private boolean counted;
    private int runnable = 1;

    Scheduler(Vcpus vcpus, GuestClock clock, long firstTid, SharedFutexWords sharedWords) {
        this.sharedWords = sharedWords;
        this.vcpus = vcpus;
        this.clock = clock;
        this.nextTid = firstTid + 1;
    }

    /** The first process's first thread: the core on the CPU. */
    void adopt(LinuxProcess process, long tid) {
        int core = vcpus.current();
        vcpus.setTid(core, tid);
        vcpus.setPid(core, process.pid());
        GuestThread thread = new GuestThread(process, tid, core);
        threads.put(core, thread);
        onNewThread.accept(thread);
    }

    /** Called with each thread as it starts (the first one too): its name is shown ({@link ThreadNames}). */
    void onNewThread(Consumer<GuestThread> action) {
        onNewThread = action;
    }

    /** Called with the process of the thread about to go on the CPU when it is not the current thread's. */
    void onProcessSwitch(Consumer<LinuxProcess> action) {
        onProcessSwitch = action;
    }

    /** A new thread or process id. */
    long nextId() {
        return nextTid++;
    }

    /** The thread on the CPU. */
    GuestThread current() {
        return threads.get(vcpus.current());
    }

    /** The thread {@code tid}, of any process, when it has not exited (tkill's target). */
    Optional<GuestThread> live(long tid) {
        return threads.values().stream().filter(t -> t.tid == tid && t.state != GuestThread.State.EXITED).findFirst();
    }

    /** The threads of {@code process} that have not exited. */
    List<GuestThread> threadsOf(LinuxProcess process) {
        return threads.values().stream().filter(t -> t.process == process && t.state != GuestThread.State.EXITED)
                .toList();
    }

    /**
     * A new thread, as {@code clone} with {@code CLONE_THREAD} makes one: the caller's registers except
     * {@code registers}, runnable, on the CPU once the scheduler picks it.
     *
     * @throws SyscallException EAGAIN when every core is taken
     */
    GuestThread spawn(Map<CpuRegister, Long> registers) {
        return spawn(current().process, nextId(), registers);
    }

    /**
     * A new thread of {@code process} with id {@code tid}: for {@code fork}, the child's first thread, whose registers
     * are the caller's but {@code registers}.
     *
     * @throws SyscallException EAGAIN when every core is taken
     */
    GuestThread spawn(LinuxProcess process, long tid, Map<CpuRegister, Long> registers) {
        if (vcpus.count() >= Vcpus.MAX) {
            throw new SyscallException(Errno.EAGAIN);
        }
        int core = vcpus.start(tid, registers);
        vcpus.setPid(core, process.pid());
        GuestThread thread = new GuestThread(process, tid, core);
        thread.comm = current().comm; // clone and fork copy the caller's name and blocked set
        thread.signals.inheritFrom(current().signals);
        threads.put(core, thread);
        vcpus.setState(core, "running", true);
        onNewThread.accept(thread);
        switchWanted |= !counted; // the run going on is not counted: it would never end a spinning thread's slice
        counted();
        return thread;
    }

    /** The current thread waits on the futex word at {@code address} until woken or {@code deadline}. */
    void block(long address, int bitset, long deadline) {
        GuestThread thread = current();
        thread.waitOn(address, bitset, deadline);
        vcpus.setState(thread.core, "futex wait", false);
        switchWanted = true;
        counted();
    }

    /**
     * Wakes up to {@code count} threads (of every process sharing the word: {@link SharedFutexWords}) waiting on
     * {@code address} whose bitset meets {@code bitset}, in core order; their futex call returns 0. Returns how many.
     */
    int wake(long address, int count, int bitset) {
        int woken = 0;
        LinuxProcess process = current().process; // a futex word is an address in the caller's memory
        for (GuestThread t : threads.values()) {
            if (woken >= count) {
                break;
            }
            if (t.process == process ? t.waitsOn(address, bitset)
                    : t.waitsInFutex(bitset) && sharedWords.reach(address, t.process, t.futex)) {
                t.resume(vcpus, 0);
                woken++;
            }
        }
        counted();
        return woken;
    }

    /** Moves up to {@code count} waiters from {@code from} to {@code to} (FUTEX_REQUEUE); how many moved. */
    int requeue(long from, long to, int count) {
        int moved = 0;
        LinuxProcess process = current().process;
        for (GuestThread t : threads.values()) {
            if (moved < count && t.process == process && t.waitsOn(from, -1)) {
                t.futex = to;
                moved++;
            }
        }
        return moved;
    }

    /** The current thread ends alone (exit, not exit_group); the others go on. */
    void exitCurrent() {
        GuestThread thread = current();
        thread.runnable();
        thread.state = GuestThread.State.EXITED;
        vcpus.setState(thread.core, Vcpus.EXITED, false);
        switchWanted = true;
        counted();
    }

    /**
     * The current thread waits on {@code channel} until {@link #wakeAll} names it: then it makes the system call at
     * {@code rip} (number {@code number}) again, as Linux restarts a call a wait interrupted. A wait for a signal
     * ({@code timedWait} not null) ends instead, or too, when a signal, a timer or its timeout ends it ({@link TimedWait}).
     */
    void waitAndRestart(Object channel, long rip, long number, TimedWait timedWait) {
        GuestThread thread = current();
        thread.waitFor(channel, true, rip, number, 0);
        thread.timedWait = timedWait;
        String state = timedWait instanceof SignalWait ? "signal wait" : timedWait instanceof ReadyWait
                ? "descriptor wait" : timedWait instanceof SleepWait ? "sleeping" : "waiting";
        vcpus.setState(thread.core, state, false);
        switchWanted = true;
        counted();
    }

    /** The current thread waits on {@code channel}; its system call returns {@code result} when woken. */
    void waitFor(Object channel, long result) {
        GuestThread thread = current();
        thread.waitFor(channel, false, 0, 0, result);
        vcpus.setState(thread.core, "waiting", false);
        switchWanted = true;
        counted();
    }

    /** Wakes every thread waiting on {@code channel}. */
    void wakeAll(Object channel) {
        wakeAll(channel, channel);
    }

    /**
     * Wakes the threads waiting on {@code channel} that {@code which} picks: after a signal is sent, those in poll or a
     * signalfd read that cannot take a signal now look again; the others end their wait with EINTR as it is delivered.
     */
    void wakeAll(Object channel, java.util.function.Predicate<GuestThread> which) {
        for (GuestThread t : threads.values()) {
            if (t.state == GuestThread.State.WAITING && t.channel == channel && t.restart && which.test(t)) {
                t.restartCall(vcpus);
            }
        }
        counted();
    }

    /** Wakes every thread waiting on either channel, in one pass (a pipe's waiters and those in poll or epoll). */
    void wakeAll(Object channel, Object alsoChannel) {
        for (GuestThread t : threads.values()) {
            boolean on = t.state == GuestThread.State.WAITING && (t.channel == channel || t.channel == alsoChannel);
            if (on && t.restart) {
                t.restartCall(vcpus);
            } else if (on) {
                t.resume(vcpus, t.result);
            }
        }
        counted();
    }

    /**
     * A signal for {@code process} can be delivered: its waiting threads that do not block it wake to take it (the
     * others sleep on: a futex wait that returned EINTR to a thread that cannot take the signal would be seen by the
     * program, where Linux's wakes only a thread that takes it). A restartable wait is made
     * again after the signal (its handler, or its default action ending the process); a futex wait, a pause return
     * EINTR; a vfork parent keeps waiting for its child.
     */
    void interrupt(LinuxProcess process) {
        for (GuestThread t : threads.values()) {
            if (t.process == process && t.timedWait != null) {
                t.timedWait.end(t, clock.monotonic(), vcpus);
                continue;
            }
            if (t.process != process || !process.signals().deliverableTo(t.signals)) {
                continue; // a thread that blocks every signal there is sleeps on, as Linux's does
            }
            if (t.state == GuestThread.State.FUTEX_WAIT) {
                t.resume(vcpus, -Errno.EINTR);
            } else if (t.state == GuestThread.State.WAITING && t.restart) {
                t.restartCall(vcpus);
                if (t.trace != null) {
                    t.trace.interrupted(vcpus, t.core); // its tracer sees the call end to be made again
                }
            }
        }
        counted();
    }

    /** execve: every thread of {@code process} but the caller ends. */
    void exitOthers(LinuxProcess process) {
        exit(process, current());
    }

    /** Every thread of {@code process} ends: it exited, or a signal killed it. */
    void exitProcess(LinuxProcess process) {
        exit(process, null);
        switchWanted = true;
    }

    private void exit(LinuxProcess process, GuestThread except) {
        for (GuestThread t : threads.values()) {
            if (t != except && t.process == process && t.state != GuestThread.State.EXITED) {
                t.runnable();
                t.state = GuestThread.State.EXITED;
                vcpus.setState(t.core, Vcpus.EXITED, false);
            }
        }
        counted();
    }

    /**
     * A process stopped or went on ({@link JobControl}), or a thread entered or left a ptrace-stop ({@link Tracing}):
     * the thread on the CPU gives it up when it stopped, and the others' turns are counted again.
     */
    void jobsChanged() {
        switchWanted |= stopped(current());
        for (GuestThread t : threads.values()) {
            int signal = t.process.jobs().stoppedBy();
            vcpus.setStopped(t.core, t.trace != null && t.trace.stopped()
                    ? "tracing stop (for process " + t.trace.tracerPid + ")"
                    : signal == 0 ? null : "stopped (signal " + signal + ")");
        }
        counted();
    }

    /** The live threads a guest process traces ({@link Tracing}). */
    List<GuestThread> traced() {
        return threads.values().stream().filter(t -> t.tracedInGuest() && t.state != GuestThread.State.EXITED).toList();
    }

    /** sched_yield: the next runnable thread, if any, runs now. */
    void yieldCurrent() {
        if (runnable > 1) {
            yielded = true;
            switchWanted = true;
        }
    }

    /** Whether the current thread must give up the CPU before it goes on (it waits, exited, or yields). */
    boolean switchWanted() {
        return switchWanted;
    }

    /** Whether the scheduler wants the safe point that follows a run: a thread gave up the CPU, or its slice ran out. */
    boolean due() {
        return switchWanted || sliceOver;
    }

    /** Connects the machine to what may wake it from outside ({@code --forward}). */
    void connect(OutsideWorld world) {
        this.outside = world;
    }

    OutsideWorld outside() {
        return outside;
    }

    /**
     * After a {@link #schedule} that found no thread to run: the host's {@code System.nanoTime} until which the
     * machine idles waiting for the outside ({@code Long.MAX_VALUE}: no deadline), or {@link #NOT_IDLE} for a
     * deadlock.
     */
    long idleUntil() {
        return idleUntil;
    }

    /** How many blocks the next run may begin: 0 (no limit) until the program has had a second thread. */
    long sliceBlocks() {
        return counted ? SLICE_BLOCKS : 0;
    }

    /** A counted run returned without a system call that gave up the CPU: the thread's slice is over. */
    void sliceEnded() {
        sliceOver = true;
    }

    /**
     * At a safe point: expires the futex timeouts that are due, ends the signal waits a signal ends, and puts the
     * thread that runs next on the CPU.
     *
     * @return false when no thread can ever run again: a deadlock ({@link #deadlock()} says which threads wait)
     */
    boolean schedule() {
        switchWanted = false;
        idleUntil = NOT_IDLE; // what came from outside ran before: LinuxSyscalls.deliverDue drains it first
        long now = clock.monotonic();
        for (GuestThread t : threads.values()) {
            if (t.state == GuestThread.State.FUTEX_WAIT && t.deadline <= now) {
                t.resume(vcpus, -Errno.ETIMEDOUT);
            } else if (t.timedWait != null) {
                t.timedWait.end(t, now, vcpus); // a timer of its process may have fired while another thread ran
            }
        }
        GuestThread current = current();
        boolean running = runs(current) && !yielded;
        GuestThread next = running && !sliceOver ? current : nextRunnableAfter(current.core);
        if (running && sliceOver && turns.keeps(current, next)) {
            next = current;
        } else if (!running) {
            turns.gaveUp(current);
        }
        yielded = false;
        sliceOver = false;
        for (int jumps = 0; next == null; jumps++) {
            Optional<GuestThread> timed = threads.values().stream()
                    .filter(t -> t.wakeDeadline() != GuestThread.FOREVER)
                    .min((a, b) -> Long.compare(a.wakeDeadline(), b.wakeDeadline()));
            if (outside.mayWake()) { // the outside may end a wait: the machine idles in real time instead of jumping
                idleUntil = timed.isEmpty() ? Long.MAX_VALUE : clock.hostNanosAt(timed.get().wakeDeadline());
                switchWanted = true; // look again when the idle wait ends
                return false;
            }
            if (timed.isEmpty() || jumps == MAX_JUMPS) {
                counted();
                return false;
            }
            GuestThread t = timed.get();
            clock.sleep(t.wakeDeadline() - clock.monotonic()); // nobody can run until then: time jumps there
            if (t.state == GuestThread.State.FUTEX_WAIT) {
                t.resume(vcpus, -Errno.ETIMEDOUT);
            } else {
                t.timedWait.end(t, clock.monotonic(), vcpus); // a timer whose signal it blocks leaves it waiting
            }
            next = runs(t) ? t : null;
        }
        if (next.process != current.process) {
            onProcessSwitch.accept(next.process);
        }
        vcpus.load(next.core);
        List<Integer> gone = new ArrayList<>();
        for (GuestThread t : threads.values()) {
            if (t.state == GuestThread.State.EXITED && t.core != next.core) {
                gone.add(t.core);
            }
        }
        for (int core : gone) {
            threads.remove(core);
            vcpus.free(core);
        }
        counted();
        return true;
    }

    /** Why no thread can run: every live thread and what it waits for. */
    String deadlock() {
        return "every thread waits (in futex without a timeout, for a pipe, a child, a lock or a signal), so none can ever "
                + "run again: " + threads.values().stream().filter(t -> t.state != GuestThread.State.EXITED)
                .map(GuestThread::toString).collect(Collectors.joining(", "))
                + "; natively the program would hang here for ever";
    }

    /** The first runnable thread after {@code core} in core order, wrapping round to {@code core} itself last. */
    private GuestThread nextRunnableAfter(int core) {
        GuestThread first = null;
        for (GuestThread t : threads.values()) {
            if (!runs(t)) {
                continue;
            }
            if (t.core > core) {
                return t;
            }
            if (first == null) {
                first = t;
            }
        }
        return first;
    }

    /**
     * Whether {@code t} may go on the CPU: runnable, in a process no stop signal stopped ({@link JobControl}), in no
     * ptrace-stop ({@link Tracing}).
     */
    private static boolean runs(GuestThread t) {
        return t.state == GuestThread.State.RUNNABLE && !stopped(t);
    }

    /** Whether a stop signal stopped {@code t}'s process or {@code t} is in a ptrace-stop. */
    private static boolean stopped(GuestThread t) {
        return t.process.jobs().stopped() || t.trace != null && t.trace.stopped();
    }

    /** Counts the runnable threads, and starts counting runs once there are two threads. */
    private void counted() {
        int n = 0;
        for (GuestThread t : threads.values()) {
            if (runs(t)) {
                n++;
            }
        }
        runnable = n;
        counted |= threads.size() > 1;
    }
}
