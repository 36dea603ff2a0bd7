package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.common.record.DebuggerRecord.LogValue;
import java.lang.management.ManagementFactory;
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

    /**
     * Issue 15: each hit of a hot {@code log {rdi}} looked the register up by its name through an {@code Optional} and
     * the lookup's error-message lambda, a record each.
     */
    @Test
    void aHotLogOfARegisterFindsItWithoutAllocating() {
        machine.write(GuestRegister.RDI, 7);
        LogConfiguration log = new LogConfiguration(List.of(new LogItem.Register("rdi")));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 1_000; i++) {
            taker.take(log, EXIT, 1, new GuestRegs());
        }
        GuestRegs frame = new GuestRegs();
        int takes = 20_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < takes; i++) {
            taker.take(log, EXIT, 1, frame);
        }
        long perTake = (threads.getCurrentThreadAllocatedBytes() - before) / takes;
        // The list, the value and its Optional: 72 bytes (104 with the lookup a take).
        assertThat(perTake).isLessThanOrEqualTo(80);
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

    /**
     * Issue 15: the values went into a growing ArrayList that the record's List.copyOf then copied again, a quarter of
     * the execution thread's Java time a hot log record. A log of one or two items is a list the record keeps.
     */
    @Test
    void aLogOfOneOrTwoItemsIsAListTheRecordKeepsAsItIs() {
        machine.write(GuestRegister.RDI, 7);
        machine.write(GuestRegister.RSI, 8);
        for (List<LogItem> items : List.of(List.<LogItem>of(new LogItem.Register("rdi")),
                List.<LogItem>of(new LogItem.Register("rdi"), new LogItem.Register("rsi")))) {
            List<LogValue> values = taker.take(new LogConfiguration(items), EXIT, 1, new GuestRegs());
            assertThat(values).extracting(LogValue::name).containsExactlyElementsOf(
                    items.stream().map(i -> ((LogItem.Register) i).name()).toList());
            assertThat(new DebuggerRecord.Log(1, 1, 1, 0, values).values()).as("not copied by the record").isSameAs(values);
        }
    }

    @Test
    void aLogOfAllRegistersAndMoreKeepsEveryValueInOrder() {
        machine.write(GuestRegister.RDI, 7);
        List<LogValue> values = taker.take(new LogConfiguration(List.of(new LogItem.Register("rdi"), new LogItem.AllGprs(),
                new LogItem.Register("rdi"))), EXIT, 1, new GuestRegs());
        assertThat(values).hasSize(18);
        assertThat(values.getFirst().number()).contains(7L);
        assertThat(values.getLast().number()).contains(7L);
        assertThat(values.get(1).name()).isEqualTo(GuestRegister.GPRS.getFirst().wireName());
    }
}
