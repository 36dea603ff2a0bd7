package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code k} walking the frame-pointer chain, and {@code u}, {@code u2}, {@code uf} through Capstone. */
class StackAndDisassemblyVerbsTest {
    private static final long IMAGE = 0x400000;
    private static final long STACK = 0x7fe000;

    private final byte[] image = new byte[0x1000];
    private final byte[] stack = new byte[0x1000];
    private final FakeDebuggerClient client = new FakeDebuggerClient().map(IMAGE, image, "fake").map(STACK, stack, "stack")
            .symbol("main", 0x400000, 4).symbol("helper", 0x400100, 0x20);
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);

    private void put(byte[] region, int offset, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        System.arraycopy(bytes, 0, region, offset, bytes.length);
    }

    private static String qword(long value) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    @Test
    void kFollowsTheFramePointersToTheOutermostFrame() {
        client.register("rip", 0x400102).register("rsp", 0x7fee00).register("rbp", 0x7fee10);
        put(stack, 0xe10, qword(0x7fee30) + qword(0x400002)); // helper's frame: the caller's rbp, then main+2
        put(stack, 0xe30, qword(0) + qword(0x400800));        // main's frame: rbp 0 ends the chain
        Verb k = new Verb(new StackCommand(session));

        assertThat(k.run("")).isZero();

        assertThat(k.lines()).containsExactly(
                "#  Child-SP          RetAddr           Call Site",
                "00 00000000007fee00  0000000000400002  0x400102 (helper+0x2)",
                "01 00000000007fee20  0000000000400800  0x400002 (main+0x2)",
                "02 00000000007fee40  ????????????????  0x400800");
    }

    @Test
    void kSaysWhereTheChainCannotBeTrusted() {
        client.register("rip", 0x400104).register("rsp", 0x7fee00).register("rbp", 0x1234);
        put(stack, 0xe00, qword(0x400002));
        Verb k = new Verb(new StackCommand(session));

        assertThat(k.run("")).isZero();

        assertThat(k.lines()).containsExactly(
                "#  Child-SP          RetAddr           Call Site",
                "00 00000000007fee00  ????????????????  0x400104 (helper+0x4)",
                "frames beyond #0 cannot be trusted: rbp 0x1234 is not a frame pointer; if rip is at the first instruction "
                        + "of a function, it returns to [rsp] = 0x400002 (main+0x2)");
    }

    /** A breakpoint on a function stops before its prologue: [rbp+8] would be its caller's return address. */
    @Test
    void kAtAFunctionsFirstInstructionsTakesTheReturnAddressFromTheStackAndGoesOnWithRbp() {
        put(image, 0x100, "554889e5"); // helper: push rbp; mov rbp, rsp
        put(stack, 0xdf8, qword(0x7fee10));                   // after the push: the caller's rbp
        put(stack, 0xe00, qword(0x400002));                   // the return address into main
        put(stack, 0xe10, qword(0) + qword(0x400800));        // main's frame: rbp 0 ends the chain
        client.register("rip", 0x400100).register("rsp", 0x7fee00).register("rbp", 0x7fee10);
        Verb k = new Verb(new StackCommand(session));

        assertThat(k.run("")).isZero();
        assertThat(k.lines()).containsExactly(
                "#  Child-SP          RetAddr           Call Site",
                "00 00000000007fee00  0000000000400002  0x400100 (helper)",
                "01 00000000007fee08  0000000000400800  0x400002 (main+0x2)",
                "02 00000000007fee20  ????????????????  0x400800");

        client.register("rip", 0x400101).register("rsp", 0x7fedf8); // one step on: rbp pushed
        assertThat(k.run("")).isZero();
        assertThat(k.lines()).contains(
                "00 00000000007fedf8  0000000000400002  0x400101 (helper+0x1)",
                "01 00000000007fee08  0000000000400800  0x400002 (main+0x2)");
    }

    @Test
    void kqShowsLengthBytesFromRspAsQuadWordsWithTheirSymbols() {
        client.register("rsp", 0x7fee00);
        put(stack, 0xe00, qword(0x400102) + qword(0x7fee40) + qword(0x400002));
        Verb kq = new Verb(new StackValuesCommand.QuadWords(session));

        assertThat(kq.run("l 18")).isZero();

        assertThat(kq.lines()).containsExactly(
                "00000000007fee00  0000000000400102  helper+0x2  <image>",
                "00000000007fee08  00000000007fee40  <stack>",
                "00000000007fee10  0000000000400002  main+0x2  <image>");
    }

    @Test
    void kdShowsTheSlotsAtBaseAsDoubleWords() {
        put(stack, 0xe08, qword(0x400002));
        Verb kd = new Verb(new StackValuesCommand.DoubleWords(session));

        assertThat(kd.run("base 7fee08 l 8")).isZero();
        assertThat(kd.lines()).containsExactly("00000000007fee08  00400002  main+0x2  <image>", "00000000007fee0c  00000000");
        assertThat(kd.run("l 2")).isEqualTo(1);
        assertThat(kd.failure()).hasMessageContaining("l is the length in bytes, 0x4..0x10000, not 0x2");
        assertThat(kd.run("base")).isEqualTo(1);
        assertThat(kd.failure()).hasMessageContaining("base takes an address");
    }

    @Test
    void uDisassemblesLengthBytesAtRipAndU32ReadsThemAsX86_32() {
        put(image, 0, "4889c8c3");
        Verb u = new Verb(new UCommand(session));
        Verb u32 = new Verb(new U32Command(session));

        // HyperDbg's l counts bytes: the ret at +3 lies outside the first 3 bytes
        assertThat(u.run("l 3")).isZero();
        // 48 is dec eax in 32-bit code, where x86-64 reads it as the REX.W prefix
        assertThat(u32.run("main l 4")).isZero();

        assertThat(u.lines()).containsExactly("main:", "0000000000400000  4889c8            mov rax, rcx");
        assertThat(u32.lines()).containsExactly("main:", "0000000000400000  48                dec eax",
                "0000000000400001  89c8              mov eax, ecx", "0000000000400003  c3                ret");
    }

    @Test
    void settingsSyntaxAttAndMasmChangeHowUShowsTheSameBytes() {
        put(image, 0, "4883c010c3");
        Verb settings = new Verb(new SettingsCommand(session));
        Verb u = new Verb(new UCommand(session));

        assertThat(settings.run("syntax att")).isZero();
        assertThat(u.run("l 4")).isZero();
        assertThat(settings.run("syntax MASM")).isZero();
        assertThat(u.run("l 4")).isZero();
        assertThat(settings.run("syntax")).isZero();
        assertThat(settings.run("syntax nasm")).isEqualTo(1);

        assertThat(u.lines()).containsExactly("main:", "0000000000400000  4883c010          addq $0x10, %rax",
                "main:", "0000000000400000  4883c010          add rax, 10h");
        assertThat(settings.lines()).containsExactly("syntax masm");
        assertThat(settings.failure()).hasMessageContaining("settings syntax takes intel, att or masm");
    }

    @Test
    void uStopsWhereMappedMemoryEnds() {
        put(image, 0xffe, "9090");
        Verb u = new Verb(new UCommand(session));

        assertThat(u.run("400ffe")).isZero();

        assertThat(u.lines()).containsExactly("0000000000400ffe  90                nop",
                "0000000000400fff  90                nop");
    }

    @Test
    void ufDisassemblesTheWholeFunctionOfItsSymbol() {
        put(image, 0x100, "4889c8c3");
        client.symbol("tiny", 0x400100, 4);
        Verb uf = new Verb(new UfCommand(session));

        assertThat(uf.run("tiny+3")).isZero();

        assertThat(uf.output()).contains("0000000000400100  4889c8            mov rax, rcx").contains("c3                ret");
        assertThat(client.calls("readMemory").getLast().arguments()).containsExactly(0x400100L, 4);
    }

    @Test
    void ufNeedsAFunctionOfKnownSize() {
        Verb uf = new Verb(new UfCommand(session));

        assertThat(uf.run("400800")).isEqualTo(1);

        assertThat(uf.failure()).hasMessage("no function with a known size contains 0x400800 (uf needs the target's symbols; "
                + "use u ADDR l LENGTH instead)");
    }
}
