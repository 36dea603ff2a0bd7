package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.Loopback;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The network-interface ioctls any socket takes ({@code SIOCGIF*}, on a {@code struct ifreq} naming the interface):
 * what the machine's one interface, the {@link Loopback}, is: SIOCGIFCONF's list of IPv4 interfaces, flags, index
 * and name, MTU, hardware address, queue length; on an IPv4 socket, its addresses, as Linux's devinet_ioctl answers
 * only there. Java's NetworkInterface, glibc's if_nametoindex and net-tools read these. An interface the machine
 * lacks is ENODEV; the requests that would change one ({@code SIOCSIF*}) are EPERM, as the emulated network cannot
 * change.
 */
final class InterfaceRequests {
    private static final int SIOCGIFNAME = 0x8910;
    private static final int SIOCGIFCONF = 0x8912;
    private static final int SIOCGIFFLAGS = 0x8913;
    private static final int SIOCGIFADDR = 0x8915;
    private static final int SIOCGIFDSTADDR = 0x8917;
    private static final int SIOCGIFBRDADDR = 0x8919;
    private static final int SIOCGIFNETMASK = 0x891b;
    private static final int SIOCGIFMETRIC = 0x891d;
    private static final int SIOCGIFMTU = 0x8921;
    private static final int SIOCGIFHWADDR = 0x8927;
    private static final int SIOCGIFINDEX = 0x8933;
    private static final int SIOCGIFTXQLEN = 0x8942;
    private static final int SIOCGIFMAP = 0x8970;
    /** The setters among the 0x89xx requests: SIOCSIFFLAGS, SIOCSIFADDR ... SIOCSIFTXQLEN, SIOCSIFMAP. */
    private static final int[] SETTERS = {0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8920, 0x8922, 0x8923,
        0x8924, 0x8930, 0x8931, 0x8936, 0x8943, 0x8971};
    /** struct ifreq: a 16-byte name, then a 24-byte union (a sockaddr, flags, an int ...). */
    private static final int IFREQ = 40;
    private static final int NAME = 16;
    private static final int AF_INET = 2;

    private InterfaceRequests() {
    }

    /** Whether {@code request} is one of these. */
    static boolean handles(int request) {
        return request >= 0x8910 && request <= 0x8971 && (answers(request) || isSetter(request));
    }

    private static boolean answers(int request) {
        return switch (request) {
            case SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR, SIOCGIFNETMASK,
                 SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFTXQLEN, SIOCGIFMAP -> true;
            default -> false;
        };
    }

    private static boolean isSetter(int request) {
        return Arrays.stream(SETTERS).anyMatch(r -> r == request);
    }

    /** Answers {@code request} on a socket ({@code ipv4}: an AF_INET one) into the guest's memory at {@code argument}. */
    static long answer(UserMemory user, int request, long argument, boolean ipv4) {
        if (isSetter(request)) {
            throw new SyscallException(Errno.EPERM);
        }
        if (request == SIOCGIFCONF) {
            return configuration(user, argument);
        }
        ByteBuffer ifreq = UserMemory.struct(IFREQ).put(user.read(argument, IFREQ));
        if (request == SIOCGIFNAME) {
            if (ifreq.getInt(NAME) != Loopback.INDEX) {
                throw new SyscallException(Errno.ENODEV);
            }
            user.write(argument, name());
            return 0;
        }
        if (!named(ifreq)) {
            throw new SyscallException(Errno.ENODEV);
        }
        ByteBuffer value = UserMemory.struct(IFREQ - NAME);
        switch (request) {
            case SIOCGIFFLAGS -> value.putShort((short) Loopback.FLAGS);
            case SIOCGIFMETRIC -> value.putInt(0);
            case SIOCGIFMTU -> value.putInt(Loopback.MTU);
            case SIOCGIFINDEX -> value.putInt(Loopback.INDEX);
            case SIOCGIFTXQLEN -> value.putInt(Loopback.TX_QUEUE_LENGTH);
            case SIOCGIFHWADDR -> value.putShort((short) Loopback.HARDWARE_TYPE); // and six zero bytes
            case SIOCGIFMAP -> { } // no memory, IRQ or DMA
            default -> {
                if (!ipv4) {
                    throw new SyscallException(Errno.ENOTTY); // the address requests are IPv4 sockets' own
                }
                value.put(ipv4Address(switch (request) {
                    case SIOCGIFADDR, SIOCGIFDSTADDR -> Loopback.IPV4;
                    case SIOCGIFNETMASK -> Loopback.netmask4();
                    default -> new byte[4]; // SIOCGIFBRDADDR: the loopback has no broadcast address
                }));
            }
        }
        user.write(argument + NAME, value.array());
        return 0;
    }

    /** Whether the ifreq names the loopback (its name NUL-terminated within the 16 bytes). */
    private static boolean named(ByteBuffer ifreq) {
        return Loopback.isNamed(Arrays.copyOf(ifreq.array(), NAME));
    }

    private static byte[] name() {
        return Arrays.copyOf(Loopback.NAME.getBytes(StandardCharsets.US_ASCII), NAME);
    }

    /** A struct sockaddr_in of {@code address}, port 0. */
    private static byte[] ipv4Address(byte[] address) {
        return UserMemory.struct(16).putShort((short) AF_INET).putShort((short) 0).put(address).array();
    }

    /**
     * SIOCGIFCONF on a {@code struct ifconf} (its length, then a pointer): with no buffer, the length the list needs;
     * else the interfaces with an IPv4 address that fit, and the length they took.
     */
    private static long configuration(UserMemory user, long argument) {
        ByteBuffer ifconf = UserMemory.struct(16).put(user.read(argument, 16));
        int room = ifconf.getInt(0);
        long buffer = ifconf.getLong(8);
        if (buffer == 0) {
            user.writeInt(argument, IFREQ);
            return 0;
        }
        if (room < IFREQ) {
            user.writeInt(argument, 0);
            return 0;
        }
        user.write(buffer, UserMemory.struct(IFREQ).put(name()).put(ipv4Address(Loopback.IPV4)).array());
        user.writeInt(argument, IFREQ);
        return 0;
    }
}
