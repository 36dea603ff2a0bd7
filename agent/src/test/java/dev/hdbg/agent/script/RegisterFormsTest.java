package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.ScriptRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterFormsTest {
    private static final long PATTERN = 0x8123456789abcdefL;
    private final Scripts s = new Scripts();

    static Stream<ScriptRegister> availableForms() {
        return Arrays.stream(ScriptRegister.values()).filter(r -> r.base().isAvailable());
    }

    private GuestRegister base(ScriptRegister form) {
        return form.base().guestRegister().orElseThrow();
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("availableForms")
    void readingAFormGivesItsBitsOfTheBase(ScriptRegister form) throws Exception {
        s.host.set(base(form), PATTERN);
        assertThat(s.eval("@" + form.scriptName())).isEqualTo((PATTERN >>> form.bitOffset()) & form.mask());
        // a bare name is the register too, as in HyperDbg's scanner (keywords such as 'if' excepted)
        if (!form.scriptName().equals("if")) {
            assertThat(s.eval(form.scriptName())).isEqualTo((PATTERN >>> form.bitOffset()) & form.mask());
        }
    }

    @ParameterizedTest(name = "@{0}")
    @MethodSource("availableForms")
    void writingAFormChangesOnlyItsBitsOfTheBase(ScriptRegister form) throws Exception {
        for (long value : new long[] {0, -1L, 0x5a5a5a5a5a5a5a5aL}) {
            s.host.set(base(form), PATTERN);
            s.run("@" + form.scriptName() + " = 0x" + Long.toHexString(value) + ";");
            long mask = form.mask() << form.bitOffset();
            long expected = (PATTERN & ~mask) | ((value << form.bitOffset()) & mask);
            assertThat(s.host.reg(base(form))).as("@%s = %x", form.scriptName(), value).isEqualTo(expected);
            // and nothing else changed
            for (GuestRegister other : GuestRegister.values()) {
                if (other != base(form)) {
                    assertThat(s.host.reg(other)).as(other.name()).isZero();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "@al = 0xab => RAX => 0x11223344556677ab",
            "@ah = 0xab => RAX => 0x112233445566ab88",
            "@ax = 0xabcd => RAX => 0x112233445566abcd",
            "@eax = 1 => RAX => 0x1122334400000001",
            "@rax = 1 => RAX => 0x0000000000000001",
            "@r8b = 0 => R8 => 0x1122334455667700",
            "@r8l = 0 => R8 => 0x1122334455667700",
            "@r8h = 0 => R8 => 0x1122334455660088",
            "@r8w = 0 => R8 => 0x1122334455660000",
            "@r8d = 0 => R8 => 0x1122334400000000",
            "@sil = 0xff => RSI => 0x11223344556677ff",
            "@cs = 0x123456 => CS => 0x1122334455663456",
            "@eip = 0 => RIP => 0x1122334400000000",
            "@ip = 0 => RIP => 0x1122334455660000",
    })
    void subRegistersKeepTheRestOfTheBase(String assignment, GuestRegister base, String expected) throws Exception {
        s.host.set(base, 0x1122334455667788L);
        s.run(assignment + ";");
        assertThat(s.host.reg(base)).isEqualTo(Long.parseUnsignedLong(expected.substring(2), 16));
    }

    @Test
    void flagsAreBitsOfRflags() throws Exception {
        s.host.set(GuestRegister.RFLAGS, 0x202);
        assertThat(s.eval("@if")).isEqualTo(1);
        assertThat(s.eval("@zf")).isZero();
        s.run("@zf = 1; @cf = 1;");
        assertThat(s.host.reg(GuestRegister.RFLAGS)).isEqualTo(0x243);
        // HyperDbg writes Value & TRUE: only bit 0 of the value counts
        s.run("@zf = 2;");
        assertThat(s.host.reg(GuestRegister.RFLAGS)).isEqualTo(0x203);
        s.run("@iopl = 3; @id = 1;");
        assertThat(s.host.reg(GuestRegister.RFLAGS)).isEqualTo(0x203 | 0x3000 | 1L << 21);
        assertThat(s.eval("@iopl")).isEqualTo(3);
        s.run("@if = 0; @tf = 1; @df = 1; @of = 1; @sf = 1; @af = 1; @pf = 1; @nt = 1; @rf = 1; @vm = 1; @ac = 1;"
                + " @vif = 1; @vip = 1;");
        assertThat(s.host.reg(GuestRegister.RFLAGS)).isEqualTo(0x3f7d97L); // IF cleared, the other flags set
    }

    @Test
    void aScriptModifiesARegisterThroughAnExpression() throws Exception {
        // docs: variables-and-assignments, Example 3
        s.host.set(GuestRegister.RCX, 0x55).set(GuestRegister.RDX, 2).set(GuestRegister.RAX, 3);
        s.run("if ( @rcx == 0x55) {\n    @rcx = @rdx + @rax + 12;\n}");
        assertThat(s.host.reg(GuestRegister.RCX)).isEqualTo(2 + 3 + 0x12);
    }
}
