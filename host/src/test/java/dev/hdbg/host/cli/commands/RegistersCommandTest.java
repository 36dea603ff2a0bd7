package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code r}: registers, rflags bits and xmm registers, shown and written. */
class RegistersCommandTest {
    private final FakeDebuggerClient client = new FakeDebuggerClient().register("rax", 0x1234).register("rbx", 0x10)
            .register("rflags", 0x246);
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);
    private final Verb r = new Verb(new RegistersCommand(session));

    @Test
    void showsTheNamedRegistersThreeALine() {
        Map<String, Long> six = new LinkedHashMap<>();
        for (String name : List.of("rax", "rcx", "rdx", "rbx", "rsp", "rip")) {
            six.put(name, name.equals("rip") ? 0x400000L : name.equals("rax") ? 0x1234L : 0L);
        }
        client.registers(six);

        assertThat(r.run("")).isZero();
        assertThat(r.lines()).containsExactly(
                "   rax=0000000000001234    rcx=0000000000000000    rdx=0000000000000000",
                "   rbx=0000000000000000    rsp=0000000000000000    rip=0000000000400000");
        assertThat(client.calls("readRegisters").getFirst().arguments()).containsExactly(List.of());
    }

    @Test
    void readsOnlyTheRegistersNamed() {
        assertThat(r.run("rax @rbx")).isZero();

        assertThat(r.lines()).containsExactly("   rax=0000000000001234    rbx=0000000000000010");
    }

    @Test
    void setsARegisterToAnExpressionOfOthers() {
        assertThat(r.run("rax = rbx+10")).isZero();

        assertThat(client.registerValue("rax")).isEqualTo(0x20);
        assertThat(r.output()).isEmpty();
    }

    @Test
    void showsAndSetsRflagsBitsByName() {
        assertThat(r.run("zf cf")).isZero();
        assertThat(r.run("efl")).isZero();
        assertThat(r.run("zf = 0")).isZero();
        assertThat(r.run("cf = 1")).isZero();

        assertThat(r.lines()).containsExactly("zf=1 cf=0", "efl=00000246  pf zf if");
        assertThat(client.registerValue("rflags")).isEqualTo(0x207);
    }

    @Test
    void aFlagIsZeroOrOne() {
        assertThat(r.run("zf = 2")).isEqualTo(1);

        assertThat(r.failure()).hasMessage("a flag is 0 or 1, not 0x2");
        assertThat(client.registerValue("rflags")).isEqualTo(0x246);
    }

    @Test
    void writesAndShowsXmmRegistersMostSignificantByteFirst() {
        assertThat(r.run("xmm1 = 00112233445566778899aabbccddeeff")).isZero();
        assertThat(r.run("xmm1 xmm2")).isZero();

        assertThat(r.lines()).containsExactly("  xmm1=00112233445566778899aabbccddeeff",
                "  xmm2=00000000000000000000000000000000");
        byte[] written = (byte[]) client.calls("writeXmm").getFirst().arguments().get(1);
        assertThat(written[0]).as("little-endian on the wire").isEqualTo((byte) 0xff);
    }

    @Test
    void xmmRegistersAndOthersAreShownApart() {
        assertThat(r.run("xmm0 rax")).isEqualTo(1);

        assertThat(r.failure()).hasMessage("show xmm registers and others in separate r commands");
    }

    @Test
    void inJsonTheRegistersAreOneObject() {
        DebugSession json = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.JSON);
        Verb verb = new Verb(new RegistersCommand(json));

        assertThat(verb.run("rax rbx")).isZero();
        assertThat(verb.run("rax = 1")).isZero();

        assertThat(verb.lines()).containsExactly("{\"type\":\"registers\",\"registers\":{\"rax\":\"0x1234\",\"rbx\":\"0x10\"}}",
                "{\"type\":\"ok\",\"command\":\"r\"}");
    }

    @Test
    void showsAndSetsThePartsOfRegistersAsHyperDbgNamesThem() {
        client.register("rax", 0x1122334455667788L).register("r8", 0xa1b2c3d4e5f60718L);

        assertThat(r.run("eax ax ah al @r8d r8w r8b iopl")).isZero();
        assertThat(r.run("@ah = 0x99")).isZero();
        assertThat(r.run("eax = 1")).isZero();

        assertThat(r.lines()).containsExactly(
                "   eax=0000000055667788     ax=0000000000007788     ah=0000000000000077",
                "    al=0000000000000088    r8d=00000000e5f60718    r8w=0000000000000718",
                "   r8b=0000000000000018   iopl=0000000000000000");
        // a part writes only its bits: HyperDbg's meaning, not the processor's zero-extension of eax
        assertThat(client.registerValue("rax")).isEqualTo(0x1122334400000001L);
    }

    @Test
    void showsAndSetsCr8AndTheDescriptorTablesAsTheAgentGivesThem() {
        client.register("cr8", 0).register("gdtr", 0x7fff_f000L).register("idtr", 0).register("ldtr", 0).register("tr", 0);

        assertThat(r.run("cr8 gdtr @idtr ldtr tr")).isZero();
        assertThat(r.run("gdtr = 7fffe000")).isZero();

        assertThat(r.lines()).containsExactly(
                "   cr8=0000000000000000   gdtr=000000007ffff000   idtr=0000000000000000",
                "  ldtr=0000000000000000     tr=0000000000000000");
        assertThat(client.registerValue("gdtr")).isEqualTo(0x7fff_e000L);
    }

    @Test
    void anUnknownRegisterIsNamedInTheError() {
        assertThat(r.run("r99")).isEqualTo(1);
        assertThat(r.failure()).hasMessageStartingWith("unknown register 'r99'");
    }
    @Test
    void namesTheXmmRegistersAsTheRegularExpressionDid() {
        List<String> names = new java.util.ArrayList<>(List.of("rip", "rax", "xmm", "xmm16", "xmm01", "xmm00", "xmm1a",
                "xmm-1", "xmm100", "XMM7", "Xmm15", "@xmm3", "x@mm4", "xmm١", "ymm0", "xmm 1", "", "@"));
        for (int i = 0; i < 40; i++) {
            names.add("xmm" + i);
        }
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT).replace("@", "");
            int expected = n.matches("xmm([0-9]|1[0-5])") ? Integer.parseInt(n.substring(3)) : -1;
            assertThat(RegistersCommand.xmmIndex(name)).as(name).isEqualTo(expected);
        }
    }

    @Test
    void askingWhetherAWordIsAnXmmRegisterCompilesNoRegularExpression() {
        // Every r asks it of its first word; String.matches compiled a Pattern each time (thousands of bytes).
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int sum = 0;
        for (int i = 0; i < 100; i++) {
            sum += RegistersCommand.xmmIndex("rip") + RegistersCommand.xmmIndex("xmm15"); // the first calls load classes
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000; i++) {
            sum += RegistersCommand.xmmIndex("rip") + RegistersCommand.xmmIndex("xmm15");
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        assertThat(sum).isEqualTo(1_100 * 14);
        assertThat(allocated).as("bytes for 2,000 calls").isLessThan(20_000); // String.matches: 3,168,976
    }
}
