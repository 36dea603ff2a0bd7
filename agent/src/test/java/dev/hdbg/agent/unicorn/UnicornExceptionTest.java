package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A failed call's exception makes its text when asked for: a run the exits stop on purpose ends in one (a program's
 * exit), and making the text nobody reads (the first {@code uc_strerror} downcall, hex formatting) cost every
 * program's run 1 to 3 ms (docs/benchmarks.md, "A program's first milliseconds, stop 43").
 */
class UnicornExceptionTest {
    @Test
    void theTextOfAFailedCallIsMadeWhenReadAndThenAsBefore() {
        AtomicInteger made = new AtomicInteger();
        UnicornException e = UnicornException.of(UcError.READ_UNMAPPED.ordinal(), () -> {
            made.incrementAndGet();
            return "uc_emu_start(0x401000, 0x0, 0x0, 0x0)";
        });

        assertThat(made).as("nothing made as it is thrown").hasValue(0);
        assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED);
        assertThat(made).hasValue(0);
        assertThat(e.getMessage()).startsWith("uc_emu_start(0x401000, 0x0, 0x0, 0x0): ")
                .endsWith("(UC_ERR_READ_UNMAPPED)");
        assertThat(e.reason()).endsWith("(UC_ERR_READ_UNMAPPED)").isEqualTo(UnicornException.describe(
                UcError.READ_UNMAPPED.ordinal()));
        assertThat(e.toString()).contains("uc_emu_start(0x401000", "UC_ERR_READ_UNMAPPED");
    }

    @Test
    void anExceptionMadeWithItsReasonKeepsIt() {
        UnicornException e = new UnicornException("uc_mem_map(0x1000, 0x1000)", "overlaps", UcError.MAP);

        assertThat(e.getMessage()).isEqualTo("uc_mem_map(0x1000, 0x1000): overlaps");
        assertThat(e.reason()).isEqualTo("overlaps");
        assertThat(e.error()).isEqualTo(UcError.MAP);
    }
}
