package dev.hdbg.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** gdb's range: its start inside, its end not, addresses compared unsigned; a range must hold an address. */
class StepRangeTest {
    @Test
    void theStartIsInsideAndTheEndIsNot() {
        StepRange line = new StepRange(0x401000, 0x401010);

        assertThat(line.contains(0x401000)).isTrue();
        assertThat(line.contains(0x40100f)).isTrue();
        assertThat(line.contains(0x401010)).isFalse();
        assertThat(line.contains(0x400fff)).isFalse();
    }

    @Test
    void addressesAreUnsigned() {
        StepRange high = new StepRange(0xffffffffff600000L, 0xffffffffff601000L);

        assertThat(high.contains(0xffffffffff600400L)).isTrue();
        assertThat(high.contains(0x401000)).isFalse();
    }

    @Test
    void aRangeThatHoldsNoAddressIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StepRange(0x401010, 0x401000));
        assertThatIllegalArgumentException().isThrownBy(() -> new StepRange(0x401000, 0x401000));
    }
}
