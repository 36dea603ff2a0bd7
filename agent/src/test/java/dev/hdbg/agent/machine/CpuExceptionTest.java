package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.UcError;
import dev.hdbg.agent.unicorn.UnicornException;
import org.junit.jupiter.api.Test;

/** The emulator's failure as the machine reports it: its texts are the Unicorn exception's, read from it. */
class CpuExceptionTest {
    @Test
    void aFailureOfTheEmulatorSaysWhatItsCauseSays() {
        UnicornException cause = new UnicornException("uc_emu_start(0x0, 0x0, 0x0, 0x0)", "Invalid memory fetch",
                UcError.FETCH_UNMAPPED);

        CpuException e = CpuException.of(cause);

        assertThat(e.getMessage()).isEqualTo("uc_emu_start(0x0, 0x0, 0x0, 0x0): Invalid memory fetch");
        assertThat(e.reason()).isEqualTo("Invalid memory fetch");
        assertThat(e.getCause()).isSameAs(cause);
    }

    @Test
    void aFailureMadeWithItsTextsKeepsThem() {
        CpuException e = new CpuException("write rip", "the core is gone", null);

        assertThat(e.getMessage()).isEqualTo("write rip");
        assertThat(e.reason()).isEqualTo("the core is gone");
    }
}
