package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.FakeDebuggerClient;
import dev.hdbg.host.cli.output.OutputFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HyperDbg's {@code .formats}, {@code !va2pa}, {@code !pa2va}, {@code .dump}, {@code sleep}, {@code rdmsr}, {@code wrmsr}. */
class HyperDbgExtrasTest {
    private static final long IMAGE = 0x400000;

    @TempDir
    Path dir;

    private final byte[] image = new byte[0x2000];
    private final FakeDebuggerClient client = new FakeDebuggerClient().map(IMAGE, image, "fake");
    private final DebugSession session = new DebugSession(client, new PrintWriter(new StringWriter()), OutputFormat.HUMAN);

    @Test
    void wrmsrWritesTheCoresMsrAndRdmsrShowsItAsHyperDbgDoes() {
        client.msr(0xc0000102, 0);
        Verb wrmsr = new Verb(new MsrCommand.Write(session));
        Verb rdmsr = new Verb(new MsrCommand.Read(session));

        assertThat(wrmsr.run("c0000102 7fff`12340000 core 0")).isZero();
        assertThat(rdmsr.run("c0000102")).isZero();

        assertThat(rdmsr.lines()).containsExactly("core : 0x0 - msr[c0000102] = 00007fff12340000");
        assertThat(client.calls()).contains(new FakeDebuggerClient.Call("writeMsr",
                java.util.List.of(0xc0000102, 0x7fff12340000L, 0)));
    }

    @Test
    void msrCommandsRefuseAMissingValueAnUnknownMsrAndA64BitNumber() {
        Verb wrmsr = new Verb(new MsrCommand.Write(session));
        Verb rdmsr = new Verb(new MsrCommand.Read(session));

        assertThat(wrmsr.run("c0000102")).isEqualTo(1);
        assertThat(wrmsr.failure()).hasMessage("write wrmsr ECX VALUE [core N], e.g. wrmsr c0000102 7fff12340000");
        assertThat(rdmsr.run("12345")).isEqualTo(1);
        assertThat(rdmsr.failure()).hasMessageContaining("MSR 0x12345 is not implemented");
        assertThat(rdmsr.run("1`00000000")).isEqualTo(1);
        assertThat(rdmsr.failure()).hasMessage("an MSR number is 32 bits (ECX), not 0x100000000");
        assertThat(rdmsr.run("10 core")).isEqualTo(1);
        assertThat(rdmsr.failure()).hasMessageContaining("core takes the core's number");
    }

    @Test
    void cpuDecodesTheCpuidLeavesAsHyperDbgReportsThem() {
        // "GenuineIntel"; leaf 1: SSE3 (ECX 0), SSE2 (EDX 26); leaf 7: AVX2 (EBX 5), RTM (EBX 11); 80000001h: 3DNow! (EDX 31)
        client.cpuid(0, 0, 7, 0x756e6547, 0x6c65746e, 0x49656e69).cpuid(1, 0, 0, 0, 1, 1 << 26)
                .cpuid(7, 0, 0, 1 << 5 | 1 << 11, 0, 0).cpuid(0x80000000, 0, 0x80000004, 0, 0, 0)
                .cpuid(0x80000001, 0, 0, 0, 0, 1 << 31)
                .cpuid(0x80000002, 0, 0x67626468, 0x55504320, 0, 0) // "hdbg CPU"
                .cpuid(0x80000003, 0, 0, 0, 0, 0).cpuid(0x80000004, 0, 0, 0, 0, 0);
        Verb cpu = new Verb(new CpuCommand(session));

        assertThat(cpu.run("")).isZero();

        assertThat(cpu.lines()).startsWith("GenuineIntel", "hdbg CPU");
        assertThat(cpu.lines()).hasSize(2 + 51).contains("SSE3 supported", "SSE2 supported", "AVX2 supported", "RTM supported",
                "SSE not supported", "AVX not supported", "SSE4.1 not supported",
                // 3DNow! is AMD's: HyperDbg reports it only on AMD
                "3DNOW not supported");
        assertThat(cpu.lines().get(2)).isEqualTo("3DNOW not supported");
        assertThat(cpu.lines().getLast()).isEqualTo("XSAVE not supported");
    }

    @Test
    void flushSaysHowManyMessagesTheAgentDiscarded() {
        client.messagesToFlush(0x12);
        Verb flush = new Verb(new FlushCommand(session));

        assertThat(flush.run("")).isZero();
        assertThat(flush.run("")).isZero();

        assertThat(flush.lines()).containsExactly("flushing buffers was successful, total 18 messages were cleared.",
                "flushing buffers was successful, total 0 messages were cleared.");
    }

