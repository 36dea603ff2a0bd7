package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import dev.hdbg.host.client.AgentError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The memory verbs: {@code db dw dd dq dc da du dqs} show it, {@code eb ew ed eq} write it, little-endian. */
class MemoryVerbsTest {
    private static final long IMAGE = 0x400000;
    private static final long STACK = 0x7ff000;

    private final byte[] image = new byte[0x1000];
    private final byte[] stack = new byte[0x1000];
    private final FakeDebuggerClient client = new FakeDebuggerClient().map(IMAGE, image, "fake").map(STACK, stack, "stack");
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);

    private void put(byte[] region, int offset, byte[] bytes) {
        System.arraycopy(bytes, 0, region, offset, bytes.length);
    }

    @Test
    void dbShowsBytesWithTheirAscii() {
        put(image, 0x80, "hdbg demo\u0001".getBytes(StandardCharsets.ISO_8859_1));
        Verb db = new Verb(new DbCommand(session));

        assertThat(db.run("400080 L 0x12")).isZero();

        assertThat(db.lines()).containsExactly(
                "0000000000400080  68 64 62 67 20 64 65 6d 6f 01 00 00 00 00 00 00  hdbg demo.......",
                "0000000000400090  00 00                                            ..");
    }

    @Test
    void dwDdAndDqShowLittleEndianUnitsAndCountBytesAsHyperDbg() {
        put(image, 0, HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
        Verb dw = new Verb(new DwCommand(session));
        Verb dd = new Verb(new DdCommand(session));
        Verb dq = new Verb(new DqCommand(session));

        // HyperDbg's l counts bytes (d-u.cpp hands it to the read as its size); a length ending inside a unit shows it
        assertThat(dw.run("400000 L4")).isZero();
        assertThat(dd.run("400000 l c pid 1")).isZero();
        assertThat(dq.run("400000 l 9")).isZero();

        assertThat(dw.lines()).containsExactly("0000000000400000  0201 0403");
        assertThat(dd.lines()).containsExactly("0000000000400000  04030201 08070605 0c0b0a09");
        assertThat(dq.lines()).containsExactly("0000000000400000  0807060504030201 100f0e0d0c0b0a09");
    }

    @Test
    void dcShowsDoubleWordsAndTheirAscii() {
        put(image, 0x88, "hdbg demo".getBytes(StandardCharsets.US_ASCII));
        Verb dc = new Verb(new DcCommand(session));

        assertThat(dc.run("400088 l c")).isZero();

        assertThat(dc.lines()).containsExactly("0000000000400088  67626468 6d656420 0000006f           hdbg demo...");
    }

    @Test
    void daStopsAtTheNulAndAtTheEndOfMappedMemory() {
        put(image, 0x10, "hello\0world".getBytes(StandardCharsets.US_ASCII));
        put(image, 0xffc, "tail".getBytes(StandardCharsets.US_ASCII)); // the last bytes of the image: no NUL after them
        Verb da = new Verb(new DaCommand(session));

        assertThat(da.run("400010")).isZero();
        assertThat(da.run("400ffc")).isZero();

        assertThat(da.lines()).containsExactly("0000000000400010  \"hello\"", "0000000000400ffc  \"tail\"");
    }

    @Test
    void duReadsUtf16() {
        put(image, 0x20, "hi!\0".getBytes(StandardCharsets.UTF_16LE));
        Verb du = new Verb(new DuCommand(session));

        assertThat(du.run("400020")).isZero();

        assertThat(du.lines()).containsExactly("0000000000400020  \"hi!\"");
    }

    @Test
    void dqsMarksWhatPointsIntoTheStackOrTheImage() {
        put(stack, 0xfe8, HexFormat.of().parseHex("1000000000000000" + "4000400000000000" + "08f07f0000000000"));
        Verb dqs = new Verb(new DqsCommand(session));

        assertThat(dqs.run("7fffe8 L3")).isZero();

        // The agent names the image's region as its target description begins ("fake" of "fake target").
        assertThat(dqs.lines()).containsExactly("00000000007fffe8  0000000000000010", "00000000007ffff0  0000000000400040  <image>",
                "00000000007ffff8  00000000007ff008  <stack>");
    }

    @Test
    void editVerbsWriteLittleEndianUnits() {
        new Verb(new EbCommand(session)).run("400100 1 2 ff");
        new Verb(new EwCommand(session)).run("400110 1234");
        new Verb(new EdCommand(session)).run("400120 -1");
        new Verb(new EqCommand(session)).run("400130 1122334455667788");
        // HyperDbg's eb ... pid PID: the pid names the one process, and is no value to write
        new Verb(new EbCommand(session)).run("400140 90 90 pid 4");

        assertThat(client.memory(0x400140, 3)).containsExactly(0x90, 0x90, 0);
        assertThat(client.memory(0x400100, 3)).containsExactly(1, 2, 0xff);
        assertThat(client.memory(0x400110, 2)).containsExactly(0x34, 0x12);
        assertThat(client.memory(0x400120, 4)).containsExactly(0xff, 0xff, 0xff, 0xff);
        assertThat(client.memory(0x400130, 8)).containsExactly(0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
    }

    @Test
    void aValueThatDoesNotFitItsUnitWritesNothing() {
        Verb ew = new Verb(new EwCommand(session));

        assertThat(ew.run("400100 1 10000")).isEqualTo(1);

        assertThat(ew.failure()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'10000' does not fit in 2 bytes: give 0 to ffff, or -8000 to -1 for its two's complement");
        assertThat(client.calls("writeMemory")).isEmpty();
    }

    @Test
    void aNegativeByteIsItsTwosComplementAndOneBelowMinus80IsRefusedAsTyped() {
        Verb eb = new Verb(new EbCommand(session));

        assertThat(eb.run("400100 -1 -80")).isZero();
        assertThat(client.memory(0x400100, 2)).containsExactly(0xff, 0x80);
        assertThat(eb.run("400100 -ff")).isEqualTo(1);
        assertThat(eb.failure()).hasMessage("'-ff' does not fit in 1 byte: give 0 to ff, or -80 to -1 for its two's complement");
    }

    @Test
    void anUnmappedAddressIsTheAgentsError() {
        Verb db = new Verb(new DbCommand(session));

        assertThat(db.run("10 L4")).isEqualTo(1);

        assertThat(db.failure()).isInstanceOf(AgentError.class).hasMessageStartingWith("address 0x10 is not mapped");
    }

    @Test
    void inJsonDcIsMemoryOfUnitFour() {
        put(image, 0, HexFormat.of().parseHex("01020304"));
        DebugSession json = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.JSON);
        Verb dc = new Verb(new DcCommand(json));

        assertThat(dc.run("400000 l 4")).isZero();

        assertThat(dc.lines()).containsExactly("{\"type\":\"memory\",\"address\":\"0x400000\",\"unit\":4,\"data\":\"01020304\"}");
    }
}
