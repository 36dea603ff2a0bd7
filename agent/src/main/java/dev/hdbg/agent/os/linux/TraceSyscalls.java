package dev.hdbg.agent.os.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ptrace}, both sides, between the machine's processes ({@link Tracing}), and process_vm_readv and
 * process_vm_writev, which tracers use beside it. A tracee attaches with PTRACE_TRACEME (its parent traces it; a
 * second call fails with EPERM, the check anti-debugging code makes), or a tracer with PTRACE_ATTACH or PTRACE_SEIZE,
 * under Linux's rules without Yama: not itself nor a thread of its own, not a thread traced already, not a process
 * that made itself non-dumpable unless the guest runs as root. A tracer then reads and writes a stopped tracee's
 * memory (PEEK/POKE, which write read-only code as Linux's FOLL_FORCE does) and registers (GETREGS, SETREGS,
 * PEEKUSER, POKEUSER, GETFPREGS, SETFPREGS, the NT_PRSTATUS and NT_PRFPREG sets), its signal (GETSIGINFO), its call
 * (PTRACE_GET_SYSCALL_INFO), sets options, and has it go on (CONT, SYSCALL, SINGLESTEP, DETACH, KILL, INTERRUPT,
 * LISTEN). Every request but TRACEME, ATTACH, SEIZE, KILL and INTERRUPT needs a tracee of the caller's in a
 * ptrace-stop (else ESRCH); an unknown request fails with EIO. The program started has the debugger for its parent:
 * its TRACEME makes the debugger its tracer, which stops only where it is told ({@code sxe}). Not emulated, with a
 * notice: the debug registers' hardware breakpoints (POKEUSER there: EIO).
 */
final class TraceSyscalls {
    static final int PTRACE_TRACEME = 0;
    private static final int PTRACE_PEEKTEXT = 1;
    private static final int PTRACE_PEEKDATA = 2;
    private static final int PTRACE_PEEKUSER = 3;
    private static final int PTRACE_POKETEXT = 4;
    private static final int PTRACE_POKEDATA = 5;
    private static final int PTRACE_POKEUSER = 6;
    private static final int PTRACE_CONT = 7;
    private static final int PTRACE_KILL = 8;
    private static final int PTRACE_SINGLESTEP = 9;
    private static final int PTRACE_GETREGS = 12;
    private static final int PTRACE_SETREGS = 13;
    private static final int PTRACE_GETFPREGS = 14;
    private static final int PTRACE_SETFPREGS = 15;
    private static final int PTRACE_ATTACH = 16;
    private static final int PTRACE_DETACH = 17;
    private static final int PTRACE_SYSCALL = 24;
    private static final int PTRACE_SETOPTIONS = 0x4200;
    private static final int PTRACE_GETEVENTMSG = 0x4201;
    private static final int PTRACE_GETSIGINFO = 0x4202;
    private static final int PTRACE_GETREGSET = 0x4204;
    private static final int PTRACE_SETREGSET = 0x4205;
    private static final int PTRACE_SEIZE = 0x4206;
    private static final int PTRACE_INTERRUPT = 0x4207;
    private static final int PTRACE_LISTEN = 0x4208;
    private static final int PTRACE_GETSIGMASK = 0x420a;
    private static final int PTRACE_SETSIGMASK = 0x420b;
    private static final int PTRACE_GET_SYSCALL_INFO = 0x420e;
    private static final int NT_PRSTATUS = 1;
    private static final int NT_PRFPREG = 2;
    /** sizeof(struct user_fpregs_struct): the FXSAVE layout. */
    private static final int FXSAVE_SIZE = 512;
    private static final int SIGSET_SIZE = 8;
    /** IOV_MAX. */
    private static final long MAX_IOV = 1024;
    private static final int PAGE = 4096;

    private final LinuxProcess process;
    private final ProcessTable table;
    private final Tracing tracing;
    private final UserMemory user;
    private final TraceeRegisters registers;
    private final TraceeMemory memory;

    TraceSyscalls(LinuxProcess process) {
        this.process = process;
        this.table = process.table();
        this.tracing = table.tracing();
        this.user = process.user();
        this.registers = new TraceeRegisters(tracing.vcpus(), process.machine().unicorn());
        this.memory = new TraceeMemory(process);
    }

