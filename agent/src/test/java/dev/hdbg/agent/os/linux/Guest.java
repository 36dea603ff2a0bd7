package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.X86Reg;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A real machine with a scratch page region and a process over a sandbox root, for calling system calls. */
final class Guest implements AutoCloseable {
    static final long SCRATCH = 0x10000;
    static final long SCRATCH_SIZE = 0x10000;
    static final long BRK_START = 0x600123;

    final Machine machine = new Machine();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final java.util.List<String> notices = new java.util.ArrayList<>();
    final LinuxProcess process;
    final LinuxSyscalls syscalls;
    private long next = SCRATCH;

    Guest(Path root, boolean writable) {
        this(root, writable, List.of());
    }

    /** A read-only tree but for {@code writableDirs} (--writable-dir), unless {@code writable}. */
    Guest(Path root, boolean writable, List<String> writableDirs) {
        this(root, writable, writableDirs, List.of());
    }

    /** A read-only tree but for {@code writableDirs} and the program's own {@code tmpfsDirs} (--tmpfs). */
    Guest(Path root, boolean writable, List<String> writableDirs, List<String> tmpfsDirs) {
        machine.memory().map("scratch", SCRATCH, SCRATCH_SIZE, Prot.READ | Prot.WRITE);
        // The image whose bss ends at BRK_START: the heap starts on the next page.
        machine.memory().map("image", 0x400000, 0x201000, Prot.READ | Prot.WRITE);
        ProcessIo io = new ProcessIo() {
            @Override
            public void stdout(byte[] data) {
                stdout.writeBytes(data);
            }

            @Override
            public void stderr(byte[] data) {
                stderr.writeBytes(data);
            }

            @Override
            public void notice(String message) {
                notices.add(message);
            }
        };
        process = new LinuxProcess(machine, new ProcessConfig(root, writable, Optional.empty(), "/bin/prog",
                List.of("prog"), 4242, 4242, "/", "/bin/prog", writableDirs, tmpfsDirs, new long[] {0, 0}, List.of("HOME=/", "LANG=C")), io, BRK_START);
        syscalls = new LinuxSyscalls(process);
    }

    /** Copies {@code bytes} into the scratch region, returning their address. */
    long put(byte[] bytes) {
        long address = next;
        machine.memory().write(address, bytes);
        next = (next + bytes.length + 15) & ~15L;
        return address;
    }

    long string(String text) {
        return put((text + "\0").getBytes(StandardCharsets.UTF_8));
    }

    long buffer(int size) {
        return put(new byte[size]);
    }

    LinuxSyscalls.Result call(long number, long... args) {
        X86Reg[] regs = {X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.R10, X86Reg.R8, X86Reg.R9};
        machine.unicorn().regWrite(X86Reg.RAX, number);
        for (int i = 0; i < args.length; i++) {
            machine.unicorn().regWrite(regs[i], args[i]);
        }
        return syscalls.handle();
    }

    /** Calls and returns RAX, checking the result agrees with it. */
    long rax(long number, long... args) {
        LinuxSyscalls.Result result = call(number, args);
        long rax = machine.unicorn().regRead(X86Reg.RAX);
        if (!(result instanceof LinuxSyscalls.Result.Returned(long value)) || value != rax) {
            throw new AssertionError("syscall " + number + " gave " + result + " with RAX " + rax);
        }
        return rax;
    }

    /**
     * clone or fork, returning RAX: the machine's first second thread makes the call yield as well, so that the
     * scheduler's counted slices start with the next run; the safe point that follows is taken here.
     */
    long spawn(long number, long... args) {
        LinuxSyscalls.Result result = call(number, args);
        long rax = machine.unicorn().regRead(X86Reg.RAX);
        long value = switch (result) {
            case LinuxSyscalls.Result.Returned(long v) -> v;
            case LinuxSyscalls.Result.Yielded(long v) -> v;
            default -> ~rax;
        };
        if (value == rax) {
            if (result instanceof LinuxSyscalls.Result.Yielded) {
                syscalls.deliverDue(); // the safe point that ends the run, as the debugger's run loop has it
            }
            return rax;
        }
        throw new AssertionError("syscall " + number + " gave " + result + " with RAX " + rax);
    }

    /**
     * The first thread starts a second (as glibc's pthread_create), then each waits in futex without a timeout, at
     * {@code word} and {@code word + 4}: returns the safe point's result after the second wait, where no thread can
     * run.
     */
    LinuxSyscalls.Result everyThreadWaitsInFutex(long word) {
        spawn(56, 0x3d0f00, 0x7000_0000L, 0, 0, 0);
        call(202, word, 128, 0, 0); // FUTEX_WAIT_PRIVATE
        syscalls.deliverDue();
        call(202, word + 4, 128, 0, 0);
        return syscalls.deliverDue();
    }

    /** Whether {@code fd} is open and blocking: a read or accept of it could sleep. */
    boolean syscallsFdIsBlocking(int fd) {
        FdTable fds = process.fds();
        return fds.isOpen(fd) && !fds.get(fd).nonBlocking();
    }

    /**
     * The file at {@code path}, up to 4 KiB, read as a program reads it (openat, read, close).
     *
     * @throws AssertionError when it cannot be opened
     */
    String readFile(String path) {
        long fd = rax(257, -100, string(path), 0, 0); // AT_FDCWD, O_RDONLY
        if (fd < 0) {
            throw new AssertionError("open " + path + " failed: " + fd);
        }
        long buffer = buffer(4096);
        long n = rax(0, fd, buffer, 4096);
        rax(3, fd);
        return new String(machine.memory().read(buffer, (int) n), StandardCharsets.UTF_8);
    }

    ByteBuffer read(long address, int length) {
        return ByteBuffer.wrap(machine.memory().read(address, length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        process.close();
        machine.close();
    }
}
