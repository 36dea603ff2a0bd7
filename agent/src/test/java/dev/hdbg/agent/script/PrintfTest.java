package dev.hdbg.agent.script;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PrintfTest {
    private final Scripts s = new Scripts();

    private String printf(String format, String args) throws Exception {
        s.host.output.clear();
        s.run("printf(\"" + format + "\"" + (args.isEmpty() ? "" : ", " + args) + ");");
        assertThat(s.host.output).hasSize(1);
        return s.host.output.getFirst();
    }

    @ParameterizedTest(name = "printf(\"{0}\", {1}) = \"{2}\"")
    @CsvSource(delimiterString = " => ", value = {
            // integers follow Windows' LLP64: no modifier and l take 32 bits, ll 64, h 16
            "%d => 0n42 => 42",
            "%d => ffffffff => -1",
            "%d => 1ffffffff => -1",
            "%i => 0n-7 => -7",
            "%u => ffffffff => 4294967295",
            "%o => 8 => 10",
            "%x => 1deadbeef => deadbeef",
            "%X => deadbeef => DEADBEEF",
            "%lx => 1deadbeef => deadbeef",
            "%llx => 1deadbeef => 1deadbeef",
            "%llX => 1deadbeef => 1DEADBEEF",
            "%lld => ffffffffffffffff => -1",
            "%lli => 8000000000000000 => -9223372036854775808",
            "%llu => ffffffffffffffff => 18446744073709551615",
            "%llo => 8000000000000000 => 1000000000000000000000",
            "%ld => 80000000 => -2147483648",
            "%lu => 180000000 => 2147483648",
            "%lo => 9 => 11",
            "%hd => 18000 => -32768",
            "%hi => ffff => -1",
            "%hu => 1ffff => 65535",
            "%ho => 10008 => 10",
            "%hx => 12345 => 2345",
            "%c => 141 => A",
            "%p => 1234abcd => 000000001234ABCD",
            // hdbg's additions: width, zero padding, flags, precision
            "%08x => beef => 0000beef",
            "%8x => beef => '    beef'",
            "%-8x| => beef => 'beef    |'",
            "%#x => 0n255 => 0xff",
            "%#o => 8 => 010",
            "%+d => 5 => +5",
            "% d => 5 => ' 5'",
            "%05d => 0n-42 => -0042",
            "%.4d => 7 => 0007",
            "%#018llx => 1 => 0x0000000000000001",
            "%20p => 1 => '    0000000000000001'",
            "%% => '' => %",
            "100%! => '' => 100%!",
    })
    void conversions(String format, String argument, String expected) throws Exception {
        assertThat(printf(format, argument.isEmpty() ? "" : argument.replace("0n-", "-0n"))).isEqualTo(expected);
    }

    @Test
    void stringsFromGuestMemory() throws Exception {
        s.host.putString(FakeScriptHost.BASE, "Hello");
        s.host.putWideString(FakeScriptHost.BASE + 0x100, "\\Device\\MountPointManager \u263a");
        String narrow = "0x" + Long.toHexString(FakeScriptHost.BASE);
        String wide = "0x" + Long.toHexString(FakeScriptHost.BASE + 0x100);
        assertThat(printf("Result is %s", narrow)).isEqualTo("Result is Hello");
        assertThat(printf("%ws|%ls", wide + ", " + wide)).isEqualTo(
                "\\Device\\MountPointManager \u263a|\\Device\\MountPointManager \u263a");
        assertThat(printf("[%-7s][%7s][%.3s]", narrow + ", " + narrow + ", " + narrow))
                .isEqualTo("[Hello  ][  Hello][Hel]");
    }

    @Test
    void theDocumentedMixedExample() throws Exception {
        // docs: printf, "The value is %llx and the string is : %ws" (HyperDbg's example writes print( and drops a
        // comma; here as the printf it describes)
        long rcx = FakeScriptHost.BASE + 0x10;
        s.host.putLong(rcx, 8, 0x1122334455667788L);
        s.host.putWideString(FakeScriptHost.BASE + 0x80, "wide");
        s.host.set(dev.hdbg.common.event.GuestRegister.RCX, rcx);
        s.host.set(dev.hdbg.common.event.GuestRegister.RAX, FakeScriptHost.BASE + 0x20);
        s.host.putLong(FakeScriptHost.BASE + 0x20, 8, FakeScriptHost.BASE + 0x80);
        assertThat(printf("The value is %llx and the string is : %ws ", "dq(@rcx), poi(rax)"))
                .isEqualTo("The value is 1122334455667788 and the string is : wide ");
    }

    @Test
    void aStringAtAnUnmappedAddressStopsTheRun() {
        ScriptRunException e = catchThrowableOfType(ScriptRunException.class,
                () -> s.run("printf(\"%s\", 8);"));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.MEMORY_FAULT);
        assertThat(e.reason()).isEqualTo("cannot read 1 byte at 0x8");
    }

    @Test
    void oneCallPrintsAtMostAPage() throws Exception {
        s.host.putString(FakeScriptHost.BASE, "y".repeat(5000));
        String out = printf("x%s", "0x" + Long.toHexString(FakeScriptHost.BASE));
        assertThat(out).hasSize(PrintfRenderer.MAX_OUTPUT).startsWith("xyyy");
    }
}
