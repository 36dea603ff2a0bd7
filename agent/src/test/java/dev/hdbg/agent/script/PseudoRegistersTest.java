package dev.hdbg.agent.script;

import dev.hdbg.common.script.PseudoRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class PseudoRegistersTest {
    private final Scripts s = new Scripts();

    @ParameterizedTest(name = "${0}")
    @EnumSource(PseudoRegister.class)
    void eachPseudoRegisterIsTheHostsValue(PseudoRegister register) throws Exception {
        long value = 0x1000 + register.ordinal() * 0x111L;
        s.host.pseudo.put(register, value);
        assertThat(s.eval("$" + register.scriptName())).isEqualTo(value);
        assertThat(s.eval("$" + register.scriptName() + " + 1")).isEqualTo(value + 1);
    }

    @Test
    void aPseudoRegisterTheMachineLacksIsZero() throws Exception {
        assertThat(s.eval("$teb")).isZero();
    }

    @Test
    void aHostThatFaultsWhileGivingAPseudoRegisterStopsTheRunNotTheCaller() throws Exception {
        FakeScriptHost faulty = new FakeScriptHost() {
            @Override
            public long pseudoRegister(PseudoRegister register) {
                throw new GuestMemoryFault(0x40, 8);
            }
        };
        ScriptRunException e = org.assertj.core.api.Assertions.catchThrowableOfType(ScriptRunException.class,
                () -> s.compile("x = $peb;").run(faulty, 0));
        assertThat(e.kind()).isEqualTo(ScriptRunException.Kind.MEMORY_FAULT);
        assertThat(e.reason()).isEqualTo("8 bytes at 0x40 cannot be accessed");
    }

    @Test
    void dateAndTimeArePointersToStringsForPrintf() throws Exception {
        s.host.putString(FakeScriptHost.BASE + 0x40, "2026-12-03");
        s.host.putString(FakeScriptHost.BASE + 0x80, "02:30:00.123");
        s.host.pseudo.put(PseudoRegister.DATE, FakeScriptHost.BASE + 0x40);
        s.host.pseudo.put(PseudoRegister.TIME, FakeScriptHost.BASE + 0x80);
        s.run("printf(\"%s %s\", $date, $time);");
        assertThat(s.host.printed()).isEqualTo("2026-12-03 02:30:00.123");
    }

    @Test
    void eventPseudoRegistersInAScript() throws Exception {
        // docs: functions/events/event_disable, the $event_id example
        s.host.pseudo.put(PseudoRegister.EVENT_ID, 3L);
        s.run("event_disable($event_id);");
        assertThat(s.host.calls).containsExactly("event_disable 3");
    }
}
