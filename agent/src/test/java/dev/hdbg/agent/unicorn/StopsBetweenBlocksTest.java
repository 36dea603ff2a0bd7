package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stop asked from another thread while the guest runs ({@code uc_emu_stop}) is exact with {@link StopsBetweenBlocks}
 * on: loops that count in memory and in a register, stopped every few hundred microseconds and resumed where RIP says,
 * end with the count they have when nothing stops them. Unpatched, 2.0.1 stopped them after a memory access with RIP at
 * the block's start, and the increments before the access ran again (bench/unicorn_stop.c: about one stop in two).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopsBetweenBlocksTest {
    private static final long N = 2_000_000;
    private static final long DATA = Guest.DATA;

    @BeforeAll
    static void decided() {
        Unicorn.openX86_64().close(); // the first engine of the JVM decides
    }

    @Test
    void thePatchIsOnWithDebiansLibrary() {
        LibraryPatch.Status status = StopsBetweenBlocks.status();
        assertThat(status.state()).as(status.detail()).isEqualTo(LibraryPatch.State.ON);
    }

    @Test
    void anIncrementInMemoryBeforeTheLoopCounterRunsOnceAnIteration() {
        // A: inc qword [rbx] ; dec rcx ; jnz A ; hlt
        assertCountsExactly("48 ff 03 48 ff c9 75 f8 f4");
    }

    @Test
    void aLoopCounterBeforeTheIncrementInMemoryLosesNoIteration() {
        // B: dec rcx ; nop ; inc qword [rbx] ; test rcx, rcx ; jnz B ; hlt
        assertCountsExactly("48 ff c9 90 48 ff 03 48 85 c9 75 f4 f4");
    }

    @Test
    void aLoopOfTwoBlocksCountsExactly() {
        // 0: inc qword [rbx] ; jmp 0x40 ; (nops) ; 0x40: dec rcx ; jnz 0 ; hlt — the stop often lands between the two
        StringBuilder code = new StringBuilder("48 ff 03 eb 3b");
        code.append(" 90".repeat(0x40 - 5)).append(" 48 ff c9 75 bb f4");
        assertCountsExactly(code.toString());
    }

    @Test
    void aMemoryHookKeepsTheCheckAfterEachAccessAndItsRemovalDropsIt() {
        try (Unicorn uc = Guest.withCode("48 ff 03 48 ff c9 75 f8 f4")) {
            uc.regWrite(X86Reg.RBX, DATA);
            uc.regWrite(X86Reg.RCX, 10);
            long[] before = StopsBetweenBlocks.translatedAccesses();
            uc.emuStart(Guest.CODE, 0, 0, 0);
            long[] plain = StopsBetweenBlocks.translatedAccesses();
            assertThat(plain[0]).as("accesses translated without the check").isGreaterThan(before[0]);
            assertThat(plain[1]).as("with it").isEqualTo(before[1]);

            Hook writes = uc.hookMemory(HookType.MEM_WRITE, DATA, DATA + 7, (type, address, size, value) -> { });
            uc.regWrite(X86Reg.RCX, 10);
            uc.emuStart(Guest.CODE, 0, 0, 0);
            long[] hooked = StopsBetweenBlocks.translatedAccesses();
            assertThat(hooked[1]).as("the block translated again, with the check").isGreaterThan(plain[1]);

            writes.close();
            uc.regWrite(X86Reg.RCX, 10);
            uc.emuStart(Guest.CODE, 0, 0, 0);
            assertThat(StopsBetweenBlocks.translatedAccesses()[0]).as("and again without it once the hook is gone")
                    .isGreaterThan(hooked[0]);
        }
    }

    /** Runs {@code hex} (which counts RCX down from N, incrementing the qword at [rbx]) under a stop every 0.2 ms. */
    private static void assertCountsExactly(String hex) {
        try (Unicorn uc = Guest.withCode(hex)) {
            uc.regWrite(X86Reg.RBX, DATA);
            uc.regWrite(X86Reg.RCX, N);
            long end = Guest.CODE + Guest.bytes(hex).length; // just past the hlt
            AtomicBoolean running = new AtomicBoolean(true);
            Thread stopper = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    LockSupport.parkNanos(200_000);
                    uc.emuStop();
                }
            });
            int stops = 0;
            try {
                long rip = Guest.CODE;
                while (rip != end) {
                    uc.emuStart(rip, 0, 0, 0);
                    rip = uc.regRead(X86Reg.RIP);
                    stops++;
                }
            } finally {
                running.set(false);
                LockSupport.unpark(stopper);
            }
            assertThat(stops).as("stops that landed during the loop").isGreaterThan(20);
            assertThat(uc.memRead(DATA, 8)).as("the count in memory after %d stops", stops)
                    .isEqualTo(littleEndian(N));
            assertThat(uc.regRead(X86Reg.RCX)).isZero();
        }
    }

    private static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> 8 * i);
        }
        return bytes;
    }
}
