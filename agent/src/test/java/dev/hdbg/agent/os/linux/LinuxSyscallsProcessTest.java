package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxSyscallsProcessTest {
    private static final int PROT_RW = 3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int CLOCK_MONOTONIC = 1;

    @TempDir
    Path root;

    @Test
    void brkGrowsIntoZeroedWritableMemoryAndShrinks() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(12, 0)).isEqualTo(Guest.BRK_START);
            long grown = Guest.BRK_START + 0x5000;
            assertThat(g.rax(12, grown)).isEqualTo(grown);
            assertThat(g.process.brk()).isEqualTo(grown);
            g.machine.memory().write(grown - 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(g.machine.memory().isMapped(0x601000, grown - 0x601000)).isTrue();
            assertThat(g.rax(12, Guest.BRK_START + 0x10)).isEqualTo(Guest.BRK_START + 0x10);
            // Growing again hands out zero pages, as Linux does after a shrink unmapped them.
            assertThat(g.rax(12, grown)).isEqualTo(grown);
            assertThat(g.machine.memory().read(grown - 8, 8)).containsOnly(0);
            // Below the start is refused by leaving the break where it is.
            assertThat(g.rax(12, Guest.BRK_START - 0x1000)).isEqualTo(grown);
        }
    }

    @Test
    void mmapAnonymousGivesZeroedMemoryAndMunmapReleasesIt() {
        try (Guest g = new Guest(root, false)) {
            long a = g.rax(9, 0, 0x3000, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            assertThat(a).isPositive().isLessThan(MmapAllocator.TOP);
            assertThat(a % 4096).isZero();
            assertThat(g.machine.memory().read(a, 0x3000)).containsOnly(0);
            long b = g.rax(9, 0, 0x1000, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            assertThat(b).isEqualTo(a - 0x1000); // top-down
            g.machine.memory().write(a, "junk".getBytes(StandardCharsets.UTF_8));

            assertThat(g.rax(11, a, 0x3000)).isZero();
            assertThat(permissionsAt(g, a)).isZero(); // inaccessible, as an unmapped page would be
            long again = g.rax(9, 0, 0x3000, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            assertThat(again).isEqualTo(a);
            assertThat(permissionsAt(g, a)).isEqualTo(PROT_RW);
            assertThat(g.machine.memory().read(a, 0x3000)).containsOnly(0);

            assertThat(g.rax(9, 0, 0, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0)).isEqualTo(-22);
            assertThat(g.rax(10, a, 0x1000, 1)).isZero(); // mprotect to read-only
            assertThat(permissionsAt(g, a)).isEqualTo(1);
        }
    }

    @Test
    void aFixedMappingInTheHeapsMappedAheadPagesStopsTheBreakInsteadOfBeingZeroedByIt() {
        try (Guest g = new Guest(root, false)) {
            long heap = ProgramBreak.roundUp(Guest.BRK_START);
            g.rax(12, heap + 0x10_0000);
            assertThat(g.rax(12, heap + 0x10_1000)).isEqualTo(heap + 0x10_1000); // maps as much again, ahead
            long fixed = heap + 0x18_0000;
            assertThat(g.machine.memory().isMapped(fixed, 0x1000)).as("inside the mapped-ahead heap").isTrue();
            int mapFixed = 0x10;
            assertThat(g.rax(9, fixed, 0x1000, PROT_RW, MAP_PRIVATE_ANONYMOUS | mapFixed, -1, 0)).isEqualTo(fixed);
            g.machine.memory().write(fixed, "kept".getBytes(StandardCharsets.UTF_8));

            assertThat(g.rax(12, heap + 0x17_0000)).as("below the mapping: still the heap's").isEqualTo(heap + 0x17_0000);
            assertThat(g.rax(12, heap + 0x20_0000)).as("through the mapping: refused, as Linux's brk is")
                    .isEqualTo(heap + 0x17_0000);
            assertThat(new String(g.machine.memory().read(fixed, 4), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }

    private static int permissionsAt(Guest g, long address) {
        for (MemoryRegion r : g.machine.unicorn().memRegions()) {
            if (address >= r.begin() && address <= r.end()) {
                return r.perms();
            }
        }
        throw new AssertionError("0x" + Long.toHexString(address) + " is not mapped");
    }

    @Test
    void archPrctlSetsAndGetsFsBase() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(158, 0x1002, 0x7000_1234_5000L)).isZero();
            assertThat(g.machine.unicorn().regRead(X86Reg.FS_BASE)).isEqualTo(0x7000_1234_5000L);
            long out = g.buffer(8);
            assertThat(g.rax(158, 0x1003, out)).isZero();
            assertThat(g.read(out, 8).getLong(0)).isEqualTo(0x7000_1234_5000L);
            assertThat(g.rax(158, 0x9999, out)).isEqualTo(-22);
        }
    }

    @Test
    void prctlKeepsTheThreadNameCutToFifteenBytes() {
        try (Guest g = new Guest(root, false)) {
            long name = g.buffer(16);
            assertThat(g.rax(157, 15, g.string("a-rather-long-thread-name"))).isZero(); // PR_SET_NAME
            assertThat(g.rax(157, 16, name)).isZero(); // PR_GET_NAME
            assertThat(g.read(name, 16).array()).isEqualTo("a-rather-long-t\0".getBytes(StandardCharsets.US_ASCII));
            assertThat(g.rax(157, 0x59616d61, name)).isEqualTo(-22); // PR_SET_PTRACER: not emulated
        }
    }

    @Test
    void unameReportsLinuxX8664() {
        try (Guest g = new Guest(root, false)) {
            long uts = g.buffer(390);
            assertThat(g.rax(63, uts)).isZero();
            assertThat(field(g, uts, 0)).isEqualTo("Linux");
            assertThat(field(g, uts, 1)).isEqualTo("hdbg");
            assertThat(field(g, uts, 2)).isEqualTo("6.1.0");
            assertThat(field(g, uts, 4)).isEqualTo("x86_64");
        }
    }

    private static String field(Guest g, long uts, int index) {
        byte[] bytes = g.machine.memory().read(uts + 65L * index, 65);
        int length = 0;
        while (bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    @Test
    void exitGroupEndsTheProcessWithItsStatus() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.call(231, 0x1_07)).isEqualTo(new LinuxSyscalls.Result.Exited(7));
            assertThat(g.process.exitStatus()).hasValue(7);
        }
    }

    @Test
    void anUnknownNumberIsReportedAndFailsWithEnosys() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.call(999)).isEqualTo(new LinuxSyscalls.Result.Unknown(999));
            assertThat(g.machine.unicorn().regRead(X86Reg.RAX)).isEqualTo(-38);
        }
    }

    @Test
    void clockGettimeMonotonicIncreases() throws InterruptedException {
        try (Guest g = new Guest(root, false)) {
            long ts = g.buffer(16);
            assertThat(g.rax(228, CLOCK_MONOTONIC, ts)).isZero();
            long first = nanos(g.read(ts, 16));
            Thread.sleep(5);
            assertThat(g.rax(228, CLOCK_MONOTONIC, ts)).isZero();
            long second = nanos(g.read(ts, 16));
            assertThat(second - first).isGreaterThanOrEqualTo(5_000_000L);
            assertThat(g.read(ts, 16).getLong(8)).isBetween(0L, 999_999_999L);
            assertThat(g.rax(228, 99, ts)).isEqualTo(-22);
        }
    }

    private static long nanos(ByteBuffer timespec) {
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }

    @Test
    void identityCallsReturnTheConfiguredIds() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(39)).isEqualTo(4242);
            assertThat(g.rax(186)).isEqualTo(4242);
            assertThat(g.rax(218, g.buffer(8))).isEqualTo(4242);
            long rlimit = g.buffer(16);
            assertThat(g.rax(97, 3, rlimit)).isZero();
            assertThat(g.read(rlimit, 16).getLong(0)).isEqualTo(8L << 20);
            long usage = g.buffer(144);
            assertThat(g.rax(98, 0, usage)).isZero();
            assertThat(g.read(usage, 144).getLong(32)).as("ru_maxrss in KiB: the mapped memory, as VmRSS")
                    .isEqualTo(g.process.mappings().totalBytes() >> 10).isPositive();
            assertThat(g.rax(98, -1, usage)).isZero();
            assertThat(g.read(usage, 144).getLong(32)).as("RUSAGE_CHILDREN: none").isZero();
        }
    }

    @Test
    void aPipeCarriesBytesFromItsWriteEndToItsReadEnd() {
        try (Guest g = new Guest(root, false)) {
            long fds = g.buffer(8);
            assertThat(g.rax(22, fds)).isZero();
            int readFd = g.read(fds, 8).getInt(0);
            int writeFd = g.read(fds, 8).getInt(4);
            assertThat(g.rax(1, writeFd, g.put("abc".getBytes(StandardCharsets.UTF_8)), 3)).isEqualTo(3);
            long buffer = g.buffer(8);
            assertThat(g.rax(0, readFd, buffer, 8)).isEqualTo(3);
            assertThat(g.rax(3, writeFd)).isZero();
            assertThat(g.rax(0, readFd, buffer, 8)).isZero(); // end of file
        }
    }

    @Test
    void aReadOfAnEmptyPipeWaitsUnlessItIsNonBlocking() {
        try (Guest g = new Guest(root, false)) {
            long fds = g.buffer(8);
            assertThat(g.rax(293, fds, 04000)).isZero(); // pipe2(O_NONBLOCK)
            long buffer = g.buffer(8);
            assertThat(g.rax(0, g.read(fds, 8).getInt(0), buffer, 8)).isEqualTo(-Errno.EAGAIN);
            assertThat(g.rax(22, fds)).isZero();
            assertThat(g.call(0, g.read(fds, 8).getInt(0), buffer, 8))
                    .as("the writer is open: the reader waits").isInstanceOf(LinuxSyscalls.Result.Yielded.class);
            assertThat(g.syscalls.deliverDue()).as("nobody else can write").isInstanceOf(
                    LinuxSyscalls.Result.Deadlocked.class);
        }
    }
    /**
     * nice and setpriority: a process may lower its own priority (raise its nice value), not raise it again, and the
     * value shows in getpriority and /proc/PID/stat; Python's os.nice was ENOSYS.
     */
    @Test
    void aProcessLowersItsPriorityAndCannotRaiseItAgain() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(140, 0, 0)).as("getpriority: 20 - nice").isEqualTo(20);
            assertThat(g.rax(141, 0, 0, 5)).isZero();
            assertThat(g.rax(140, 0, 0)).isEqualTo(15);
            assertThat(g.rax(141, 0, 0, 2)).as("raising it needs a privilege").isEqualTo(-Errno.EACCES);
            assertThat(g.rax(141, 0, 0, 99)).as("clamped to 19").isZero();
            assertThat(g.rax(140, 1, 0)).as("the caller's group").isEqualTo(1);
            assertThat(g.rax(140, 0, 9999)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(140, 7, 0)).isEqualTo(-Errno.EINVAL);
            assertThat(ProcessStatus.stat(g.process, null).split(" ")[18]).as("stat's nice field").isEqualTo("19");
        }
    }

    /** F_GETPIPE_SZ and F_SETPIPE_SZ: a pipe's capacity, a power of two of at least a page (Python asked: EINVAL). */
    @Test
    void aPipesCapacityIsReadAndSetWithFcntl() {
        try (Guest g = new Guest(root, false)) {
            long fds = g.buffer(8);
            assertThat(g.rax(22, fds)).isZero();
            int read = g.read(fds, 8).getInt(0);
            int write = g.read(fds, 8).getInt(4);
            assertThat(g.rax(72, read, 1032)).isEqualTo(65536);
            assertThat(g.rax(72, write, 1031, 5000)).as("rounded up").isEqualTo(8192);
            assertThat(g.rax(72, read, 1032)).isEqualTo(8192);
            assertThat(g.rax(1, write, g.put(new byte[8192]), 9000)).as("no more than the capacity").isEqualTo(8192);
            assertThat(g.rax(72, write, 1031, 4096)).as("holds more than that").isEqualTo(-Errno.EBUSY);
            assertThat(g.rax(72, write, 1031, 2 << 20)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(72, 1, 1032)).as("stdout is no pipe of the machine's").isEqualTo(-Errno.EBADF);
        }
    }
}
