package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binding against the real libunicorn.so.2: a fake would test nothing here. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnicornTest {
    private static final long CODE = 0x1000;
    private Unicorn uc;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.memMap(CODE, 0x1000, Prot.ALL);
    }

    @AfterEach
    void close() {
        uc.close();
    }

    private void load(String hex) {
        uc.memWrite(CODE, HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void versionIsTwo() {
        assertThat(Unicorn.version()).matches("2\\.\\d+\\.\\d+");
    }

    @Test
    void runsCodeUntilHltAndLeavesRipJustPastIt() {
        load("48c7c034120000 48ffc0 f4"); // mov rax, 0x1234 ; inc rax ; hlt
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(0x1235);
        assertThat(uc.regRead(X86Reg.RIP)).isEqualTo(CODE + 11);
    }

    @Test
    void batchReadAndWriteMoveManyRegistersAtOnce() {
        X86Reg[] regs = {X86Reg.RAX, X86Reg.R15, X86Reg.RDI};
        uc.regWriteBatch(regs, new long[] {1, 2, 3});
        long[] out = new long[3];
        uc.regReadBatch(regs, out);
        assertThat(out).containsExactly(1, 2, 3);
        assertThat(uc.regRead(X86Reg.R15)).isEqualTo(2);
    }

    @Test
    void xmmAndMsrRegisters() {
        byte[] value = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        uc.regWriteXmm(3, value);
        assertThat(uc.regReadXmm(3)).isEqualTo(value);
        uc.msrWrite(0xC0000100, 0x7000_1000L); // IA32_FS_BASE
        assertThat(uc.msrRead(0xC0000100)).isEqualTo(0x7000_1000L);
        assertThat(uc.regRead(X86Reg.FS_BASE)).isEqualTo(0x7000_1000L);
    }

    @Test
    void unmappedReadThrowsWithStrerrorText() {
        assertThatThrownBy(() -> uc.memRead(0x7fff0000L, 16)).isInstanceOfSatisfying(UnicornException.class, e -> {
            assertThat(e.error()).isEqualTo(UcError.READ_UNMAPPED);
            assertThat(e.getMessage()).isEqualTo("uc_mem_read(0x7fff0000, 0x10): Invalid memory read (UC_ERR_READ_UNMAPPED)");
        });
    }

    @Test
    void memoryMappedFromHostPagesIsSharedBetweenInstances() {
        try (Arena arena = Arena.ofConfined(); Unicorn other = Unicorn.openX86_64()) {
            MemorySegment page = arena.allocate(0x1000, 0x1000);
            uc.memMapPtr(0x20000, page, Prot.ALL);
            other.memMapPtr(0x20000, page, Prot.ALL);
            uc.memWrite(0x20010, new byte[] {42});
            assertThat(other.memRead(0x20010, 1)).containsExactly(42);
            assertThat(page.get(ValueLayout.JAVA_BYTE, 0x10)).isEqualTo((byte) 42);
        }
    }

    @Test
    void memRegionsListsMappings() {
        uc.memMap(0x50000, 0x2000, Prot.READ);
        assertThat(uc.memRegions()).contains(new MemoryRegion(CODE, CODE + 0xfff, Prot.ALL),
                new MemoryRegion(0x50000, 0x51fff, Prot.READ));
    }

    @Test
    void codeHookOnOneAddressFiresOnlyThere() {
        load("48ffc0 48ffc3 48ffc1 f4"); // inc rax ; inc rbx ; inc rcx ; hlt
        List<Long> seen = new ArrayList<>();
        uc.hookCode(CODE + 3, CODE + 3, (address, size) -> seen.add(address));
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(seen).containsExactly(CODE + 3);
    }

    @Test
    void cpuidHookCanSkipTheInstructionAndSetTheResult() {
        load("b801000000 0fa2 f4"); // mov eax, 1 ; cpuid ; hlt
        uc.hookCpuid(() -> {
            uc.regWrite(X86Reg.RBX, 0xdead);
            return true;
        });
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(uc.regRead(X86Reg.RBX)).isEqualTo(0xdead);
        assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(1); // skipped: EAX not replaced by the leaf's value
    }

    @Test
    void inAndOutHooksSeePortSizeAndValue() {
        load("b0 5a e6 80 e4 71 f4"); // mov al, 0x5a ; out 0x80, al ; in al, 0x71 ; hlt
        List<String> seen = new ArrayList<>();
        uc.hookOut((port, size, value) -> seen.add("out " + Integer.toHexString(port) + " " + size + " " + Integer.toHexString(value)));
        uc.hookIn((port, size) -> {
            seen.add("in " + Integer.toHexString(port) + " " + size);
            return 0x33;
        });
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(seen).containsExactly("out 80 1 5a", "in 71 1");
        assertThat(uc.regRead(X86Reg.RAX) & 0xff).isEqualTo(0x33);
    }

    @Test
    void syscallInterruptAndInvalidInstructionHooks() {
        List<String> seen = new ArrayList<>();
        uc.hookSyscall(() -> seen.add("syscall"));
        uc.hookInterrupt(intno -> {
            seen.add("int " + intno);
            uc.emuStop();
        });
        load("0f05 cc f4"); // syscall ; int3 ; hlt
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(seen).containsExactly("syscall", "int 3");

    }

    @Test
    void vmcallIsAnInvalidInstructionThatAHookSees() {
        load("0f01c1 f4"); // vmcall ; hlt
        assertThatThrownBy(() -> uc.emuStart(CODE, -1, 0, 0)).isInstanceOf(UnicornException.class)
                .hasMessageContaining("UC_ERR_INSN_INVALID");
        List<Long> seen = new ArrayList<>();
        uc.hookInvalidInstruction(() -> {
            seen.add(uc.regRead(X86Reg.RIP));
            return false;
        });
        try {
            uc.emuStart(CODE, -1, 0, 0);
        } catch (UnicornException e) {
            assertThat(e.error()).isEqualTo(UcError.INSN_INVALID);
        }
        assertThat(seen).containsExactly(CODE);
    }

    @Test
    void countBudgetStopsAfterThatManyInstructions() {
        load("ebfe"); // jmp $
        uc.emuStart(CODE, -1, 0, 1000);
        assertThat(uc.regRead(X86Reg.RIP)).isEqualTo(CODE);
    }

    @Test
    void emuStopFromAnotherThreadEndsAnEndlessLoop() throws Exception {
        load("ebfe"); // jmp $
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            uc.emuStop();
        });
        long started = System.nanoTime();
        uc.emuStart(CODE, -1, 0, 0);
        stopper.join();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
    }

    @Test
    void aThrowingHookSurfacesFromEmuStartWithItsCause() {
        load("48ffc0 48ffc0 f4");
        uc.hookCode(CODE, CODE, (address, size) -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> uc.emuStart(CODE, -1, 0, 0)).isInstanceOf(UnicornException.class)
                .hasMessageContaining("a hook callback failed").hasRootCauseMessage("boom");
        // The engine is still usable.
        uc.regWrite(X86Reg.RAX, 7);
        assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(7);
    }

    @Test
    void removedHookNoLongerFires() {
        load("48ffc0 f4");
        int[] hits = {0};
        Hook hook = uc.hookCode(CODE, CODE, (address, size) -> hits[0]++);
        uc.emuStart(CODE, -1, 0, 0);
        hook.close();
        uc.removeCache(CODE, CODE + 1);
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(hits[0]).isEqualTo(1);
    }

    @Test
    void contextSaveAndRestore() {
        uc.regWrite(X86Reg.RAX, 1);
        try (UnicornContext saved = uc.contextSave()) {
            uc.regWrite(X86Reg.RAX, 2);
            uc.contextRestore(saved);
        }
        assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(1);
    }

    @Test
    void flushingTheTranslationCacheMakesNewBytesRun() {
        load("48ffc0 f4"); // inc rax ; hlt
        uc.emuStart(CODE, -1, 0, 0);
        uc.memWrite(CODE, HexFormat.of().parseHex("48ffc3")); // inc rbx
        uc.flushTranslationCache();
        uc.emuStart(CODE, -1, 0, 0);
        assertThat(uc.regRead(X86Reg.RAX)).isEqualTo(1);
        assertThat(uc.regRead(X86Reg.RBX)).isEqualTo(1);
    }
}
