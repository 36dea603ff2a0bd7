package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The made-up /proc, /sys and /dev: the process's own, never the host's, and no way out of the root through them. */
class VirtualFilesTest {
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;

    @TempDir
    Path root;

    private static String readlink(Guest g, String path) {
        long buffer = g.buffer(256);
        long n = g.rax(89, g.string(path), buffer, 256);
        assertThat(n).as("readlink %s", path).isPositive();
        return new String(g.machine.memory().read(buffer, (int) n), StandardCharsets.UTF_8);
    }

    @Test
    void procSelfIsTheProcessAndLinksBackIntoTheRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/motd"), "inside\n");
        try (Guest g = new Guest(root, false)) {
            assertThat(readlink(g, "/proc/self")).isEqualTo("4242");
            assertThat(readlink(g, "/proc/self/exe")).isEqualTo("/bin/prog");
            assertThat(readlink(g, "/proc/self/root")).isEqualTo("/");
            assertThat(readlink(g, "/proc/self/fd/1")).startsWith("pipe:[");
            assertThat(g.readFile("/proc/self/cmdline")).isEqualTo("prog\0");
            // One file system, the root, on the host's device beneath it: what df reads to name it.
            assertThat(g.readFile("/proc/mounts")).isEqualTo("hdbg-root / hdbg ro 0 0\n");
            assertThat(g.readFile("/proc/self/mountinfo")).matches("1 0 \\d+:\\d+ / / ro - hdbg hdbg-root ro\n");
            assertThat(g.readFile("/proc/4242/root/etc/motd")).isEqualTo("inside\n");
            // .. above the root through the magic link stays at the root, like any other climb.
            assertThat(g.readFile("/proc/self/root/../etc/motd")).isEqualTo("inside\n");
            assertThat(g.readFile("/proc/self/environ")).as("the environment it started with").isEqualTo("HOME=/\0LANG=C\0");
            for (String absent : new String[] {"/proc/1/cmdline", "/proc/kcore",
                "/dev/sda", "/sys/kernel"}) {
                assertThat(g.rax(257, AT_FDCWD, g.string(absent), O_RDONLY, 0)).as(absent).isEqualTo(-Errno.ENOENT);
            }
        }
    }

    /** findmnt and df see a --tmpfs directory as the tmpfs Linux would mount there. */
    /** /proc/self/mem is the process's memory at offsets that are its addresses; unmapped ones are EIO. */
    @Test
    void procSelfMemReadsAndWritesTheProcesssMemory() {
        try (Guest g = new Guest(root, false)) {
            long text = g.string("in guest memory");
            long fd = g.rax(257, AT_FDCWD, g.string("/proc/self/mem"), 2, 0); // O_RDWR
            assertThat(fd).isNotNegative();
            long buffer = g.buffer(15);
            assertThat(g.rax(17, fd, buffer, 15, text)).as("pread64").isEqualTo(15);
            assertThat(g.read(buffer, 15).array()).asString().isEqualTo("in guest memory");
            assertThat(g.rax(18, fd, g.string("IN"), 2, text)).as("pwrite64").isEqualTo(2);
            assertThat(g.read(text, 8).array()).asString().isEqualTo("IN guest");
            assertThat(g.rax(17, fd, buffer, 8, 8)).as("address 8").isEqualTo(-Errno.EIO);
        }
    }

    @Test
    void aTmpfsDirectoryIsAMountOfItsOwn() {
        try (Guest g = new Guest(root, false, List.of(), List.of("/tmp", "/var//tmp/", "/tmp/"))) {
            assertThat(g.readFile("/proc/self/mounts")).isEqualTo("hdbg-root / hdbg ro 0 0\n"
                    + "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\ntmpfs /var/tmp tmpfs rw,nosuid,nodev 0 0\n");
            assertThat(g.readFile("/proc/self/mountinfo")).matches("1 0 \\d+:\\d+ / / ro - hdbg hdbg-root ro\n"
                    + "2 1 0:2 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw\n3 1 0:3 / /var/tmp rw,nosuid,nodev - tmpfs tmpfs rw\n");
        }
    }

    /**
     * /etc/hostname and /etc/hosts are the machine's, as a container runtime provides them: the hosts file is the
     * root's with the machine's name added when it lacks it (never through a link, which could leave the root), or
     * Debian's default when the root has none; so the machine's name resolves.
     */
    @Test
    void etcHostnameAndHostsNameTheMachine() throws Exception {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/etc/hostname")).isEqualTo("hdbg\n");
            assertThat(g.readFile("/etc/hosts")).startsWith("127.0.0.1\tlocalhost\n").endsWith("\n127.0.1.1\thdbg\n");
        }
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost # not hdbg\n10.0.0.1 other");
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/etc/hosts")).isEqualTo("127.0.0.1 localhost # not hdbg\n10.0.0.1 other\n"
                    + "127.0.1.1\thdbg\n");
        }
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost\n10.0.0.7 hdbg.example hdbg\n");
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/etc/hosts")).as("named already").isEqualTo("127.0.0.1 localhost\n"
                    + "10.0.0.7 hdbg.example hdbg\n");
        }
        Files.delete(root.resolve("etc/hosts"));
        Files.writeString(root.resolve("secret"), "10.9.9.9 leaked\n");
        Files.createSymbolicLink(root.resolve("etc/hosts"), root.resolve("secret").toAbsolutePath());
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/etc/hosts")).as("a link is not followed out").doesNotContain("leaked")
                    .endsWith("127.0.1.1\thdbg\n");
        }
    }

    /**
     * /proc/net describes the machine's one interface as a loopback-only namespace's does (compared with one under
     * unshare -n): Java's NetworkInterface reads if_inet6, psutil and ifconfig dev; vmstat reads /proc/vmstat.
     */
    @Test
    void procNetIsTheLoopbackAloneAndVmstatHasNoPaging() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/proc/net/if_inet6")).isEqualTo("00000000000000000000000000000001 01 80 10 80"
                    + "       lo\n");
            assertThat(g.readFile("/proc/net/dev")).endsWith("\n    lo:       0       0    0    0    0     0"
                    + "          0         0        0       0    0    0    0     0       0          0\n");
            assertThat(g.readFile("/proc/net/route")).startsWith("Iface\tDestination\tGateway \tFlags\t")
                    .hasSize(128).doesNotContain("lo");
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/net/packet"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            assertThat(g.readFile("/proc/vmstat")).startsWith("nr_free_pages ").contains("\npswpin 0\npswpout 0\n");
            assertThat(g.readFile("/proc/self/loginuid")).as("no login session: getlogin's ENXIO").isEqualTo("4294967295");
            assertThat(g.readFile("/proc/self/sessionid")).isEqualTo("4294967295");
        }
    }

    /**
     * /proc/net's socket tables list the machine's sockets as the kernel prints them (compared with Linux's for the
     * same sockets): ss without sock_diag, lsof -i and psutil read them and find the descriptors by inode.
     */
    @Test
    void procNetListsTheMachinesSocketsByInode() {
        try (Guest g = new Guest(root, false)) {
            long listener = g.rax(41, 2, 1, 0);
            long address = g.put(new byte[] {2, 0, 0x22, 0x3d, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}); // 127.0.0.1:8765
            assertThat(g.rax(49, listener, address, 16)).isZero();
            assertThat(g.rax(50, listener, 5)).isZero();
            long client = g.rax(41, 2, 1, 0);
            assertThat(g.rax(42, client, address, 16)).isZero();
            assertThat(g.rax(41, 2, 1, 0)).as("unnamed: not listed").isEqualTo(5);
            long pair = g.buffer(8);
            assertThat(g.rax(53, 1, 1, 0, pair)).isZero();

            String tcp = g.readFile("/proc/net/tcp");
            assertThat(tcp.lines().toList()).hasSize(3).allSatisfy(line -> assertThat(line).hasSize(149));
            String listenerInode = readlink(g, "/proc/self/fd/" + listener).replaceAll("\\D", "");
            assertThat(tcp.lines().skip(1).findFirst().orElseThrow()).startsWith("   0: 0100007F:223D 00000000:0000 0A "
                    + "00000000:00000000 00:00000000 00000000 ").contains(" " + listenerInode + " 1 0000000000000000");
            assertThat(tcp.lines().skip(2).findFirst().orElseThrow()).matches("   1: 0100007F:[0-9A-F]{4} 0100007F:223D 01 .*");
            assertThat(g.readFile("/proc/net/udp")).startsWith("   sl  local_address").hasSize(128);
            assertThat(g.readFile("/proc/net/tcp6").lines()).hasSize(1);
            assertThat(g.readFile("/proc/net/sockstat")).startsWith("sockets: used 5\nTCP: inuse 2 orphan 0 tw 0 alloc 3 "
                    + "mem 0\nUDP: inuse 0 mem 0\n");
            assertThat(g.readFile("/proc/net/sockstat6")).startsWith("TCP6: inuse 0\nUDP6: inuse 0\n");
            assertThat(g.readFile("/proc/net/unix").lines().toList()).hasSize(3)
                    .element(1).asString().matches("0000000000000000: 00000002 00000000 00000000 0001 03 +\\d+");
        }
    }

    /**
     * The /proc files lsof, prlimit, ps and Python's tests read (since stop 54; each was ENOENT): a descriptor's
     * fdinfo, the process's limits and statm, the machine's loadavg, version and file systems; /dev/null's descriptor
     * is named and seeks as Linux's.
     */
    @Test
    void procHasFdinfoLimitsStatmLoadavgVersionAndFilesystems() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(257, AT_FDCWD, g.string("/dev/null"), O_RDONLY | 02000000, 0);
            assertThat(fd).isEqualTo(3);
            assertThat(g.rax(8, fd, 100, 0)).as("lseek of /dev/null").isZero();
            assertThat(readlink(g, "/proc/self/fd/3")).isEqualTo("/dev/null");
            assertThat(g.readFile("/proc/self/fdinfo/3")).isEqualTo("pos:\t0\nflags:\t02100000\nmnt_id:\t1\nino:\t4\n");
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/self/fdinfo/9"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            assertThat(g.readFile("/proc/self/limits")).startsWith("Limit                     Soft Limit           "
                    + "Hard Limit           Units     \nMax cpu time              unlimited            unlimited"
                    + "            seconds   \n").contains("\nMax open files            1024                 1024");
            String[] statm = g.readFile("/proc/self/statm").trim().split(" ");
            assertThat(statm).hasSize(7);
            assertThat(Long.parseLong(statm[0]) * 4096).isEqualTo(g.process.mappings().totalBytes());
            assertThat(g.readFile("/proc/loadavg")).isEqualTo("0.00 0.00 0.00 1/1 4242\n");
            assertThat(g.readFile("/proc/version")).startsWith("Linux version 6.1.0 (hdbg) ");
            assertThat(g.readFile("/proc/filesystems")).contains("nodev\ttmpfs\n", "nodev\tproc\n");
        }
    }

    /** lsof and fuser read another process's descriptors, as a process of the same user may (ENOENT before). */
    @Test
    void anotherProcessesDescriptorsAreListedAndNamed() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.rax(257, AT_FDCWD, g.string("/dev/null"), O_RDONLY, 0)).isEqualTo(3);
            long child = g.spawn(57);
            assertThat(g.rax(3, 3)).as("the parent's closed; the child's stays").isZero();
            assertThat(readlink(g, "/proc/" + child + "/fd/3")).isEqualTo("/dev/null");
            assertThat(g.readFile("/proc/" + child + "/fdinfo/3")).startsWith("pos:\t0\nflags:\t0100000\n");
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/self/fd/3"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            long stat = g.buffer(144);
            assertThat(g.rax(6, g.string("/proc/" + child + "/fd/3"), stat)).as("lstat").isZero();
            assertThat(java.nio.ByteBuffer.wrap(g.machine.memory().read(stat, 144)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getInt(24) & 07777).as("lr-x------: lsof's r").isEqualTo(0500);
            long dir = g.rax(257, AT_FDCWD, g.string("/proc/" + child + "/fd"), O_RDONLY | 0200000, 0);
            assertThat(dir).isPositive();
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/" + child + "/fd/3"), O_RDONLY, 0)).as("opened through it")
                    .isPositive();
        }
    }

    /** hostname(1) and scripts read the machine's names from /proc/sys/kernel, as uname gives them. */
    @Test
    void procSysKernelHasTheMachinesNames() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/proc/sys/kernel/hostname")).isEqualTo("hdbg\n");
            assertThat(g.readFile("/proc/sys/kernel/ostype")).isEqualTo("Linux\n");
            assertThat(g.readFile("/proc/sys/kernel/osrelease")).isEqualTo("6.1.0\n");
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/sys/kernel/core_pattern"), O_RDONLY, 0))
                    .isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/sys/vm"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
        }
    }

    /**
     * Every process of the machine has its /proc/PID with its ids, group, state and program, which ps, pgrep and
     * pkill read (they found only the process itself, and ps asked for /proc to be mounted); its memory map and
     * descriptors are its own.
     */
    @Test
    void procListsTheMachinesOtherProcessesWithTheirIdsAndState() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.spawn(57)).as("fork").isEqualTo(4243);
            assertThat(g.rax(109, 4243, 0)).as("the child in a group of its own").isZero();
            assertThat(g.readFile("/proc/4243/stat")).startsWith("4243 (prog) S 4242 4243 1 0 -1 ")
                    .endsWith(" 0\n").satisfies(stat -> assertThat(stat.split(" ")).hasSize(52));
            assertThat(g.readFile("/proc/self/stat")).startsWith("4242 (prog) R 1 4242 1 ");
            assertThat(g.readFile("/proc/4243/status")).contains("Name:\tprog\n", "State:\tS (sleeping)\n",
                    "Pid:\t4243\n", "PPid:\t4242\n", "TracerPid:\t0\n", "Threads:\t1\n");
            assertThat(g.readFile("/proc/4243/cmdline")).isEqualTo("prog\0");
            assertThat(readlink(g, "/proc/4243/exe")).isEqualTo("/bin/prog");
            assertThat(g.readFile("/proc/4243/task/4243/stat")).startsWith("4243 (prog) S ");
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/4243/maps"), O_RDONLY, 0)).as("another's memory map")
                    .isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/4244/stat"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            assertThat(g.rax(257, AT_FDCWD, g.string("/proc/04243/stat"), O_RDONLY, 0)).isEqualTo(-Errno.ENOENT);
            assertThat(g.readFile("/proc/sys/kernel/pid_max")).isEqualTo("4194304\n");
            java.nio.ByteBuffer action = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long handler = g.put(action.putLong(0, 0x400100).putLong(8, 0x0400_0000).putLong(16, 0x400200).array());
            long ignore = g.put(java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(0, 1).array());
            assertThat(g.rax(13, 10, handler, 0, 8)).as("a handler for SIGUSR1").isZero();
            assertThat(g.rax(13, 13, ignore, 0, 8)).as("SIGPIPE ignored").isZero();
            assertThat(g.readFile("/proc/self/status")).contains("SigIgn:\t0000000000001000\n",
                    "SigCgt:\t0000000000000200\n");
            String[] stat = g.readFile("/proc/self/stat").split(" ");
            assertThat(stat[32]).as("stat's sigignore").isEqualTo("4096");
            assertThat(stat[33]).as("stat's sigcatch").isEqualTo("512");
            assertThat(g.readFile("/proc/stat")).containsPattern("\nbtime \\d+\n").contains("processes 2\n");
        }
    }

    /**
     * What a debugger's host reads of the target's /proc (protocol 1.19, gdb's info auxv and info proc): the guest's
     * files of any live process by pid or self, nothing else, and never the host's.
     */
    @Test
    void aHostReadsTheTargetsProcFilesAsTheGuestDoes() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.process.procFile("/proc/4242/cmdline")).hasValueSatisfying(b ->
                    assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("prog\0"));
            assertThat(g.process.procFile("/proc/self/comm")).hasValueSatisfying(b ->
                    assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("prog\n"));
            assertThat(g.process.procFile("/proc/self/auxv")).as("the vector the process started with").isPresent();
            assertThat(g.process.procFile("/proc/self/environ")).as("the guest's environment, never the agent's")
                    .hasValueSatisfying(b -> assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8))
                            .isEqualTo("HOME=/\0LANG=C\0"));
            for (String absent : new String[] {"/proc/self", "/proc/self/exe", "/proc/1/cmdline",
                "/proc/x/cmdline", "/proc/meminfo", "/etc/passwd", "/proc/self/fd"}) {
                assertThat(g.process.procFile(absent)).as(absent).isEmpty();
            }
        }
    }

    @Test
    void devicesWorkAndTheTerminalIsAbsent() {
        try (Guest g = new Guest(root, false)) {
            long fd = g.rax(257, AT_FDCWD, g.string("/dev/urandom"), O_RDONLY, 0);
            long buffer = g.buffer(64);
            assertThat(g.rax(0, fd, buffer, 64)).isEqualTo(64);
            assertThat(g.machine.memory().read(buffer, 64)).as("random, not zero").isNotEqualTo(new byte[64]);
            long zero = g.rax(257, AT_FDCWD, g.string("/dev/zero"), O_RDONLY, 0);
            g.rax(0, zero, buffer, 64);
            assertThat(g.machine.memory().read(buffer, 64)).containsOnly(0);
            long devNull = g.rax(257, AT_FDCWD, g.string("/dev/null"), O_WRONLY, 0);
            assertThat(g.rax(1, devNull, buffer, 64)).as("writes to /dev/null need no writable root").isEqualTo(64);
            assertThat(g.rax(257, AT_FDCWD, g.string("/dev/tty"), O_RDONLY, 0)).isEqualTo(-Errno.ENXIO);
            assertThat(readlink(g, "/dev/stdout")).isEqualTo("/proc/self/fd/1");
            assertThat(g.readFile("/sys/devices/system/cpu/online")).isEqualTo("0\n");
        }
    }

    @Test
    void procSelfMapsNamesWhatTheProcessMappedAndNotWhatItUnmapped() {
        try (Guest g = new Guest(root, false)) {
            int prot = 3;
            int privateAnonymous = 0x22;
            long a = g.rax(9, 0, 0x2000, prot, privateAnonymous, -1, 0);
            String maps = g.readFile("/proc/self/maps");
            assertThat(maps).contains(String.format("%08x-%08x rw-p 00000000 00:00 0", a, a + 0x2000))
                    .doesNotContain("kernel");
            g.rax(11, a, 0x1000);
            assertThat(g.readFile("/proc/self/maps")).doesNotContain(String.format("%08x-", a))
                    .contains(String.format("%08x-%08x rw-p", a + 0x1000, a + 0x2000));
        }
    }
}
