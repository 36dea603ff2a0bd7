package dev.hdbg.agent.os.linux.net;

import java.nio.charset.StandardCharsets;

/**
 * The machine's one network interface, its loopback, as a Linux machine whose network namespace has nothing else
 * shows it ({@code unshare -n}, {@code docker run --network none}): what rtnetlink ({@link RouteNetlink}), the
 * SIOCGIF ioctls and {@code /proc/net} say of it. The program's TCP and UDP sockets talk over it and nothing else
 * ({@code InetSockets}); an address beyond it is unreachable.
 */
public final class Loopback {
    /** if_nametoindex("lo"): the first interface a namespace has. */
    public static final int INDEX = 1;
    public static final String NAME = "lo";
    public static final int IFF_UP = 0x1;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    /** The flags SIOCGIFFLAGS gives (ifr_flags is a short): up, loopback, running. */
    public static final int FLAGS = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    /** rtnetlink's ifi_flags add the carrier's state. */
    public static final int IFF_LOWER_UP = 0x10000;
    public static final int MTU = 65536;
    public static final int TX_QUEUE_LENGTH = 1000;
    /** ARPHRD_LOOPBACK: its hardware type. */
    public static final int HARDWARE_TYPE = 772;
    /** Its IPv4 address and the prefix it is configured with (127.0.0.1/8). */
    public static final byte[] IPV4 = {127, 0, 0, 1};
    public static final int IPV4_PREFIX = 8;
    /** Its IPv6 address, ::1/128. */
    public static final byte[] IPV6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    public static final int IPV6_PREFIX = 128;

    private Loopback() {
    }

    /**
     * Whether {@code name}, an interface name as a C string (up to its NUL, or all of it without one: an ifreq's 16
     * bytes, an IFLA_IFNAME attribute), is the loopback's.
     */
    public static boolean isNamed(byte[] name) {
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.US_ASCII).equals(NAME);
    }

    /** Whether an IPv4 address is the loopback's network, 127.0.0.0/8, where every address is local. */
    public static boolean onLoopback4(byte[] address) {
        return address.length == 4 && address[0] == 127;
    }

    /** An IPv4 netmask of {@code prefix} bits. */
    static byte[] mask4(int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new byte[] {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    }

    /** Its netmask, 255.0.0.0. */
    public static byte[] netmask4() {
        return mask4(IPV4_PREFIX);
    }
}