    void register(Map<Integer, Handler> calls) {
        calls.put(101, a -> ptrace(a.i(0), a.a1(), a.a2(), a.a3()));
        calls.put(310, a -> transfer(a.a0(), a.a1(), a.a2(), a.a3(), a.a4(), a.a5(), false)); // process_vm_readv
        calls.put(311, a -> transfer(a.a0(), a.a1(), a.a2(), a.a3(), a.a4(), a.a5(), true)); // process_vm_writev
    }

    /**
     * process_vm_readv and process_vm_writev: bytes between the caller's iovecs and another process's, in order,
     * up to the first of the other's pages that is not mapped (or the end of either list).
     *
     * @return the bytes moved
     * @throws SyscallException EFAULT when none could be, ESRCH for no process, EPERM for a non-dumpable one
     */
    private long transfer(long pid, long localIov, long localCount, long remoteIov, long remoteCount, long flags,
            boolean write) {
        if (flags != 0 || Long.compareUnsigned(localCount, MAX_IOV) > 0
                || Long.compareUnsigned(remoteCount, MAX_IOV) > 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        LinuxProcess target = table.byId(pid).filter(p -> pid > 0 && !p.ended())
                .orElseThrow(() -> new SyscallException(Errno.ESRCH));
        if (!Tracing.mayAccess(process, target)) {
            throw new SyscallException(Errno.EPERM);
        }
        long[] local = iovecs(localIov, (int) localCount);
        long[] remote = iovecs(remoteIov, (int) remoteCount);
        long moved = 0;
        int l = 0;
        int r = 0;
        long lo = 0;
        long ro = 0;
        while (l < local.length && r < remote.length) {
            long at = remote[r] + ro;
            // a page at a time on the other's side: the transfer stops where its memory does
            int n = (int) Math.min(Math.min(local[l + 1] - lo, remote[r + 1] - ro), PAGE - (at & (PAGE - 1)));
            if (n > 0) {
                boolean done = write ? memory.write(target, at, user.read(local[l] + lo, n))
                        : copied(memory.read(target, at, n), local[l] + lo);
                if (!done) {
                    break;
                }
                moved += n;
                lo += n;
                ro += n;
            }
            if (lo == local[l + 1]) {
                l += 2;
                lo = 0;
            }
            if (r < remote.length && ro == remote[r + 1]) {
                r += 2;
                ro = 0;
            }
        }
        if (moved == 0 && l < local.length && r < remote.length) {
            throw new SyscallException(Errno.EFAULT);
        }
        return moved;
    }

    private boolean copied(byte[] data, long to) {
        if (data == null) {
            return false;
        }
        user.write(to, data);
        return true;
    }

    /** {@code count} iovecs at {@code address}, as base and length pairs. */
    private long[] iovecs(long address, int count) {
        long[] pairs = new long[count * 2];
        for (int i = 0; i < count * 2; i++) {
            pairs[i] = user.readLong(address + i * 8L);
            if (i % 2 == 1 && pairs[i] < 0) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
        return pairs;
    }

    private long ptrace(int request, long pid, long address, long data) {
        switch (request) {
            case PTRACE_TRACEME -> traceMe();
            case PTRACE_ATTACH -> attach(pid, false, 0);
            case PTRACE_SEIZE -> {
                if (address != 0) {
                    throw new SyscallException(Errno.EIO);
                }
                attach(pid, true, checkedOptions(data));
            }
            case PTRACE_KILL -> {
                table.signal(tracee(pid, false).process, SignalInfo.kernel(Signals.SIGKILL));
            }
            case PTRACE_INTERRUPT -> interrupt(tracee(pid, false));
            default -> {
                return stopped(request, tracee(pid, true), address, data);
            }
        }
        return 0;
    }

    /** A request about a tracee in a ptrace-stop. */
    private long stopped(int request, GuestThread tracee, long address, long data) {
        Tracee trace = tracee.trace;
        switch (request) {
            case PTRACE_PEEKTEXT, PTRACE_PEEKDATA -> user.writeLong(data, memory.peek(tracee.process, address));
            case PTRACE_POKETEXT, PTRACE_POKEDATA -> memory.poke(tracee.process, address, data);
            case PTRACE_PEEKUSER -> user.writeLong(data, registers.peekUser(tracee, address));
            case PTRACE_POKEUSER -> {
                if (TraceeRegisters.isDebugRegister(address)) {
                    throw notEmulated("a debug register's write (PTRACE_POKEUSER): hardware breakpoints and "
                            + "watchpoints of a debugger in the guest (gdb there: set can-use-hw-watchpoints 0 for "
                            + "software watchpoints, break rather than hbreak)");
                }
                registers.pokeUser(tracee, address, data);
            }
            case PTRACE_GETREGS -> user.write(data, registers.get(tracee));
            case PTRACE_SETREGS -> registers.set(tracee, user.read(data, TraceeRegisters.SIZE));
            case PTRACE_GETREGSET, PTRACE_SETREGSET -> registerSet(tracee, request == PTRACE_SETREGSET, address, data);
            case PTRACE_GETFPREGS -> user.write(data, registers.fpu(tracee));
            case PTRACE_SETFPREGS -> registers.setFpu(tracee, user.read(data, FXSAVE_SIZE));
            case PTRACE_CONT -> tracing.resume(tracee, Tracee.Resume.CONTINUE, checkedSignal(data));
            case PTRACE_SYSCALL -> tracing.resume(tracee, Tracee.Resume.SYSCALL, checkedSignal(data));
            case PTRACE_SINGLESTEP -> tracing.resume(tracee, Tracee.Resume.STEP, checkedSignal(data));
            case PTRACE_DETACH -> tracing.detach(tracee, checkedSignal(data));
            case PTRACE_LISTEN -> {
                if (!trace.seized || (trace.stop >> 8) != Tracing.PTRACE_EVENT_STOP) {
                    throw new SyscallException(Errno.EIO);
                }
                tracing.listen(tracee);
            }
            case PTRACE_SETOPTIONS -> trace.options = checkedOptions(data);
            case PTRACE_GETEVENTMSG -> user.writeLong(data, trace.message);
            case PTRACE_GETSIGINFO -> {
                if (trace.stopInfo == null) {
                    throw new SyscallException(Errno.EINVAL); // an attached tracee's group-stop
                }
                user.write(data, trace.stopInfo.bytes());
            }
            case PTRACE_GETSIGMASK, PTRACE_SETSIGMASK -> {
                if (address != SIGSET_SIZE) {
                    throw new SyscallException(Errno.EINVAL);
                }
                if (request == PTRACE_GETSIGMASK) {
                    user.writeLong(data, tracee.signals.blocked);
                } else {
                    tracee.signals.blocked = user.readLong(data) & ~Signals.UNBLOCKABLE;
                }
            }
            case PTRACE_GET_SYSCALL_INFO -> {
                return syscallInfo(tracee, address, data);
            }
            default -> throw new SyscallException(Errno.EIO);
        }
        return 0;
    }

    /**
     * PTRACE_TRACEME: the caller's parent traces it from now on. The program started's parent is the debugger, which
     * is then its tracer as far as the program can tell ({@code TracerPid}, a second TRACEME) and stops only where it
     * is told.
     */
    private void traceMe() {
        GuestThread thread = process.scheduler().current();
        if (thread.trace != null) {
            throw new SyscallException(Errno.EPERM); // already traced
        }
        LinuxProcess parent = table.isInit(process) ? null : table.get(process.parentPid()).orElse(null);
        thread.trace = new Tracee(parent, process.parentPid(), false, 0);
    }

    private void attach(long tid, boolean seize, long options) {
        GuestThread thread = process.scheduler().live(tid).filter(t -> tid > 0 && !t.process.ended())
                .orElseThrow(() -> new SyscallException(Errno.ESRCH));
        if (thread.process == process || thread.trace != null || !Tracing.mayAccess(process, thread.process)) {
            throw new SyscallException(Errno.EPERM); // itself, traced already, or non-dumpable to a non-root tracer
        }
        tracing.attach(process, thread, seize, options);
    }

    /**
     * The thread {@code tid} as a tracee of the caller's, in a ptrace-stop when {@code mustBeStopped}.
     *
     * @throws SyscallException ESRCH otherwise, as Linux's ptrace_check_attach answers
     */
    private GuestThread tracee(long tid, boolean mustBeStopped) {
        return process.scheduler().live(tid)
                .filter(t -> t.trace != null && t.trace.tracer == process && (!mustBeStopped || stopped(t)))
                .orElseThrow(() -> new SyscallException(Errno.ESRCH));
    }

    /** In a ptrace-stop, or in a process a stop signal stopped (a group-stop its tracer sees). */
    private static boolean stopped(GuestThread t) {
        return t.trace.stopped() || t.process.jobs().stopped();
    }

    /** PTRACE_INTERRUPT: a seized tracee that runs stops with PTRACE_EVENT_STOP. */
    private void interrupt(GuestThread tracee) {
        if (!tracee.trace.seized) {
            throw new SyscallException(Errno.EIO);
        }
        if (!tracee.trace.stopped()) {
            tracing.stop(tracee, Signals.SIGTRAP | Tracing.PTRACE_EVENT_STOP << 8);
        }
    }

    /**
     * PTRACE_GETREGSET and PTRACE_SETREGSET through the iovec at {@code iov}: the general registers (NT_PRSTATUS) and
     * the FPU and SSE state (NT_PRFPREG). Any other set is EINVAL, as Linux answers for one it does not have:
     * NT_X86_XSTATE too, as on a CPU without XSAVE (the emulated one's signal frames have no XSTATE either).
     */
    private void registerSet(GuestThread tracee, boolean set, long type, long iov) {
        int size = type == NT_PRSTATUS ? TraceeRegisters.SIZE : type == NT_PRFPREG ? FXSAVE_SIZE : 0;
        if (size == 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        long base = user.readLong(iov);
        int n = (int) Math.min(user.readLong(iov + 8), size);
        if (set) {
            if (n < size) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (type == NT_PRSTATUS) {
                registers.set(tracee, user.read(base, n));
            } else {
                registers.setFpu(tracee, user.read(base, n));
            }
        } else {
            byte[] all = type == NT_PRSTATUS ? registers.get(tracee) : registers.fpu(tracee);
            user.write(base, Arrays.copyOf(all, n));
            user.writeLong(iov + 8, n);
        }
    }

    /**
     * PTRACE_GET_SYSCALL_INFO: struct ptrace_syscall_info (op, arch, the instruction and stack pointers, then a
     * syscall-entry-stop's number and arguments or a syscall-exit-stop's result), up to {@code size} bytes of it.
     *
     * @return the size of the whole of it, as Linux returns
     */
    private long syscallInfo(GuestThread tracee, long size, long into) {
        Tracee trace = tracee.trace;
        int op = trace.stop == trace.syscallTrap() && trace.call == Tracee.Call.ENTRY ? 1
                : trace.stop == trace.syscallTrap() && trace.call == Tracee.Call.EXIT ? 2 : 0;
        ByteBuffer info = ByteBuffer.allocate(88).order(ByteOrder.LITTLE_ENDIAN);
        byte[] regs = registers.get(tracee);
        ByteBuffer r = ByteBuffer.wrap(regs).order(ByteOrder.LITTLE_ENDIAN);
        info.put((byte) op).put(new byte[3]).putInt(0xc000003e) // AUDIT_ARCH_X86_64
                .putLong(r.getLong(16 * 8)).putLong(r.getLong(19 * 8)); // rip, rsp
        int length = 24;
        if (op == 1) {
            info.putLong(trace.callNumber);
            for (int word : new int[] {14, 13, 12, 7, 9, 8}) { // rdi, rsi, rdx, r10, r8, r9
                info.putLong(r.getLong(word * 8));
            }
            length = 80;
        } else if (op == 2) {
            long rax = r.getLong(10 * 8);
            info.putLong(rax).put((byte) (rax < 0 && rax >= -4095 ? 1 : 0));
            length = 33;
        }
        user.write(into, Arrays.copyOf(info.array(), (int) Math.min(size, length)));
        return length;
    }

    /** ptrace's signal argument: 0 or a signal. */
    private static int checkedSignal(long data) {
        if (data < 0 || data > Signals.NSIG) {
            throw new SyscallException(Errno.EIO);
        }
        return (int) data;
    }

    private static long checkedOptions(long data) {
        if ((data & ~Tracee.OPTIONS) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return data;
    }

    private SyscallException notEmulated(String what) {
        process.io().notice("process " + process.pid() + " asked ptrace for " + what + ", which is not emulated: "
                + "the request failed with EIO");
        return new SyscallException(Errno.EIO);
    }
}
