package dev.hdbg.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link LinuxSignals#number}: the words a user names a signal by at the prompt ({@code sxe}). */
class LinuxSignalsTest {
    @Test
    void aSignalIsNamedWithOrWithoutSigInAnyCaseOrByNumber() {
        assertThat(LinuxSignals.number("SIGSEGV")).hasValue(11);
        assertThat(LinuxSignals.number("segv")).hasValue(11);
        assertThat(LinuxSignals.number("Usr1")).hasValue(10);
        assertThat(LinuxSignals.number("10")).hasValue(10);
        assertThat(LinuxSignals.number("SIG34")).as("a real-time signal").hasValue(34);
        assertThat(LinuxSignals.number("64")).hasValue(64);
    }

    @Test
    void wordsThatNameNoSignalAreRefused() {
        assertThat(LinuxSignals.number("0")).isEqualTo(OptionalInt.empty());
        assertThat(LinuxSignals.number("65")).isEmpty();
        assertThat(LinuxSignals.number("SIGFOO")).isEmpty();
        assertThat(LinuxSignals.number("")).isEmpty();
        assertThat(LinuxSignals.number("SIG")).isEmpty();
    }
}
