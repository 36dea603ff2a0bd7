package dev.hdbg.agent.os.linux.net;

import java.util.HexFormat;
import java.util.List;

/**
 * {@code /proc/net}'s files about the machine's interfaces, as a loopback-only namespace's read: {@code dev} (its
 * counters, nothing counted), {@code if_inet6} (its IPv6 address: Java's NetworkInterface reads it) and {@code route}
 * (IPv4's main table: empty, only the header). psutil, ifconfig and netstat -i read these.
 */
public final class NetProcFiles {
    /** The names of {@code /proc/net}. */
    public static final List<String> NAMES = List.of("dev", "if_inet6", "route");
    private static final int IFA_F_PERMANENT = 0x80;
    /** IPV6_ADDR_LOOPBACK: if_inet6's scope column of ::1. */
    private static final int SCOPE_LOOPBACK = 0x10;

    private NetProcFiles() {
    }

    /** The text of {@code /proc/net/NAME}; null for a name it does not have. */
    public static String text(String name) {
        return switch (name) {
            case "dev" -> "Inter-|   Receive                                                |  Transmit\n"
                    + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo "
                    + "colls carrier compressed\n"
                    + String.format("%6s:%8d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d%n",
                            Loopback.NAME, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            case "if_inet6" -> String.format("%s %02x %02x %02x %02x %8s%n", HexFormat.of().formatHex(Loopback.IPV6),
                    Loopback.INDEX, Loopback.IPV6_PREFIX, SCOPE_LOOPBACK, IFA_F_PERMANENT, Loopback.NAME);
            case "route" -> String.format("%-127s%n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
                    + "Mask\t\tMTU\tWindow\tIRTT");
            default -> null;
        };
    }
}
