package dev.hdbg.agent.os.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink messages that describe the loopback, its addresses, routes and rules, with the attributes Linux
 * sends for them (compared with a loopback-only network namespace's under strace): what {@code ip addr},
 * {@code ip -d link}, {@code ip route show table all}, {@code ip rule} and glibc's {@code getifaddrs} read.
 */
final class LoopbackMessages {
    static final int RTM_NEWLINK = 16;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_NEWRULE = 32;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int IFA_F_PERMANENT = 0x80;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_LINK = 253;
    private static final int RT_SCOPE_HOST = 254;
    static final int RT_TABLE_MAIN = 254;
    static final int RT_TABLE_LOCAL = 255;
    private static final int RT_TABLE_DEFAULT = 253;
    private static final int RTPROT_KERNEL = 2;
    private static final int RTN_LOCAL = 2;
    private static final int RTN_BROADCAST = 3;
    private static final int RTM_F_CLONED = 0x200;
    /** RTCF_LOCAL, in a lookup's rtm_flags: the destination is the machine's own ({@code ip}: "cache <local>"). */
    private static final int RTCF_LOCAL = 0x80000000;
    static final int RTA_DST = 1;
    static final int RTA_SRC = 2;
    private static final int RTA_OIF = 4;
    private static final int RTA_PRIORITY = 6;
    private static final int RTA_PREFSRC = 7;
    private static final int RTA_CACHEINFO = 12;
    private static final int RTA_TABLE = 15;
    private static final int RTA_PREF = 20;
    private static final int RTA_UID = 25;
    /** struct rta_cacheinfo: 8 u32, the first (rta_clntref) 2 in a lookup's answer. */
    private static final int ROUTE_CACHE_INFO = 32;
    /** IF_READY in IFLA_INET6_FLAGS: IPv6 is up on the interface. */
    private static final int IF_READY = 0x80000000;

    private LoopbackMessages() {
    }

    /** RTM_NEWLINK for the loopback (struct ifinfomsg, then IFLA_*), as rtnl_fill_ifinfo writes it. */
    static byte[] link(int flags, int sequence, int portId) {
        ByteBuffer info = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0).put((byte) 0)
                .putShort((short) Loopback.HARDWARE_TYPE).putInt(Loopback.INDEX)
                .putInt(Loopback.FLAGS | Loopback.IFF_LOWER_UP).putInt(0);
        return new NetlinkMessage(RTM_NEWLINK, flags, sequence, portId).raw(info.array())
                .string(3, Loopback.NAME) // IFLA_IFNAME
                .u32(13, Loopback.TX_QUEUE_LENGTH) // IFLA_TXQLEN
                .u8(16, 0) // IFLA_OPERSTATE: IF_OPER_UNKNOWN, as a loopback's always is
                .u8(17, 0) // IFLA_LINKMODE
                .u32(4, Loopback.MTU)
                .u32(50, 0).u32(51, 0) // IFLA_MIN_MTU, IFLA_MAX_MTU
                .u32(27, 0) // IFLA_GROUP
                .u32(30, 0).u32(61, 0) // IFLA_PROMISCUITY, IFLA_ALLMULTI
                .u32(31, 1) // IFLA_NUM_TX_QUEUES
                .u32(40, 65535).u32(41, 65536).u32(58, 65536) // GSO_MAX_SEGS, GSO_MAX_SIZE, GRO_MAX_SIZE
                .u32(59, 524280).u32(60, 65535) // TSO_MAX_SIZE, TSO_MAX_SEGS
                .u32(32, 1) // IFLA_NUM_RX_QUEUES
                .u8(33, 1) // IFLA_CARRIER
                .u32(35, 0).u32(47, 0).u32(48, 0) // CARRIER_CHANGES, CARRIER_UP_COUNT, CARRIER_DOWN_COUNT
                .u8(39, 0) // IFLA_PROTO_DOWN
                .zeros(1, 6).zeros(2, 6) // IFLA_ADDRESS, IFLA_BROADCAST: 00:00:00:00:00:00
                .zeros(23, 25 * 8) // IFLA_STATS64: struct rtnl_link_stats64, nothing counted
                .zeros(7, 24 * 4) // IFLA_STATS: struct rtnl_link_stats
                .nest(43).u8(2, 0).endNest() // IFLA_XDP: IFLA_XDP_ATTACHED none
                .string(6, "noqueue") // IFLA_QDISC
                .nest(26).nest(AF_INET6).u32(1, IF_READY).u8(8, 0).endNest().endNest() // AF_SPEC: addrgenmode eui64
                .zeros(14, 32) // IFLA_MAP: struct rtnl_link_ifmap
                .bytes();
    }

    /** The loopback's RTM_NEWADDR messages of {@code family} (AF_UNSPEC: both): 127.0.0.1/8, then ::1/128. */
    static List<byte[]> addresses(int family, int flags, int sequence, int portId) {
        List<byte[]> messages = new ArrayList<>();
        byte[] cacheInfo = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(-1).array();
        if (family == 0 || family == AF_INET) {
            messages.add(new NetlinkMessage(RTM_NEWADDR, flags, sequence, portId)
                    .raw(addressHeader(AF_INET, Loopback.IPV4_PREFIX))
                    .attribute(1, Loopback.IPV4).attribute(2, Loopback.IPV4) // IFA_ADDRESS, IFA_LOCAL
                    .string(3, Loopback.NAME) // IFA_LABEL
                    .u32(8, IFA_F_PERMANENT) // IFA_FLAGS
                    .attribute(6, cacheInfo) // IFA_CACHEINFO: preferred and valid for ever
                    .bytes());
        }
        if (family == 0 || family == AF_INET6) {
            messages.add(new NetlinkMessage(RTM_NEWADDR, flags, sequence, portId)
                    .raw(addressHeader(AF_INET6, Loopback.IPV6_PREFIX))
                    .attribute(1, Loopback.IPV6).attribute(6, cacheInfo).u32(8, IFA_F_PERMANENT)
                    .bytes());
        }
        return messages;
    }

    /** struct ifaddrmsg: family, prefix length, flags, scope (host), interface index. */
    private static byte[] addressHeader(int family, int prefix) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) family).put((byte) prefix)
                .put((byte) IFA_F_PERMANENT).put((byte) RT_SCOPE_HOST).putInt(Loopback.INDEX).array();
    }

    /**
     * The routing tables' RTM_NEWROUTE messages of {@code family}: the local table's routes of the loopback's
     * addresses (the main table of a loopback-only namespace is empty).
     */
    static List<byte[]> routes(int family, int flags, int sequence, int portId) {
        List<byte[]> messages = new ArrayList<>();
        if (family == 0 || family == AF_INET) {
            byte[][] destinations = {{127, 0, 0, 0}, Loopback.IPV4, {127, (byte) 255, (byte) 255, (byte) 255}};
            int[] lengths = {8, 32, 32};
            for (int i = 0; i < destinations.length; i++) {
                boolean broadcast = i == 2;
                messages.add(new NetlinkMessage(RTM_NEWROUTE, flags, sequence, portId)
                        .raw(routeHeader(AF_INET, lengths[i], 0, RT_TABLE_LOCAL, RTPROT_KERNEL,
                                broadcast ? RT_SCOPE_LINK : RT_SCOPE_HOST, broadcast ? RTN_BROADCAST : RTN_LOCAL, 0))
                        .u32(RTA_TABLE, RT_TABLE_LOCAL).attribute(RTA_DST, destinations[i])
                        .attribute(RTA_PREFSRC, Loopback.IPV4).u32(RTA_OIF, Loopback.INDEX)
                        .bytes());
            }
        }
        if (family == 0 || family == AF_INET6) {
            messages.add(new NetlinkMessage(RTM_NEWROUTE, flags, sequence, portId)
                    .raw(routeHeader(AF_INET6, 128, 0, RT_TABLE_LOCAL, RTPROT_KERNEL, RT_SCOPE_UNIVERSE, RTN_LOCAL, 0))
                    .u32(RTA_TABLE, RT_TABLE_LOCAL).attribute(RTA_DST, Loopback.IPV6).u32(RTA_PRIORITY, 0)
                    .u32(RTA_OIF, Loopback.INDEX).zeros(RTA_CACHEINFO, ROUTE_CACHE_INFO).u8(RTA_PREF, 0)
                    .bytes());
        }
        return messages;
    }

    /**
     * The answer to a route lookup (ip route get) of {@code destination}, from {@code source} when one is asked (else
     * null), by user {@code uid}: every address of 127.0.0.0/8 (and 0.0.0.0) is the machine's own, ::1 too; null for
     * any other, which no route reaches.
     */
    static byte[] lookup(int family, byte[] destination, byte[] source, int uid, int sequence, int portId) {
        byte[] cacheInfo = ByteBuffer.allocate(ROUTE_CACHE_INFO).order(ByteOrder.LITTLE_ENDIAN).putInt(2).array();
        if (family == AF_INET && destination.length == 4
                && (Loopback.onLoopback4(destination) || java.util.Arrays.equals(destination, new byte[4]))) {
            NetlinkMessage route = new NetlinkMessage(RTM_NEWROUTE, 0, sequence, portId)
                    .raw(routeHeader(AF_INET, 32, source != null ? 32 : 0, RT_TABLE_MAIN, 0, RT_SCOPE_UNIVERSE,
                            RTN_LOCAL, RTM_F_CLONED | RTCF_LOCAL))
                    .u32(RTA_TABLE, RT_TABLE_MAIN).attribute(RTA_DST, destination);
            if (source != null) { // ip route get ... from: the source asked instead of the preferred one
                route.attribute(RTA_SRC, source);
            }
            route.u32(RTA_OIF, Loopback.INDEX);
            if (source == null) {
                route.attribute(RTA_PREFSRC, Loopback.IPV4);
            }
            return route.u32(RTA_UID, uid).attribute(RTA_CACHEINFO, cacheInfo).bytes();
        }
        if (family == AF_INET6 && java.util.Arrays.equals(destination, Loopback.IPV6)) {
            return new NetlinkMessage(RTM_NEWROUTE, 0, sequence, portId)
                    .raw(routeHeader(AF_INET6, 128, 128, RT_TABLE_LOCAL, RTPROT_KERNEL, RT_SCOPE_UNIVERSE, RTN_LOCAL,
                            0))
                    .u32(RTA_TABLE, RT_TABLE_LOCAL).attribute(RTA_DST, Loopback.IPV6)
                    .attribute(RTA_SRC, source != null ? source : new byte[16])
                    .attribute(RTA_PREFSRC, Loopback.IPV6).u32(RTA_PRIORITY, 0).u32(RTA_OIF, Loopback.INDEX)
                    .attribute(RTA_CACHEINFO, cacheInfo).u8(RTA_PREF, 0)
                    .bytes();
        }
        return null;
    }

    /** struct rtmsg. */
    private static byte[] routeHeader(int family, int destinationLength, int sourceLength, int table, int protocol,
            int scope, int type, int flags) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put((byte) family).put((byte) destinationLength)
                .put((byte) sourceLength).put((byte) 0).put((byte) table).put((byte) protocol).put((byte) scope)
                .put((byte) type).putInt(flags).array();
    }

    /**
     * The policy routing rules of {@code family}, Linux's defaults: look up the local table, then main (32766), then
     * for IPv4 default (32767).
     */
    static List<byte[]> rules(int family, int flags, int sequence, int portId) {
        List<byte[]> messages = new ArrayList<>();
        for (int f : new int[] {AF_INET, AF_INET6}) {
            if (family != 0 && family != f) {
                continue;
            }
            int[][] tables = f == AF_INET ? new int[][] {{RT_TABLE_LOCAL, 0}, {RT_TABLE_MAIN, 32766},
                {RT_TABLE_DEFAULT, 32767}} : new int[][] {{RT_TABLE_LOCAL, 0}, {RT_TABLE_MAIN, 32766}};
            for (int[] table : tables) {
                // struct fib_rule_hdr: family, dst_len, src_len, tos, table, two reserved, action FR_ACT_TO_TBL
                byte[] header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put((byte) f).put(new byte[3])
                        .put((byte) table[0]).put(new byte[2]).put((byte) 1).putInt(0).array();
                NetlinkMessage rule = new NetlinkMessage(RTM_NEWRULE, flags, sequence, portId).raw(header)
                        .u32(15, table[0]) // FRA_TABLE
                        .u32(14, -1) // FRA_SUPPRESS_PREFIXLEN: none
                        .u8(21, RTPROT_KERNEL); // FRA_PROTOCOL
                if (table[1] != 0) {
                    rule.u32(6, table[1]); // FRA_PRIORITY, left out at 0
                }
                messages.add(rule.bytes());
            }
        }
        return messages;
    }
}
