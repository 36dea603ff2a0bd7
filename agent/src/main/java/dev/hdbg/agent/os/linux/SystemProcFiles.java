package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.NetProcFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The machine's own files in {@code /proc}, the same for every process: memory, uptime, load, the CPU and scheduler
 * counts, the kernel's version and file systems, {@code /proc/sys/kernel}, {@code /proc/net} and {@code vmstat}. Made from the emulated machine, never
 * the host's ({@link VirtualFiles} has the processes' own).
 */
final class SystemProcFiles {
    private static final Set<String> NAMES = Set.of("meminfo", "uptime", "stat", "cpuinfo", "loadavg", "version",
            "filesystems", "sys", "net", "vmstat");
    /** The file systems the machine has, as /proc/filesystems lists them ("nodev": no device behind it). */
    private static final String FILESYSTEMS = "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevpts\n\thdbg\n";

    /** {@code /proc/net}'s socket tables. */
    private static final List<String> SOCKET_TABLES = List.of("sockstat", "sockstat6", "tcp", "tcp6", "udp", "udp6",
            "unix");

    private final ProcessTable table;
    private final GuestClock clock;

    SystemProcFiles(ProcessTable table) {
        this.table = table;
        this.clock = table.clock();
    }

    /** Whether {@code /proc/NAME} is one of these (whether or not it exists on this machine: cpuinfo may not). */
    static boolean owns(String name) {
        return NAMES.contains(name);
    }

    /** The names these give in {@code /proc}. */
    List<String> names() {
        List<String> names = new ArrayList<>(List.of("filesystems", "loadavg", "meminfo", "net", "stat", "sys",
                "uptime", "version", "vmstat"));
        if (table.cpuid() != null) {
            names.add("cpuinfo");
        }
        return names;
    }

    /** The node at {@code rest} beneath {@code /proc}; null when none of these is there. */
    VirtualNode node(List<String> rest) {
        String first = rest.getFirst();
        if (first.equals("sys")) {
            return kernelSettings(rest.subList(1, rest.size()));
        }
        if (first.equals("net")) {
            return network(rest.subList(1, rest.size()));
        }
        if (rest.size() != 1) {
            return null;
        }
        return switch (first) {
            case "meminfo" -> file(() -> String.format("MemTotal:       %8d kB%nMemFree:        %8d kB%n"
                    + "MemAvailable:   %8d kB%n", ProcessSyscalls.TOTAL_RAM >> 10, ProcessSyscalls.FREE_RAM >> 10,
                    ProcessSyscalls.FREE_RAM >> 10));
            case "uptime" -> file(() -> String.format("%.2f %.2f%n", clock.uptimeSeconds(), clock.uptimeSeconds()));
            case "stat" -> file(this::systemStat);
            case "cpuinfo" -> {
                CpuInfo.Source cpuid = table.cpuid();
                yield cpuid == null ? null : file(() -> CpuInfo.of(cpuid));
            }
            case "loadavg" -> file(this::loadAverage);
            case "version" -> file(() -> Uname.SYSTEM_NAME + " version " + Uname.RELEASE + " (hdbg) " + Uname.VERSION
                    + "\n");
            case "filesystems" -> file(() -> FILESYSTEMS);
            case "vmstat" -> file(SystemProcFiles::virtualMemoryCounters);
            default -> null;
        };
    }

    /**
     * {@code /proc/stat}: one CPU that has been idle (the guest's time is not accounted per process), the boot time
     * ps dates processes from, and the processes.
     */
    private String systemStat() {
        long bootSeconds = (clock.realtime() - clock.monotonic()) / 1_000_000_000L;
        long idleTicks = clock.monotonic() / 10_000_000L;
        int processes = table.all().size();
        return "cpu  0 0 0 " + idleTicks + " 0 0 0 0 0 0\ncpu0 0 0 0 " + idleTicks + " 0 0 0 0 0 0\nintr 0\nctxt "
                + table.switches() + "\nbtime " + bootSeconds + "\nprocesses " + processes
                + "\nprocs_running 1\nprocs_blocked 0\n";
    }

    /**
     * {@code /proc/loadavg}: no load is averaged (0.00, as sysinfo's loads are 0), the one thread running of the
     * machine's, and the last pid given out.
     */
    private String loadAverage() {
        int threads = 0;
        long lastPid = 0;
        for (LinuxProcess p : table.all()) {
            threads += Math.max(1, table.scheduler().threadsOf(p).size());
            lastPid = Math.max(lastPid, p.pid());
        }
        return "0.00 0.00 0.00 1/" + threads + " " + lastPid + "\n";
    }

    /**
     * {@code /proc/sys/kernel}: the largest pid (ps sizes its column by it) and the names uname gives, which
     * {@code hostname} and shell scripts read here.
     */
    private static VirtualNode kernelSettings(List<String> rest) {
        Map<String, String> kernel = new TreeMap<>(Map.of("pid_max", "4194304", "hostname", Uname.NODE_NAME,
                "domainname", Uname.DOMAIN_NAME, "ostype", Uname.SYSTEM_NAME, "osrelease", Uname.RELEASE,
                "version", Uname.VERSION));
        if (rest.isEmpty()) {
            return VirtualNode.Directory.of(List.of("kernel"));
        }
        if (!rest.getFirst().equals("kernel") || rest.size() > 2) {
            return null;
        }
        if (rest.size() == 1) {
            return VirtualNode.Directory.of(List.copyOf(kernel.keySet()));
        }
        String value = kernel.get(rest.get(1));
        return value == null ? null : file(() -> value + "\n");
    }

    /**
     * {@code /proc/net}: the machine's network, its loopback alone ({@link NetProcFiles}), and its sockets
     * ({@link MachineSockets}), read when the file is read.
     */
    private VirtualNode network(List<String> rest) {
        if (rest.isEmpty()) {
            List<String> names = new ArrayList<>(NetProcFiles.NAMES);
            names.addAll(SOCKET_TABLES);
            return VirtualNode.Directory.of(names);
        }
        if (rest.size() != 1) {
            return null;
        }
        String name = rest.getFirst();
        if (SOCKET_TABLES.contains(name)) {
            return file(() -> MachineSockets.of(table).text(name));
        }
        String text = NetProcFiles.text(name);
        return text == null ? null : file(() -> text);
    }

    /**
     * {@code /proc/vmstat}: the free pages meminfo counts, and no paging or swapping (the machine has no swap and
     * its memory is the agent's); vmstat reads it.
     */
    private static String virtualMemoryCounters() {
        StringBuilder text = new StringBuilder("nr_free_pages " + (ProcessSyscalls.FREE_RAM >> 12) + "\n");
        for (String counter : List.of("nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file",
                "nr_unevictable", "nr_mlock", "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty",
                "nr_writeback", "nr_shmem", "pgpgin", "pgpgout", "pswpin", "pswpout", "pgfault", "pgmajfault")) {
            text.append(counter).append(" 0\n");
        }
        return text.toString();
    }

    private static VirtualNode file(Supplier<String> text) {
        return new VirtualNode.File(() -> text.get().getBytes(StandardCharsets.UTF_8));
    }
}
