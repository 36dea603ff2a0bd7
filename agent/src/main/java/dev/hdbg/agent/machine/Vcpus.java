package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.UnicornContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's virtual processors, HyperDbg's cores: one per guest thread, time-sliced on the machine's one CPU. A
 * core that is not on the CPU is its registers saved with {@code uc_context_save} (every register the CPU has: the
 * general-purpose ones, the segment bases, the FPU and SSE state); {@link #load} switches the CPU to another core
 * at a safe point. Unicorn 2.0.1 cannot run two engines over shared memory as one machine (a {@code lock}-prefixed
 * instruction is not atomic across engines, and one engine keeps running code another engine rewrote: measured,
 * docs/targets.md), so the cores take turns, and memory, hooks and translated code stay the CPU's, shared by all.
 *
 * <p>A core's registers can be read and written while it is off the CPU (the debugger's {@code ~ N} then
 * {@code r}): reads come from the copy taken when it was switched out, writes wait there and reach the CPU when the
 * core is loaded. Core 0 is the machine's first; a new core takes the lowest free number. Execution thread only.
 */
public final class Vcpus {
    /** At most this many cores at once (a program asking for more threads gets EAGAIN from clone). */
    public static final int MAX = 64;
    /** The state of a core whose thread has ended. */
    public static final String EXITED = "exited";

    private static final RegisterList ALL = RegisterList.of(CpuRegister.values());

    /**
     * A core as the debugger lists it: its number, its thread, where it is, what it does; since protocol 1.19 its
     * thread's name (Linux's {@code comm}; empty for a raw image's core).
     */
    public record Core(int number, long tid, long rip, String state, boolean current, long pid, String name) {
    }

    private final Cpu cpu;
    private final Unicorn unicorn;
    private final Slot[] slots = new Slot[MAX];
    private int current;
    private java.util.function.LongConsumer showProcess = pid -> {
    };

    private static final class Slot {
        long tid;
        /** The process the core's thread belongs to (since protocol 1.12 shown per core). */
        long pid;
        String state = "running";
        String name = "";
        boolean runnable = true;
        /** Set while the thread's process is stopped (job control): shown in the state's place. */
        String stopped;
        /** The registers while the core is off the CPU; reused from one switch to the next. */
        UnicornContext context;
        final long[] saved = new long[ALL.size()];
        /** Registers written while off the CPU: they reach it when the core is loaded. */
        final Map<CpuRegister, Long> pending = new EnumMap<>(CpuRegister.class);

        Slot(long tid) {
            this.tid = tid;
            this.pid = tid;
        }
    }

    Vcpus(Cpu cpu, Unicorn unicorn) {
        this.cpu = cpu;
        this.unicorn = unicorn;
        slots[0] = new Slot(1);
    }

    /**
     * Called with a core's pid whenever that core's process's memory must be the machine's: a core of another process
     * goes on the CPU ({@link #load}), or the debugger looks at one ({@link #showMemoryOf}). The guest's operating
     * system swaps the address spaces.
     */
    public void onProcessMemory(java.util.function.LongConsumer action) {
        showProcess = action;
    }

    /**
     * Makes {@code core}'s process's memory the machine's, at a safe point: what {@code d} and {@code u} then read
     * after {@code ~ N} or {@code .process pid N} while halted; before the guest runs again, the current core's.
     */
    public void showMemoryOf(int core) {
        showProcess.accept(slot(core).pid);
    }

    /** Back to one core, core 0, which keeps the CPU's registers as they are: for a target started again. */
    public void reset() {
        for (int i = 0; i < MAX; i++) {
            if (slots[i] != null && slots[i].context != null) {
                slots[i].context.close();
            }
            slots[i] = null;
        }
        slots[0] = new Slot(1);
        current = 0;
        showProcess = pid -> {
        };
    }

    /** The core on the CPU: the one that runs, and whose exits the debugger sees. */
    public int current() {
        return current;
    }

    /** The thread id of {@code core}. */
    public long tid(int core) {
        return slot(core).tid;
    }

    /** The thread id of the core on the CPU ({@code $tid}). */
    public long currentTid() {
        return slots[current].tid;
    }

    public void setTid(int core, long tid) {
        slot(core).tid = tid;
    }

    /** The process id of {@code core}'s thread. */
    public long pid(int core) {
        return slot(core).pid;
    }

    /** The process id of the core on the CPU ({@code $pid}). */
    public long currentPid() {
        return slots[current].pid;
    }

    public void setPid(int core, long pid) {
        slot(core).pid = pid;
    }

    public boolean exists(int core) {
        return core >= 0 && core < MAX && slots[core] != null;
    }

    /** How many cores there are. */
    public int count() {
        int n = 0;
        for (Slot s : slots) {
            n += s == null ? 0 : 1;
        }
        return n;
    }

