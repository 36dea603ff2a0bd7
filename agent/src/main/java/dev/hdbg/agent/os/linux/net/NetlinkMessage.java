package dev.hdbg.agent.os.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One netlink message being written, as the kernel's {@code nlmsg_put} and {@code nla_put} lay it out: the 16-byte
 * {@code struct nlmsghdr} (length, type, flags, sequence, port id), the family's fixed header, then attributes
 * ({@code struct nlattr}: length, type, value, padded to 4 bytes), which may nest.
 */
final class NetlinkMessage {
    static final int HEADER = 16;
    private ByteBuffer buffer = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private final Deque<Integer> nests = new ArrayDeque<>();

    NetlinkMessage(int type, int flags, int sequence, int portId) {
        buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId);
    }

    private ByteBuffer room(int bytes) {
        if (buffer.remaining() < bytes + 3) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes + 64))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return buffer;
    }

    /** Bytes of the family's fixed header (struct ifinfomsg, ifaddrmsg, rtmsg ...), as they are. */
    NetlinkMessage raw(byte[] bytes) {
        room(bytes.length).put(bytes);
        return this;
    }

    NetlinkMessage rawInt(int value) {
        room(4).putInt(value);
        return this;
    }

    NetlinkMessage attribute(int type, byte[] value) {
        room(4 + value.length).putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    NetlinkMessage u8(int type, int value) {
        return attribute(type, new byte[] {(byte) value});
    }

    NetlinkMessage u32(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    /** A NUL-terminated string attribute, as IFLA_IFNAME and IFA_LABEL are. */
    NetlinkMessage string(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        return attribute(type, Arrays.copyOf(text, text.length + 1));
    }

    /** {@code count} zero bytes: counters nothing has counted yet. */
    NetlinkMessage zeros(int type, int count) {
        return attribute(type, new byte[count]);
    }

    /** Opens a nested attribute: the ones written until {@link #endNest} are its value. */
    NetlinkMessage nest(int type) {
        nests.push(buffer.position());
        room(4).putShort((short) 0).putShort((short) type);
        return this;
    }

    NetlinkMessage endNest() {
        int start = nests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    /** The message, its length written in. */
    byte[] bytes() {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("a nested attribute is still open");
        }
        buffer.putInt(0, buffer.position());
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
