package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code HDBG_BATCH_IO}: the batch thread drives its I/O unless told {@code thread}; a typo is said, not ignored. */
class BatchIoSettingTest {
    @Test
    void unsetTheBatchThreadDrivesItsIo() {
        assertThat(HdbgMain.batchDrivesIo(null)).isTrue();
        assertThat(HdbgMain.batchDrivesIo(" ")).isTrue();
    }

    @Test
    void threadKeepsTheLoopThreadAndCallerDrives() {
        assertThat(HdbgMain.batchDrivesIo("thread")).isFalse();
        assertThat(HdbgMain.batchDrivesIo("caller")).isTrue();
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> HdbgMain.batchDrivesIo("threads")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HDBG_BATCH_IO=threads").hasMessageContaining("caller").hasMessageContaining("thread");
    }
}
