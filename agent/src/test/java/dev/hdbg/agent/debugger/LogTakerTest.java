package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogTakerTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final VmExit EXIT = VmExit.pre(ExitReason.EPT_HOOK, IMAGE);

    private Machine machine;
    private LogTaker taker;

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        taker = new LogTaker(machine, () -> null);
    }

    @AfterEach
    void stop() {
        machine.close();
    }

    /**
     * Issue 15: a hot {@code log {rdi}} read all sixteen registers into the exit's frame for one. Read alone, the frame
     * stays unloaded: a register changed afterwards is read fresh from the frame, not from a copy made by the log.
     */
    @Test
    void aLoggedRegisterIsReadAloneWithoutLoadingTheFrame() {
        machine.write(GuestRegister.RDI, 7);
        GuestRegs frame = new GuestRegs();
        List<LogValue> values = taker.take(new LogConfiguration(List.of(new LogItem.Register("rdi"))), EXIT, 1, frame);
        assertThat(values).singleElement().satisfies(v -> assertThat(v.number()).contains(7L));
        machine.write(GuestRegister.RAX, 9);
        assertThat(frame.get(machine.cpu(), GuestRegister.RAX.ordinal())).as("the frame was not loaded by the log").isEqualTo(9);
    }

    @Test
    void aLoadedFrameIsWhereTheLoggedRegisterComesFrom() {
        machine.write(GuestRegister.RDI, 7);
        GuestRegs frame = new GuestRegs();
        frame.load(machine.cpu());
        machine.write(GuestRegister.RDI, 8); // as an earlier action's frame would have it until applied
        List<LogValue> values = taker.take(new LogConfiguration(List.of(new LogItem.Register("rdi"))), EXIT, 1, frame);
        assertThat(values).singleElement().satisfies(v -> assertThat(v.number()).contains(7L));
    }
}
