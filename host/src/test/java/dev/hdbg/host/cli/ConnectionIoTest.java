package dev.hdbg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.wire.Transport;
import dev.hdbg.host.client.ConnectSettings;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who drives the connection, decided once a run: {@code HDBG_BATCH_IO} for batches (the batch thread unless told
 * {@code thread}; a typo is said, not ignored), {@code HDBG_GDB_IO} for the bridge, a loop thread for the rest.
 */
class ConnectionIoTest {
    @Test
    void unsetTheBatchThreadDrivesItsIo() {
        assertThat(ConnectionIo.batchDrivesIo(null)).isTrue();
        assertThat(ConnectionIo.batchDrivesIo(" ")).isTrue();
    }

    @Test
    void threadKeepsTheLoopThreadAndCallerDrives() {
        assertThat(ConnectionIo.batchDrivesIo("thread")).isFalse();
        assertThat(ConnectionIo.batchDrivesIo("caller")).isTrue();
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> ConnectionIo.batchDrivesIo("threads")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HDBG_BATCH_IO=threads").hasMessageContaining("caller").hasMessageContaining("thread");
    }

    @Test
    void aBatchFromAFileThatDrivesItsIoFlushesItsLinesAtItsWaits() {
        assertThat(ConnectionIo.of("cmds.txt", false, null, null))
                .isEqualTo(new ConnectionIo(Optional.of(true), true, null));
        assertThat(ConnectionIo.of("cmds.txt", false, "thread", null))
                .isEqualTo(new ConnectionIo(Optional.of(false), false, null));
    }

    /** Standard input may wait for the user: its lines go out as they are written. */
    @Test
    void aBatchFromStandardInputDrivesItsIoButFlushesEveryLine() {
        assertThat(ConnectionIo.of("-", false, null, null)).isEqualTo(new ConnectionIo(Optional.of(true), false, null));
    }

    /** A wrong setting is kept to be said where the connection is set up, with the run's other refusals. */
    @Test
    void aBatchWithAWrongSettingKeepsItsRefusalAndFlushesEveryLine() {
        ConnectionIo io = ConnectionIo.of("cmds.txt", false, "threads", null);
        assertThat(io.refusal()).contains("HDBG_BATCH_IO=threads");
        assertThat(io.flushesAtWaits()).isFalse();
        assertThat(io.callerDriven()).isEmpty();
    }

    @Test
    void theBridgeDrivesItsIoUnlessToldThreadAndIgnoresTheBatchSetting() {
        assertThat(ConnectionIo.of(null, true, "threads", null)).isEqualTo(new ConnectionIo(Optional.of(true), false, null, true));
        assertThat(ConnectionIo.of(null, true, null, "thread")).isEqualTo(new ConnectionIo(Optional.of(false), false, null));
    }

    @Test
    void thePromptAndTheDemoKeepTheirLoopThread() {
        assertThat(ConnectionIo.of(null, false, "caller", "caller")).isEqualTo(new ConnectionIo(Optional.empty(), false, null));
    }

    @Test
    void theChoiceReachesTheSettingsAndNoChoiceLeavesThemAsTheyAre() {
        ConnectSettings loopThread = ConnectSettings.defaults().withCallerDriven(false);
        ConnectSettings callerThread = ConnectSettings.defaults().withCallerDriven(true);

        assertThat(ConnectionIo.of("cmds.txt", false, null, null).applyTo(loopThread).callerDriven()).isTrue();
        assertThat(ConnectionIo.of("cmds.txt", false, "thread", null).applyTo(callerThread).callerDriven()).isFalse();
        assertThat(ConnectionIo.of(null, false, null, null).applyTo(callerThread)).isSameAs(callerThread);
        assertThat(ConnectionIo.of("cmds.txt", false, "threads", null).applyTo(loopThread)).isSameAs(loopThread);
    }

    @Test
    void theBridgesConnectionTakesNioWhoseSelectorAlsoWatchesGdbsSocketAndABatchKeepsThePreferredTransport() {
        ConnectSettings preferred = ConnectSettings.defaults();

        assertThat(ConnectionIo.of(null, true, null, null).applyTo(preferred).transport()).isEqualTo(Transport.NIO);
        assertThat(ConnectionIo.of("cmds.txt", false, null, null).applyTo(preferred).transport())
                .isEqualTo(Transport.preferred());
        assertThat(ConnectionIo.of(null, true, null, "thread").applyTo(preferred).transport())
                .isEqualTo(Transport.preferred());
    }
}
