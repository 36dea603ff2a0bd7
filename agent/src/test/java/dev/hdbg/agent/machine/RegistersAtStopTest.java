package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.common.event.GuestRegister;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A break record's registers, read in one call into the emulator (issue 15: one call a register was a tenth of a
 * step's work in the agent), are the values each register's own read gives, in {@link GuestRegister#AT_STOP}'s order.
 */
class RegistersAtStopTest {
    @Test
    void theRegistersAtAStopReadTogetherAreEachRegistersOwnValueInOrder() throws Exception {
        try (Machine machine = new Machine()) {
            Target.sample("loop").loadInto(machine);
            for (GuestRegister register : GuestRegister.GPRS) {
                machine.write(register, 0x1111_0000L + register.ordinal()); // sixteen different values
            }
            machine.write(GuestRegister.FS_BASE, 0x7000_1000L);
            machine.cpu().step(machine.rip());

            Map<GuestRegister, Long> together = machine.readAtStop();

            assertThat(together.keySet()).containsExactlyElementsOf(GuestRegister.AT_STOP);
            for (GuestRegister register : GuestRegister.AT_STOP) {
                assertThat(together.get(register)).as("%s", register).isEqualTo(machine.read(register));
            }
            assertThat(together.get(GuestRegister.RDX)).isEqualTo(0x1111_0002L);
            assertThat(together.get(GuestRegister.FS_BASE)).isEqualTo(0x7000_1000L);
            assertThat(together.get(GuestRegister.RIP)).as("past the one instruction stepped").isEqualTo(0x400003L);
        }
    }
}
