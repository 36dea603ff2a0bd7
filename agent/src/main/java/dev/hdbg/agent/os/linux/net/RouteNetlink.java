package dev.hdbg.agent.os.linux.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel's side of NETLINK_ROUTE for a machine whose network is its {@link Loopback} alone: it answers what a
 * program sends as Linux's rtnetlink does, with the datagrams the program then receives. GET requests read the
 * machine's network: links (RTM_GETLINK, a dump or one by index or name), addresses, routes (a dump, or the lookup
 * of one destination: {@code ip route get}), policy rules and neighbours (none). Requests that would change it
 * (RTM_NEWADDR, RTM_SETLINK ...) are refused with EPERM and a notice, as in a container without CAP_NET_ADMIN: the
 * emulated network cannot change. Other GETs are EOPNOTSUPP, as for a family with no handler.
 *
 * <p>What one send carries is answered message by message ({@link NetlinkRequest#split}): a dump's messages, packed
 * into datagrams no longer than a page holds (glibc's getifaddrs reads with a page-sized buffer and gives up on a cut
 * one), then NLMSG_DONE in a datagram of its own; an error, or an acknowledgement when NLM_F_ACK asks, as NLMSG_ERROR.
 */
public final class RouteNetlink {
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    /** Types below this are netlink's own control messages, which the kernel only acknowledges. */
    private static final int NLMSG_MIN_TYPE = 0x10;
    private static final int NLM_F_MULTI = 0x2;
    /** An error message carrying only the request's header. */
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_CREATE = 0x400;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_DELLINK = 17;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_SETLINK = 19;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_GETNEIGH = 30;
    private static final int RTM_GETRULE = 34;
    /** Past Linux's last rtnetlink type. */
    private static final int RTM_END = 128;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_ALT_IFNAME = 53;
    private static final int IFINFOMSG = 16;
    private static final int RTMSG = 12;
    private static final int EPERM = 1;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;
    private static final int ENETUNREACH = 101;
    private static final int EOPNOTSUPP = 95;
    /** The most a dump puts in one datagram: NLMSG_GOODSIZE of a 4 KiB page, as the kernel's first dump buffer. */
    static final int DUMP_DATAGRAM = 3776;

    private final Consumer<String> notice;
    private boolean told;

    /** {@code notice} tells the user, once, of the first request refused because it would change the network. */
    public RouteNetlink(Consumer<String> notice) {
        this.notice = notice;
    }

    /**
     * The datagrams answering what a socket bound at {@code portId} sent: its replies carry that port id and each
     * request's sequence number. {@code capAcks}: NETLINK_CAP_ACK, error messages without the request's payload;
     * {@code uid}: the caller's user, which a route lookup names.
     */
    public List<byte[]> answer(byte[] sent, int portId, boolean capAcks, int uid) {
        List<byte[]> datagrams = new ArrayList<>();
        for (NetlinkRequest request : NetlinkRequest.split(sent)) {
            int error = 0;
            if (request.isRequest() && request.type() >= NLMSG_MIN_TYPE) {
                try {
                    if (handle(request, portId, uid, datagrams)) {
                        continue; // a dump ends with NLMSG_DONE, never an acknowledgement
                    }
                } catch (Refused refused) {
                    error = refused.errno;
                }
            }
            if (error != 0 || request.wantsAck()) {
                datagrams.add(acknowledgement(request, -error, portId, capAcks));
            }
        }
        return datagrams;
    }

    /** Answers one request into {@code datagrams}; true when it was a dump. */
    private boolean handle(NetlinkRequest request, int portId, int uid, List<byte[]> datagrams) {
        int type = request.type();
        if (type >= RTM_END) {
            throw new Refused(EOPNOTSUPP);
        }
        if ((type & 3) != 2) { // RTM_NEW*, RTM_DEL*, RTM_SET*: a change
            refuseChange(request);
        }
        int sequence = request.sequence();
        if (request.isDump()) {
            int flags = NLM_F_MULTI;
            int family = request.family();
            List<byte[]> messages = switch (type) {
                case RTM_GETLINK -> List.of(LoopbackMessages.link(flags, sequence, portId));
                case RTM_GETADDR -> addressesOf(request, flags, portId);
                case RTM_GETROUTE -> LoopbackMessages.routes(family, flags, sequence, portId);
                case RTM_GETRULE -> LoopbackMessages.rules(family, flags, sequence, portId);
                case RTM_GETNEIGH -> List.of(); // the loopback has no neighbours
                default -> throw new Refused(EOPNOTSUPP);
            };
            datagrams.addAll(pack(messages));
            datagrams.add(done(sequence, portId));
            return true;
        }
        datagrams.add(switch (type) {
            case RTM_GETLINK -> oneLink(request, portId);
            case RTM_GETROUTE -> lookup(request, uid, portId);
            default -> throw new Refused(EOPNOTSUPP);
        });
        return false;
    }

    /** An address dump's messages: of the family asked, and of the interface asked when one is (0: any). */
    private static List<byte[]> addressesOf(NetlinkRequest request, int flags, int portId) {
        int index = request.payloadInt(4); // struct ifaddrmsg's ifa_index
        if (index != 0 && index != Loopback.INDEX) {
            return List.of();
        }
        return LoopbackMessages.addresses(request.family(), flags, request.sequence(), portId);
    }

    /** RTM_GETLINK of one interface, by ifi_index or else by IFLA_IFNAME: ENODEV for any but the loopback. */
    private static byte[] oneLink(NetlinkRequest request, int portId) {
        if (request.payload().length < IFINFOMSG) {
            throw new Refused(EINVAL);
        }
        if (request.payloadInt(4) == 0 && linkName(request) == null) {
            throw new Refused(EINVAL);
        }
        if (!namesLoopback(request)) {
            throw new Refused(ENODEV);
        }
        return LoopbackMessages.link(0, request.sequence(), portId);
    }

    /** Whether a link request's ifi_index, or else its IFLA_IFNAME (or IFLA_ALT_IFNAME), is the loopback's. */
    private static boolean namesLoopback(NetlinkRequest request) {
        int index = request.payloadInt(4);
        if (index != 0) {
            return index == Loopback.INDEX;
        }
        byte[] name = linkName(request);
        return name != null && Loopback.isNamed(name);
    }

    private static byte[] linkName(NetlinkRequest request) {
        byte[] name = request.attribute(IFINFOMSG, IFLA_IFNAME);
        return name != null ? name : request.attribute(IFINFOMSG, IFLA_ALT_IFNAME);
    }

    /**
     * RTM_GETROUTE of one destination (RTA_DST; none: the any address), from RTA_SRC when given: ENETUNREACH beyond
     * the machine.
     */
    private static byte[] lookup(NetlinkRequest request, int uid, int portId) {
        if (request.payload().length < RTMSG) {
            throw new Refused(EINVAL);
        }
        int family = request.family();
        if (family != LoopbackMessages.AF_INET && family != LoopbackMessages.AF_INET6) {
            throw new Refused(EOPNOTSUPP);
        }
        byte[] destination = request.attribute(RTMSG, LoopbackMessages.RTA_DST);
        if (destination == null) {
            destination = new byte[family == LoopbackMessages.AF_INET ? 4 : 16];
        }
        byte[] source = request.attribute(RTMSG, LoopbackMessages.RTA_SRC);
        if (source != null && source.length != destination.length) {
            throw new Refused(EINVAL);
        }
        byte[] route = LoopbackMessages.lookup(family, destination, source, uid, request.sequence(), portId);
        if (route == null) {
            throw new Refused(ENETUNREACH);
        }
        return route;
    }

    /**
     * A change: ENODEV, quietly, for a link request naming no interface the machine has (iproute2 probes with an empty
     * RTM_NEWLINK, as Linux answers it for a caller allowed to change links); EPERM with a notice for the rest.
     */
    private void refuseChange(NetlinkRequest request) {
        int type = request.type();
        boolean linkRequest = type == RTM_NEWLINK || type == RTM_DELLINK || type == RTM_SETLINK;
        if (linkRequest && (request.flags() & NLM_F_CREATE) == 0 && !namesLoopback(request)) {
            throw new Refused(ENODEV);
        }
        if (!told) {
            told = true;
            notice.accept("a program asked rtnetlink to change the machine's network (message type " + type
                    + ", as `ip addr add` or `ip link set` send); its network is the loopback alone and cannot change, "
                    + "so the answer was EPERM");
        }
        throw new Refused(EPERM);
    }

    /** Messages joined into datagrams of at most {@link #DUMP_DATAGRAM} bytes (a longer message goes alone). */
    static List<byte[]> pack(List<byte[]> messages) {
        List<byte[]> datagrams = new ArrayList<>();
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        for (byte[] message : messages) {
            if (current.size() > 0 && current.size() + message.length > DUMP_DATAGRAM) {
                datagrams.add(current.toByteArray());
                current.reset();
            }
            current.writeBytes(message);
        }
        if (current.size() > 0) {
            datagrams.add(current.toByteArray());
        }
        return datagrams;
    }

    private static byte[] done(int sequence, int portId) {
        return new NetlinkMessage(NLMSG_DONE, NLM_F_MULTI, sequence, portId).rawInt(0).bytes();
    }

    /**
     * NLMSG_ERROR: {@code error} (a negative errno, 0 for an acknowledgement) and the request's header; an error
     * carries the request's payload too unless NETLINK_CAP_ACK asked not to, as Linux's netlink_ack.
     */
    private static byte[] acknowledgement(NetlinkRequest request, int error, int portId, boolean capAcks) {
        boolean whole = error != 0 && !capAcks;
        NetlinkMessage message = new NetlinkMessage(NLMSG_ERROR, whole ? 0 : NLM_F_CAPPED, request.sequence(), portId)
                .rawInt(error).raw(request.header());
        if (whole) {
            message.raw(request.payload());
        }
        return message.bytes();
    }

    /** A request the kernel answers with an error. */
    private static final class Refused extends RuntimeException {
        final int errno;

        Refused(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
