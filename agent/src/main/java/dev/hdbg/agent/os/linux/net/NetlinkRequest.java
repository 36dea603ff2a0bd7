package dev.hdbg.agent.os.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message a program sent to the kernel over netlink: its header's fields and its payload (the family's fixed
 * header, then attributes). {@link #split} cuts what one send carried into messages as the kernel's
 * {@code netlink_rcv_skb} does.
 */
record NetlinkRequest(int type, int flags, int sequence, byte[] header, byte[] payload) {
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    /** NLM_F_ROOT | NLM_F_MATCH: a GET request for everything that matches, a dump. */
    static final int NLM_F_DUMP = 0x300;
    private static final int NLA_TYPE_MASK = 0x3fff;

    /**
     * The messages of one send, in order: a header shorter than its own 16 bytes, or claiming more than is left,
     * ends the send there, as Linux stops reading it (iproute2 sends a request followed by a zeroed header).
     */
    static List<NetlinkRequest> split(byte[] sent) {
        List<NetlinkRequest> messages = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(sent).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (sent.length - at >= NetlinkMessage.HEADER) {
            int length = b.getInt(at);
            if (length < NetlinkMessage.HEADER || length > sent.length - at) {
                break;
            }
            messages.add(new NetlinkRequest(b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff,
                    b.getInt(at + 8), Arrays.copyOfRange(sent, at, at + NetlinkMessage.HEADER),
                    Arrays.copyOfRange(sent, at + NetlinkMessage.HEADER, at + length)));
            at += Math.min((length + 3) & ~3, sent.length - at);
        }
        return messages;
    }

    boolean isRequest() {
        return (flags & NLM_F_REQUEST) != 0;
    }

    boolean wantsAck() {
        return (flags & NLM_F_ACK) != 0;
    }

    boolean isDump() {
        return (flags & NLM_F_DUMP) == NLM_F_DUMP;
    }

    /** The payload's first byte, the family every rtnetlink header begins with (rtgenmsg); AF_UNSPEC without one. */
    int family() {
        return payload.length == 0 ? 0 : payload[0] & 0xff;
    }

    /** The 32-bit field at {@code offset} of the payload, 0 past its end (a short header reads as zeros). */
    int payloadInt(int offset) {
        return payload.length < offset + 4 ? 0
                : ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    /** The value of the first attribute of {@code type} after the family's header of {@code headerSize}; null if none. */
    byte[] attribute(int headerSize, int type) {
        int at = (headerSize + 3) & ~3;
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        while (payload.length - at >= 4) {
            int length = b.getShort(at) & 0xffff;
            if (length < 4 || length > payload.length - at) {
                return null;
            }
            if ((b.getShort(at + 2) & NLA_TYPE_MASK) == type) {
                return Arrays.copyOfRange(payload, at + 4, at + length);
            }
            at += (length + 3) & ~3;
        }
        return null;
    }
}
