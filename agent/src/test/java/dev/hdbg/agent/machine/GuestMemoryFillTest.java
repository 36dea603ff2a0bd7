package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.GuestRegister;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link GuestMemory#fill}: host input (a file's read) written into guest memory through the guest's own host pages,
 * with {@link GuestMemory#write}'s guarantees: code translated from the bytes does not run again, and a range over two
 * regions or an unmapped one behaves as a write does.
 */
class GuestMemoryFillTest {
    private static final long CODE = 0x400000;
    private static final long DATA = 0x600000;

    private static long runCode(Machine machine) {
        machine.cpu().run(CODE); // in ring 0 on this bare machine, the hlt ends the run
        return machine.read(GuestRegister.RAX);
    }

    @Test
    void codeFilledOverTranslatedCodeRunsInItsNewForm() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x1111));
            for (int run = 0; run < 3; run++) { // translated, then found in the caches and chained
                assertThat(runCode(machine)).isEqualTo(0x1111);
            }
            byte[] next = MovEaxCode.movEaxHlt(0x2222);
            assertThat(memory.fill(CODE, next.length, into -> {
                into.put(next);
                return next.length;
            })).isEqualTo(next.length);
            assertThat(runCode(machine)).as("the filled code, not the old translation").isEqualTo(0x2222);
        }
    }

    @Test
    void aFillWithinOneRegionWritesTheGuestsOwnPagesDirectly() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("data", DATA, 2 * GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            int filled = memory.fill(DATA + 100, 4096, into -> {
                assertThat(into.isDirect()).as("the guest's host pages, no staging array").isTrue();
                int n = 0;
                while (into.hasRemaining() && n < 3000) {
                    into.put((byte) n++);
                }
                return n;
            });
            assertThat(filled).isEqualTo(3000);
            byte[] back = memory.read(DATA + 100, 3001);
            for (int i = 0; i < 3000; i++) {
                assertThat(back[i]).isEqualTo((byte) i);
            }
            assertThat(back[3000]).as("nothing past what the source filled").isZero();
        }
    }

    @Test
    void aFillOverTwoRegionsIsStagedAndLandsInBoth() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("low", DATA, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            memory.map("high", DATA + GuestMemory.PAGE, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            int filled = memory.fill(DATA + 4000, 200, into -> {
                assertThat(into.isDirect()).isFalse();
                into.put(new byte[200]).position(0);
                for (int i = 0; i < 200; i++) {
                    into.put((byte) (i + 1));
                }
                return 200;
            });
            assertThat(filled).isEqualTo(200);
            byte[] back = memory.read(DATA + 4000, 200);
            assertThat(back[0]).isEqualTo((byte) 1);
            assertThat(back[199]).isEqualTo((byte) 200);
        }
    }

    @Test
    void anUnmappedRangeFailsBeforeTheSourceIsAsked() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("data", DATA, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            AtomicInteger asked = new AtomicInteger();
            assertThatThrownBy(() -> memory.fill(DATA + 4000, 200, into -> asked.incrementAndGet()))
                    .isInstanceOf(UnmappedAddressException.class);
            assertThat(asked).hasValue(0);
        }
    }
}
