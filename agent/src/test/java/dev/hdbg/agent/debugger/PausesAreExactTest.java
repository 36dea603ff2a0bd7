package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.TargetState;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pause lands between two instructions, and the guest goes on from it as though it never stopped: a loop of two
 * blocks that adds to RAX in the first and takes from RCX in the second keeps RAX + RCX at N, or N + 1 when paused
 * between them, over twenty pauses. Before the stops were exact it drifted by one at most pauses: with a breakpoint
 * set anywhere, the guest resumed at the block it had last left (RIP as the last hooked instruction wrote it), and
 * without one, a stop after a memory access ran the block's first instructions again. Until the hooked instructions
 * began blocks of their own (stop 50), the same held for a hook inside the first block and for one on every
 * instruction: both cases resumed at the instruction the last hook ran before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PausesAreExactTest {
    private static final long BASE = RawImageLoader.DEFAULT_BASE;
    private static final long FIRST = BASE + 0x0a;
    private static final long SECOND = BASE + 0x50;
    private static final long HLT = BASE + 0x55;
    private static final long N = 1L << 40;

    /** mov rcx, N ; a: add rax, 1 ; mov [rsp - 8], rax ; jmp b ; (nops) ; b: dec rcx ; jnz a ; hlt */
    private static byte[] twoBlocks() {
        byte[] code = new byte[0x56];
        Arrays.fill(code, (byte) 0x90);
        put(code, 0, "48 b9 00 00 00 00 00 01 00 00");
        put(code, 0x0a, "48 83 c0 01 48 89 44 24 f8 eb 3b");
        put(code, 0x50, "48 ff c9 75 b5 f4");
        return code;
    }

    private static void put(byte[] code, int at, String hex) {
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        System.arraycopy(bytes, 0, code, at, bytes.length);
    }

    @ParameterizedTest(name = "breakpoint: {0}")
    @ValueSource(strings = {"none", "on the hlt, never reached", "on the second block's first instruction, disabled",
        "inside the first block, its condition false", "none, a !trace whose condition is false on every instruction",
        "none, a !monitor w on bytes never written"})
    void theLoopGoesOnFromEachPauseAsThoughItNeverStopped(String breakpoint) throws Exception {
        try (Machine machine = new Machine()) {
            byte[] code = twoBlocks();
            RawImageLoader.load(machine, "two blocks", code, BASE, BASE);
            TargetInfo info = TargetInfo.raw("two blocks", BASE, BASE + code.length);
            RecordQueue queue = new RecordQueue(1024, 1, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            queue.attach(batch -> { });
            try {
                debugger.setTarget(info);
                if (breakpoint.startsWith("on the hlt")) {
                    debugger.addBreakpoint(HLT, null).get(10, TimeUnit.SECONDS);
                } else if (breakpoint.startsWith("on the second")) {
                    long id = debugger.addBreakpoint(SECOND, null).get(10, TimeUnit.SECONDS);
                    debugger.modifyBreakpoints(id, EventModification.DISABLE)
                            .get(10, TimeUnit.SECONDS);
                } else if (breakpoint.startsWith("inside")) {
                    debugger.addBreakpoint(FIRST + 4, MachineCode.of(new byte[] {0x31, (byte) 0xc0}))
                            .get(10, TimeUnit.SECONDS); // xor eax, eax: never stops, and its hook runs at every pass
                } else if (breakpoint.contains("!trace")) {
                    debugger.addEvent(new EventSpec(EventType.TRACE, 0, OptionalLong.of(1), // step-in: every one
                            Optional.of(MachineCode.of(new byte[] {0x31, (byte) 0xc0})), List.of(new ActionSpec.Break()),
                            true)).get(10, TimeUnit.SECONDS);
                } else if (breakpoint.contains("!monitor")) {
                    // its write hook keeps the checks after every store, the loop's mov [rsp - 8], rax among them
                    debugger.addEvent(EventSpec.monitor(Set.of(Access.WRITE), BASE + 0x40, BASE + 0x47,
                            List.of(new ActionSpec.Break()))).get(10, TimeUnit.SECONDS);
                }
                for (int i = 0; i < 20; i++) {
                    Map<GuestRegister, Long> r = runThenPause(debugger, i);
                    long rip = r.get(GuestRegister.RIP);
                    long sum = r.get(GuestRegister.RAX) + r.get(GuestRegister.RCX);
                    assertThat(rip).as("pause %d", i).isIn(FIRST, FIRST + 4, FIRST + 9, SECOND, SECOND + 3);
                    boolean betweenAddAndDec = rip != FIRST && rip != SECOND + 3;
                    assertThat(sum).as("RAX + RCX at pause %d, RIP 0x%x", i, rip)
                            .isEqualTo(betweenAddAndDec ? N + 1 : N);
                }
            } finally {
                debugger.close();
                queue.close();
            }
        }
    }

    /**
     * One block, hooked inside: {@code a: add rax, 1 ; mov [rsp - 8], rax (a breakpoint of another process) ; 300 x
     * imul rdx, rdx ; dec rcx ; jnz a}. Most pauses come while the imuls run and land at the block's start. Before
     * hooked instructions began blocks of their own (stop 50), RIP stayed there at the hooked instruction, as its hook
     * last wrote it, and the guest resumed past the add.
     */
    @Test
    void aPauseAtTheStartOfABlockHookedInsideResumesThere() throws Exception {
        byte[] code = new byte[0x4cd];
        put(code, 0, "48 b9 00 00 00 00 00 01 00 00");
        put(code, 0x0a, "48 83 c0 01 48 89 44 24 f8");
        for (int at = 0x13; at < 0x4c3; at += 4) {
            put(code, at, "48 0f af d2");
        }
        put(code, 0x4c3, "48 ff c9 0f 85 3e fb ff ff f4");
        long hooked = FIRST + 4;
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "one block", code, BASE, BASE);
            RecordQueue queue = new RecordQueue(1024, 1, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            queue.attach(batch -> { });
            try {
                debugger.setTarget(TargetInfo.raw("one block", BASE, BASE + code.length));
                debugger.addBreakpoint(hooked, null, new Scope(OptionalLong.of(0x3fffff), OptionalLong.empty(),
                        OptionalInt.empty())).get(10, TimeUnit.SECONDS); // never this process: runs, never stops
                for (int i = 0; i < 20; i++) {
                    Map<GuestRegister, Long> r = runThenPause(debugger, i);
                    long rip = r.get(GuestRegister.RIP);
                    assertThat(rip).as("pause %d", i).isIn(FIRST, hooked);
                    assertThat(r.get(GuestRegister.RAX) + r.get(GuestRegister.RCX))
                            .as("RAX + RCX at pause %d, RIP 0x%x", i, rip).isEqualTo(rip == hooked ? N + 1 : N);
                }
            } finally {
                debugger.close();
                queue.close();
            }
        }
    }

    /** Lets the guest run a few milliseconds (5 to 11, as {@code i} says), pauses it, and reads RIP, RAX and RCX. */
    private static Map<GuestRegister, Long> runThenPause(Debugger debugger, int i) throws Exception {
        debugger.cont().get(10, TimeUnit.SECONDS);
        Thread.sleep(5 + i % 7);
        debugger.pause().get(10, TimeUnit.SECONDS);
        return awaitPaused(debugger);
    }

    private static Map<GuestRegister, Long> awaitPaused(Debugger debugger) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (debugger.status().get(10, TimeUnit.SECONDS).state() != TargetState.PAUSED) {
            assertThat(System.nanoTime()).as("paused within 10 s").isLessThan(deadline);
            Thread.sleep(1);
        }
        return debugger.readRegisters(List.of(GuestRegister.RIP, GuestRegister.RAX, GuestRegister.RCX))
                .get(10, TimeUnit.SECONDS);
    }
}
