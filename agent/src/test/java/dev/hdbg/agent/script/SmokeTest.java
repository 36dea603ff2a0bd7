package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void runs() throws Exception {
        Scripts s = new Scripts();
        s.host.set(GuestRegister.RDI, 0x12345);
        s.host.putString(0x10100, "loop");
        s.host.pseudo.put(dev.hdbg.common.script.PseudoRegister.PNAME, 0x10100L);
        s.run("if (@rdi == 0x12345) { pause(); } .x = 5 + 3 * 2; for (i = 0; i < 0n10; i++) { .y += i; }"
                + " printf(\"%d %s\\n\", .x, $pname);");
        assertThat(s.host.pauses).isEqualTo(1);
        assertThat(s.global("x")).isEqualTo(11);
        assertThat(s.global("y")).isEqualTo(45);
        assertThat(s.eval("1 + 2 * 3")).isEqualTo(7);
        assertThat(s.host.printed()).isEqualTo("11 loop\n");
    }
}
