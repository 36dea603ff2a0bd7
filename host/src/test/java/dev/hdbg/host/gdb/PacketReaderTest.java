package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Framing, checksums and what a broken or hostile front end sends. */
class PacketReaderTest {
    private static PacketReader reader(String bytes) {
        return new PacketReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)), 64);
    }

    private static String framed(String payload) {
        return new String(Packets.frame(payload.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPacketIsReadWithItsChecksumCheckedAndAcksSkipped() throws IOException {
        assertThat(framed("qSupported")).isEqualTo("$qSupported#37");
        PacketReader reader = reader("++" + framed("g") + "+" + framed("m401000,4"));
        assertThat(((Inbound.Packet) reader.next()).text()).isEqualTo("g");
        assertThat(((Inbound.Packet) reader.next()).text()).isEqualTo("m401000,4");
    }

    @Test
    void aBadChecksumIsReportedAsDamagedAndTheNextPacketStillReads() throws IOException {
        PacketReader reader = reader("$g#00" + framed("?") + "$g#zz");
        assertThat(reader.next()).isInstanceOf(Inbound.Damaged.class);
        assertThat(((Inbound.Packet) reader.next()).text()).isEqualTo("?");
        assertThat(reader.next()).isInstanceOf(Inbound.Damaged.class);
    }

    @Test
    void ctrlCAndNackAreSeenBetweenPacketsAndNoiseIsSkipped() throws IOException {
        PacketReader reader = reader("garbage\u0003\r\n-" + framed("c"));
        assertThat(reader.next()).isInstanceOf(Inbound.Interrupt.class);
        assertThat(reader.next()).isInstanceOf(Inbound.Nack.class);
        assertThat(((Inbound.Packet) reader.next()).text()).isEqualTo("c");
    }

    @Test
    void anOversizedPacketIsDroppedWithoutBeingHeldAndReadingGoesOn() throws IOException {
        PacketReader reader = reader(framed("M0,100:" + "00".repeat(100)) + framed("?"));
        assertThat(reader.next()).isInstanceOfSatisfying(Inbound.Oversized.class, o -> assertThat(o.length()).isEqualTo(207));
        assertThat(((Inbound.Packet) reader.next()).text()).isEqualTo("?");
    }

    @Test
    void aPacketCutShortByANewOneIsDroppedForTheNewOne() throws IOException {
        assertThat(((Inbound.Packet) reader("$m4010" + framed("?")).next()).text()).isEqualTo("?");
    }

    @Test
    void aFrontEndThatVanishesMidPacketEndsTheReading() {
        assertThatThrownBy(() -> reader("$m401000,").next()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("$g#6").next()).isInstanceOf(EOFException.class);
    }

    @Test
    void aPacketThatNeverEndsIsGivenUpAfterSixteenMebibytes() {
        InputStream endless = new InputStream() {
            private boolean started;

            @Override
            public int read() {
                if (!started) {
                    started = true;
                    return '$';
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> new PacketReader(endless, 64).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("without its end");
    }

    @Test
    void binaryDataIsEscapedAndUnescaped() {
        byte[] data = {'#', '$', '}', '*', 0, (byte) 0xff};
        byte[] escaped = Packets.escape(data, 0, data.length);
        assertThat(new String(escaped, StandardCharsets.ISO_8859_1)).isEqualTo("}\u0003}\u0004}]}\n\u0000\u00ff");
        assertThat(Packets.unescape(escaped, 0, escaped.length)).isEqualTo(data);
    }

    @Test
    void hexNumbersAndRegistersAreLittleEndian() {
        assertThat(Packets.number("40161d")).isEqualTo(0x40161d);
        assertThat(Packets.littleEndian(0x40161dL, 8)).isEqualTo("1d16400000000000");
        assertThat(Packets.fromLittleEndian(Packets.unhex("1d16400000000000"))).isEqualTo(0x40161d);
        assertThatThrownBy(() -> Packets.number("12345678901234567")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Packets.unhex("0g")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTargetDescriptionNumbersRegistersAsGdbsAmd64Linux() {
        assertThat(TargetDescription.REGISTERS.get(16).name()).isEqualTo("rip");
        assertThat(TargetDescription.REGISTERS.get(40).name()).isEqualTo("xmm0");
        assertThat(TargetDescription.REGISTERS.get(57).name()).isEqualTo("orig_rax");
        assertThat(TargetDescription.REGISTERS.get(59).name()).isEqualTo("gs_base");
        assertThat(TargetDescription.xml()).contains("<architecture>i386:x86-64</architecture>",
                "org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse", "org.gnu.gdb.i386.linux", "org.gnu.gdb.i386.segments");
        assertThat(TargetDescription.totalBytes()).isEqualTo(560);
    }
}