    /**
     * A new core for thread {@code tid}, starting with the current core's registers (all of them, as they are now)
     * except {@code registers}: what {@code clone} gives a new thread. It stays off the CPU until {@link #load}.
     *
     * @return its number
     * @throws IllegalStateException when all {@link #MAX} cores are in use
     */
    public int start(long tid, Map<CpuRegister, Long> registers) {
        int free = 0;
        while (free < MAX && slots[free] != null) {
            free++;
        }
        if (free == MAX) {
            throw new IllegalStateException("all " + MAX + " cores are in use");
        }
        Slot slot = new Slot(tid);
        slot.context = unicorn.contextSave();
        cpu.read(ALL, slot.saved);
        slot.pending.putAll(registers);
        slots[free] = slot;
        return free;
    }

    /** Frees {@code core}, whose thread has ended; not the current one. */
    public void free(int core) {
        if (core == current) {
            throw new IllegalStateException("core " + core + " is on the CPU: load another first");
        }
        Slot slot = slot(core);
        if (slot.context != null) {
            slot.context.close();
        }
        slots[core] = null;
    }

    /** Whether {@code core} may run (its thread is not waiting nor gone), as its operating system says. */
    public boolean runnable(int core) {
        return slot(core).runnable && slot(core).stopped == null;
    }

    /** Whether {@code core}'s thread has ended ({@link #EXITED}): its core is freed at the next switch. */
    public boolean exited(int core) {
        return exists(core) && EXITED.equals(slot(core).state);
    }

    /** The name of the core's thread (Linux's {@code comm}, {@code prctl(PR_SET_NAME)}), for {@code ~} and gdb. */
    public void setName(int core, String name) {
        slot(core).name = name;
    }

    /**
     * The core's thread is stopped, {@code why} (its process stopped by a signal: job control), or goes on (null):
     * {@code ~} shows why in place of its state, which comes back once it goes on, and it is not runnable meanwhile.
     */
    public void setStopped(int core, String why) {
        slot(core).stopped = why;
    }

    /** What the core's thread is doing, for {@code ~}: "running", "futex wait", {@link #EXITED}. */
    public void setState(int core, String state, boolean runnable) {
        Slot slot = slot(core);
        slot.state = state;
        slot.runnable = runnable;
    }

    /**
     * Puts {@code core} on the CPU, saving the current one's registers: only at a safe point, outside every hook
     * (restoring registers inside a hook would run the rest of the current block with another thread's).
     */
    public void load(int core) {
        Slot target = slot(core);
        if (core == current) {
            return;
        }
        Slot out = slots[current];
        if (out != null) {
            if (out.context == null) {
                out.context = unicorn.contextSave();
            } else {
                unicorn.contextSave(out.context);
            }
            cpu.read(ALL, out.saved);
        }
        showProcess.accept(target.pid);
        unicorn.contextRestore(target.context);
        current = core;
        for (Map.Entry<CpuRegister, Long> e : target.pending.entrySet()) {
            cpu.write(e.getKey(), e.getValue());
        }
        target.pending.clear();
    }

    /**
     * Runs {@code access} with {@code core}'s saved registers on the CPU — its FPU and SSE state above all, which
     * {@link #read} does not reach — and what it writes kept as {@code core}'s; the current core's registers are put
     * back after. A tracer's PTRACE_GETFPREGS of a stopped thread.
     */
    public <T> T withRegistersOf(int core, java.util.function.Supplier<T> access) {
        Slot target = slot(core);
        if (core == current) {
            return access.get();
        }
        try (UnicornContext mine = unicorn.contextSave()) {
            unicorn.contextRestore(target.context);
            try {
                T result = access.get();
                unicorn.contextSave(target.context);
                return result;
            } finally {
                unicorn.contextRestore(mine);
            }
        }
    }

    /** {@code register} of {@code core}: the CPU's for the current core, else as saved or written since. */
    public long read(int core, CpuRegister register) {
        Slot slot = slot(core);
        if (core == current) {
            return cpu.read(register);
        }
        Long written = slot.pending.get(register);
        return written != null ? written : slot.saved[register.ordinal()];
    }

    /** Writes {@code register} of {@code core}: at once for the current core, else when it is next loaded. */
    public void write(int core, CpuRegister register, long value) {
        Slot slot = slot(core);
        if (core == current) {
            cpu.write(register, value);
        } else {
            slot.pending.put(register, value);
        }
    }

    /** Every core, by number. */
    public List<Core> list() {
        List<Core> cores = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            if (slots[i] != null) {
                String state = slots[i].stopped != null ? slots[i].stopped : slots[i].state;
                cores.add(new Core(i, slots[i].tid, read(i, CpuRegister.RIP), state, i == current,
                        slots[i].pid, slots[i].name));
            }
        }
        return cores;
    }

    private Slot slot(int core) {
        if (!exists(core)) {
            throw new IllegalArgumentException("core " + core + " does not exist (cores: " + list().stream()
                    .map(c -> Integer.toString(c.number())).reduce((a, b) -> a + ", " + b).orElse("none") + ")");
        }
        return slots[core];
    }
}
