package dev.hdbg.agent.os.linux.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink's answers for a loopback-only machine, byte by byte where a program parses them: the header fields every
 * reply carries, dumps ending in NLMSG_DONE, errors and acknowledgements as netlink_ack writes them, and requests the
 * kernel stops reading at. What {@code ip} prints from them is compared with a loopback-only namespace's in
 * {@code NetworkProgramsIT}.
 */
class RouteNetlinkTest {
    private static final int PORT = 1001;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_MULTI = 2;
    private static final int NLM_F_ACK = 4;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_GETLINK = 18;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_GETNEIGH = 30;
    private static final int RTM_GETQDISC = 38;

    private final List<String> notices = new ArrayList<>();
    private final RouteNetlink kernel = new RouteNetlink(notices::add);

    /** A request: nlmsghdr (its length filled in), then {@code payload}. */
    private static byte[] request(int type, int flags, int sequence, byte[] payload) {
        return ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN).putInt(16 + payload.length)
                .putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0).put(payload).array();
    }

    private static byte[] family(int family, int size) {
        byte[] header = new byte[size];
        header[0] = (byte) family;
        return header;
    }

    /** One message of a datagram: its header's fields and where it starts. */
    private record Message(int length, int type, int flags, int sequence, int portId, int at) {
    }

    private static List<Message> messages(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN);
        List<Message> all = new ArrayList<>();
        for (int at = 0; at < datagram.length; ) {
            Message m = new Message(b.getInt(at), b.getShort(at + 4), b.getShort(at + 6), b.getInt(at + 8),
                    b.getInt(at + 12), at);
            assertThat(m.length()).as("a message's length").isBetween(16, datagram.length - at);
            all.add(m);
            at += (m.length() + 3) & ~3;
        }
        return all;
    }

    private static int errorOf(byte[] datagram) {
        assertThat(messages(datagram)).singleElement().extracting(Message::type).isEqualTo(NLMSG_ERROR);
        return ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    @Test
    void aLinkDumpIsTheLoopbackThenDoneEachCarryingTheSequenceAndThePortId() {
        List<byte[]> answer = kernel.answer(request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 77,
                family(0, 16)), PORT, false, 0);
        assertThat(answer).hasSize(2);
        Message link = messages(answer.get(0)).getFirst();
        assertThat(link).extracting(Message::type, Message::flags, Message::sequence, Message::portId)
                .containsExactly(RTM_NEWLINK, NLM_F_MULTI, 77, PORT);
        ByteBuffer info = ByteBuffer.wrap(answer.get(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(info.getShort(18)).as("ARPHRD_LOOPBACK").isEqualTo((short) 772);
        assertThat(info.getInt(20)).as("index").isEqualTo(1);
        assertThat(info.getInt(24)).as("up, loopback, running, lower up").isEqualTo(0x10049);
        assertThat(new String(answer.get(0), 36, 2)).as("IFLA_IFNAME first").isEqualTo("lo");
        Message done = messages(answer.get(1)).getFirst();
        assertThat(done).extracting(Message::type, Message::flags, Message::sequence, Message::length)
                .containsExactly(NLMSG_DONE, NLM_F_MULTI, 77, 20);
        assertThat(notices).isEmpty();
    }

    @Test
    void anAddressDumpGivesTheFamilyAskedAndNothingForAnotherInterface() {
        List<byte[]> both = kernel.answer(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 1, family(0, 8)), PORT,
                false, 0);
        assertThat(messages(both.getFirst())).extracting(Message::type).containsExactly(RTM_NEWADDR, RTM_NEWADDR);
        byte[] v4 = kernel.answer(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 2, family(2, 8)), PORT, false, 0)
                .getFirst();
        assertThat(messages(v4)).hasSize(1);
        assertThat(v4[16]).as("AF_INET").isEqualTo((byte) 2);
        assertThat(v4[17]).as("/8").isEqualTo((byte) 8);
        byte[] otherIndex = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2).array();
        List<byte[]> none = kernel.answer(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 3, otherIndex), PORT,
                false, 0);
        assertThat(none).singleElement().satisfies(d -> assertThat(messages(d).getFirst().type()).isEqualTo(NLMSG_DONE));
    }

    @Test
    void aZeroedHeaderAfterTheRequestEndsTheSendAsIproute2Relies() {
        byte[] withTrailer = ByteBuffer.allocate(24 + 128).put(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 5,
                family(0, 8))).array();
        assertThat(kernel.answer(withTrailer, PORT, false, 0)).hasSize(2);
        assertThat(kernel.answer(new byte[] {8, 0, 0, 0, 18, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, PORT, false, 0))
                .as("a length shorter than the header").isEmpty();
        assertThat(kernel.answer(new byte[10], PORT, false, 0)).as("less than a header").isEmpty();
    }

    @Test
    void errorsCarryTheRequestUnlessCappedAndAcknowledgementsOnlyItsHeader() {
        byte[] qdisc = request(RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, 9, family(0, 20));
        byte[] error = kernel.answer(qdisc, PORT, false, 0).getFirst();
        assertThat(errorOf(error)).isEqualTo(-95); // EOPNOTSUPP: a family with no handler
        assertThat(messages(error).getFirst().length()).as("nlmsgerr and the whole request").isEqualTo(20 + 36);
        assertThat(ByteBuffer.wrap(error).order(ByteOrder.LITTLE_ENDIAN).getInt(20)).as("the request's length")
                .isEqualTo(36);
        byte[] capped = kernel.answer(qdisc, PORT, true, 0).getFirst();
        assertThat(messages(capped).getFirst()).extracting(Message::length, Message::flags).containsExactly(36, 0x100);

        byte[] neighbours = request(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 10, family(0, 12));
        assertThat(kernel.answer(neighbours, PORT, false, 0)).as("a dump is not acknowledged").singleElement()
                .satisfies(d -> assertThat(messages(d).getFirst().type()).isEqualTo(NLMSG_DONE));
        byte[] notARequest = request(RTM_GETLINK, NLM_F_ACK, 11, family(0, 16));
        byte[] ack = kernel.answer(notARequest, PORT, false, 0).getFirst();
        assertThat(errorOf(ack)).isZero();
        assertThat(messages(ack).getFirst()).extracting(Message::length, Message::flags, Message::sequence)
                .containsExactly(36, 0x100, 11);
        assertThat(kernel.answer(request(RTM_GETLINK, 0, 12, family(0, 16)), PORT, false, 0))
                .as("neither a request nor an ack asked").isEmpty();
    }

    @Test
    void oneLinkByIndexOrNameAndNoOtherDevice() {
        byte[] byIndex = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1).array();
        assertThat(messages(kernel.answer(request(RTM_GETLINK, NLM_F_REQUEST, 1, byIndex), PORT, false, 0).getFirst()))
                .singleElement().extracting(Message::type, Message::flags).containsExactly(RTM_NEWLINK, 0);
        byte[] lo = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).position(16).putShort((short) 7)
                .putShort((short) 3).put("lo\0".getBytes()).array();
        assertThat(messages(kernel.answer(request(RTM_GETLINK, NLM_F_REQUEST, 1, lo), PORT, false, 0).getFirst()))
                .as("by IFLA_IFNAME").singleElement().extracting(Message::type).isEqualTo(RTM_NEWLINK);
        byte[] byName = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).position(16).putShort((short) 9)
                .putShort((short) 3).put("eth0\0".getBytes()).array();
        assertThat(errorOf(kernel.answer(request(RTM_GETLINK, NLM_F_REQUEST, 2, byName), PORT, false, 0).getFirst()))
                .isEqualTo(-19); // ENODEV
        assertThat(errorOf(kernel.answer(request(RTM_GETLINK, NLM_F_REQUEST, 3, new byte[16]), PORT, false, 0)
                .getFirst())).as("neither index nor name").isEqualTo(-22);
    }

    @Test
    void aRouteLookupFindsTheLoopbacksAddressesAndNothingBeyond() {
        byte[] local = routeGet(new byte[] {127, 0, 0, 2});
        assertThat(messages(local).getFirst().type()).isEqualTo(24); // RTM_NEWROUTE
        assertThat(ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN).getInt(24)).as("cloned, local")
                .isEqualTo(0x80000200);
        assertThat(errorOf(routeGet(new byte[] {8, 8, 8, 8}))).isEqualTo(-101); // ENETUNREACH
    }

    private byte[] routeGet(byte[] destination) {
        byte[] payload = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN).put((byte) 2).put((byte) 32)
                .position(12).putShort((short) 8).putShort((short) 1).put(destination).array();
        return kernel.answer(request(RTM_GETROUTE, NLM_F_REQUEST, 4, payload), PORT, false, 0).getFirst();
    }

    @Test
    void changesAreRefusedWithOneNoticeButAProbeForNoDeviceIsEnodev() {
        byte[] probe = request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 0, new byte[16]);
        assertThat(errorOf(kernel.answer(probe, PORT, false, 0).getFirst())).isEqualTo(-19);
        assertThat(notices).isEmpty();
        byte[] address = request(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | 0x400, 1, family(2, 8));
        assertThat(errorOf(kernel.answer(address, PORT, false, 0).getFirst())).isEqualTo(-1); // EPERM
        byte[] down = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1).array();
        assertThat(errorOf(kernel.answer(request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 2, down), PORT, false, 0)
                .getFirst())).isEqualTo(-1);
        assertThat(notices).singleElement().asString().contains("type 20", "loopback alone", "EPERM");
    }

    @Test
    void whateverIsSentTheAnswersAreWellFormedMessagesForThePort() {
        long seed = Long.getLong("hdbg.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] sent = new byte[random.nextInt(120)];
            random.nextBytes(sent);
            if (sent.length >= 16 && random.nextBoolean()) {
                ByteBuffer.wrap(sent).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 16 + random.nextInt(sent.length - 15))
                        .putShort(4, (short) (16 + random.nextInt(24)));
            }
            for (byte[] datagram : kernel.answer(sent, PORT, random.nextBoolean(), 0)) {
                assertThat(messages(datagram)).as("seed %d", seed).allSatisfy(m -> assertThat(m.portId())
                        .isEqualTo(PORT));
            }
        }
    }
}