    @Test
    void formatsShowsTheValueAsHyperDbgDoes() {
        Verb formats = new Verb(new FormatsCommand(session));

        assertThat(formats.run("10")).isZero();

        assertThat(formats.lines()).containsSubsequence("Evaluate expression:", "Hex :        00000000`00000010",
                "Decimal :    16", "Octal :      20",
                "Binary :     00000000 00000000 00000000 00000000 00000000 00000000 00000000 00010000",
                "Char :       ........");
        assertThat(formats.run("0x24 + 0n10")).isZero();
        assertThat(formats.output()).contains("Decimal :    46", "Char :       .......");
    }

    @Test
    void va2paAndPa2vaAreTheIdentityOnMappedMemoryAndZeroElsewhere() {
        Verb va2pa = new Verb(new AddressTranslationCommand.Va2pa(session));
        Verb pa2va = new Verb(new AddressTranslationCommand.Pa2va(session));

        assertThat(va2pa.run("401234")).isZero();
        assertThat(pa2va.run("400010 pid 4")).isZero();
        assertThat(va2pa.run("7fff0000")).isZero();

        assertThat(va2pa.lines()).containsExactly("401234", "0");
        assertThat(pa2va.lines()).containsExactly("400010");
    }

    @Test
    void dumpSavesTheRangeAndWritesNothingWhenPartOfItIsUnmapped() throws Exception {
        image[0x10] = 0x42;
        image[0x1fff] = 0x7f;
        Verb dump = new Verb(new DumpCommand(session));
        Path file = dir.resolve("code.bin");

        assertThat(dump.run("400010 402000 path " + file)).isZero();

        byte[] saved = Files.readAllBytes(file);
        assertThat(saved).hasSize(0x1ff0);
        assertThat(saved[0]).isEqualTo((byte) 0x42);
        assertThat(saved[0x1fef]).isEqualTo((byte) 0x7f);
        assertThat(dump.output()).contains("the dump file is saved at: " + file);

        Path partial = dir.resolve("partial.bin");
        assertThat(dump.run("401000 403000 path " + partial)).isEqualTo(1);
        assertThat(partial).doesNotExist();
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".part"));
        assertThat(dump.run("402000 401000 path " + partial)).isEqualTo(1);
        assertThat(dump.failure()).hasMessageContaining("FROM below TO");
    }

    @Test
    void aWritesTheAssembledBytesAtItsAddressAndTakesHyperDbgsPid() {
        Verb a = new Verb(new AssembleCommand(session));

        assertThat(a.run("400010 {xor eax, eax; ret} pid 3e8")).isZero();
        assertThat(a.run("400020 mov rax, 1; ret")).isZero();
        assertThat(a.run("400030 {nop} 3e8")).isEqualTo(1);

        assertThat(client.memory(0x400010, 3)).containsExactly(0x31, 0xc0, 0xc3);
        assertThat(client.memory(0x400020, 8)).containsExactly(0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00, 0xc3);
        assertThat(a.failure()).hasMessageContaining("unexpected '3e8' after the {...} group");
        assertThat(client.memory(0x400030, 1)).containsExactly(0);
    }

    @Test
    void settingsAddressconversionOffShowsAddressesWithoutTheirSymbols() {
        client.symbol("main", 0x401000, 0x10);
        Verb settings = new Verb(new SettingsCommand(session));

        assertThat(session.describe(0x401004)).hasValue("main+0x4");
        assertThat(settings.run("addressconversion off")).isZero();
        assertThat(session.describe(0x401004)).isEmpty();
        assertThat(settings.run("")).isZero();
        assertThat(settings.run("addressconversion ON")).isZero();
        assertThat(session.describe(0x401004)).hasValue("main+0x4");
        assertThat(settings.run("autoflush on")).isEqualTo(1);

        assertThat(settings.lines()).containsExactly("addressconversion off", "syntax intel", "breakonfatal off");
        assertThat(settings.failure()).hasMessageContaining("autoflush has no meaning here");
    }

    @Test
    void sleepReadsHexMillisecondsAndRefusesAnHourOrMore() {
        Verb sleep = new Verb(new SleepCommand(session));
        long started = System.nanoTime();

        assertThat(sleep.run("a")).isZero();

        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(10_000_000L);
        assertThat(sleep.run("ffffffff")).isEqualTo(1);
        assertThat(sleep.failure()).hasMessageContaining("longer than an hour");
    }
}
