package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class XmmNameTest {
    @Test
    void xmm0ToXmm15InAnyCaseWithOrWithoutAnAt() {
        assertThat(XmmName.parse("xmm0")).contains(new XmmName(0));
        assertThat(XmmName.parse("XMM15")).contains(new XmmName(15));
        assertThat(XmmName.parse("@xmm7").map(XmmName::wireName)).contains("xmm7");
    }

    @Test
    void anythingElseIsNoXmmRegister() {
        for (String name : new String[] {"xmm16", "xmm", "xmm01", "ymm0", "rax", "@rip", "xmm-1"}) {
            assertThat(XmmName.parse(name)).as(name).isEqualTo(Optional.empty());
        }
    }
}
