package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.common.event.GuestRegister;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The calling conventions of vmx-root where they live, on a real machine (Unicorn runs in-process): custom code
 * gets RCX = its requested buffer or NULL, RDX = GUEST_REGS, R8 = the context, and returns RAX; a condition gets
 * RCX = GUEST_REGS, RDX = the context. What custom code leaves in GUEST_REGS reaches the guest when it returns;
 * what a condition, or code that faults or never returns, leaves there does not. (The end-to-end tests,
 * {@code ActionsSpecIT}, check the same through a host.)
 */
class VmxRootCallTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final long BUDGET = 1000;

    private Machine machine;
    private VmxRoot root;

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        root = new VmxRoot(machine, BUDGET);
    }

    @AfterEach
    void stop() {
        root.close();
        machine.close();
    }

    private RootAllocation code(String hex) {
        return root.installCode(HexFormat.of().parseHex(hex));
    }

    @Test
    void customCodeGetsItsBufferInRcxGuestRegsInRdxAndTheContextInR8() {
        // mov [rcx], rcx ; mov [rcx+8], rdx ; mov [rcx+16], r8 ; mov rax, rcx
        RootAllocation code = code("488909488951084c8941104889c8");
        RootAllocation buffer = root.allocateBuffer(24);
        RootCallResult result = root.callCustomCode(code, buffer.address(), new GuestRegs(), 0x1234);
        assertThat(result).isEqualTo(new RootCallResult.Returned(buffer.address()));
        ByteBuffer stored = ByteBuffer.wrap(root.readIfMapped(buffer.address(), 24)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(stored.getLong()).as("rcx").isEqualTo(buffer.address());
        assertThat(stored.getLong()).as("rdx").isEqualTo(VmxRoot.GUEST_REGS_ADDRESS);
        assertThat(stored.getLong()).as("r8").isEqualTo(0x1234);
    }

    @Test
    void customCodeWithoutABufferGetsNullInRcx() {
        RootCallResult result = root.callCustomCode(code("4889c8"), 0, new GuestRegs(), 7); // mov rax, rcx
        assertThat(result).isEqualTo(new RootCallResult.Returned(0));
    }

    @Test
    void guestRegsHoldTheGuestsRegistersAndTheCodesChangesReachTheGuest() {
        machine.write(GuestRegister.RAX, 0x77);
        machine.write(GuestRegister.RDI, 5);
        assertThat(root.callCustomCode(code("488b02"), 0, new GuestRegs(), 0)) // mov rax, [rdx]
                .isEqualTo(new RootCallResult.Returned(0x77));
        // mov qword [rdx + 0x38], 0x1234: GUEST_REGS.rdi
        assertThat(root.callCustomCode(code("48c7423834120000"), 0, new GuestRegs(), 0))
                .isInstanceOf(RootCallResult.Returned.class);
        assertThat(machine.read(GuestRegister.RDI)).isEqualTo(0x1234);
    }

    @Test
    void aConditionGetsGuestRegsInRcxAndTheContextInRdx() {
        machine.write(GuestRegister.RDI, 0x42);
        assertThat(root.callCondition(code("488b4138"), new GuestRegs(), 0)) // mov rax, [rcx + 0x38]
                .isEqualTo(new RootCallResult.Returned(0x42));
        // cmp rdx, 0x400000 ; sete al ; movzx eax, al
        RootAllocation isImage = code("4881fa000040000f94c00fb6c0");
        assertThat(root.callCondition(isImage, new GuestRegs(), IMAGE)).isEqualTo(new RootCallResult.Returned(1));
        assertThat(root.callCondition(isImage, new GuestRegs(), IMAGE + 1)).isEqualTo(new RootCallResult.Returned(0));
    }

    @Test
    void nothingAConditionChangesReachesTheGuest() {
        machine.write(GuestRegister.RDI, 5);
        // mov qword [rcx + 0x38], 0x99 ; mov eax, 1
        assertThat(root.callCondition(code("48c7413899000000b801000000"), new GuestRegs(), 0))
                .isEqualTo(new RootCallResult.Returned(1));
        assertThat(machine.read(GuestRegister.RDI)).isEqualTo(5);
    }

    @Test
    void codeThatFaultsOrNeverReturnsLeavesTheGuestAsItWas() {
        machine.write(GuestRegister.RDI, 5);
        // mov qword [rdx + 0x38], 0x1234 ; mov rax, [0]
        RootCallResult faulted = root.callCustomCode(code("48c7423834120000" + "488b042500000000"), 0, new GuestRegs(), 0);
        assertThat(faulted).isInstanceOf(RootCallResult.Faulted.class);
        assertThat(((RootCallResult.Faulted) faulted).message()).contains("UC_ERR_READ_UNMAPPED");
        assertThat(machine.read(GuestRegister.RDI)).isEqualTo(5);

        // mov qword [rdx + 0x38], 0x1234 ; jmp $
        RootCallResult spinning = root.callCustomCode(code("48c7423834120000" + "ebfe"), 0, new GuestRegs(), 0);
        assertThat(spinning).isInstanceOfSatisfying(RootCallResult.BudgetExhausted.class,
                b -> assertThat(b.budget()).isEqualTo(BUDGET));
        assertThat(machine.read(GuestRegister.RDI)).isEqualTo(5);
    }

    /**
     * Custom code may write guest memory that the guest may not (a read-only page), but not a page that a fork made
     * several processes share: the write would change them all. It faults there, and writes again once one process
     * holds the page alone.
     */
    @Test
    void customCodeCannotWriteThroughPagesThatProcessesShare() {
        long rodata = 0x500000;
        machine.memory().map("rodata", rodata, 4096, dev.hdbg.agent.unicorn.Prot.READ);
        RootAllocation store = code("c6042500005000" + "07"); // mov byte [0x500000], 7
        assertThat(root.callCustomCode(store, 0, new GuestRegs(), 0)).isInstanceOf(RootCallResult.Returned.class);
        assertThat(machine.memory().read(rodata, 1)).containsExactly(7);

        dev.hdbg.agent.machine.AddressSpace child = machine.memory().copy();
        machine.memory().write(rodata, new byte[] {1}); // the debugger's write: the parent gets a copy of its own
        assertThat(root.callCustomCode(store, 0, new GuestRegs(), 0)).isInstanceOf(RootCallResult.Returned.class);
        machine.memory().release(child);

        child = machine.memory().copy();
        RootCallResult shared = root.callCustomCode(store, 0, new GuestRegs(), 0);
        assertThat(shared).isInstanceOfSatisfying(RootCallResult.Faulted.class,
                f -> assertThat(f.message()).contains("UC_ERR_WRITE_PROT"));
        machine.memory().release(child);
        machine.memory().write(rodata, new byte[] {1});
        assertThat(root.callCustomCode(store, 0, new GuestRegs(), 0)).isInstanceOf(RootCallResult.Returned.class);
        assertThat(machine.memory().read(rodata, 1)).containsExactly(7);
    }

    /**
     * A program's read-only page from the image cache ({@code GuestMemory.mapImage}) is the process's to patch, also
     * when a second load of the program maps the block the first left: the cache's hold is no other process's. A
     * forked child's is; and a load after a patch compares the bytes and gets a block of its own.
     */
    @Test
    void customCodeMayWriteAnImagesPageThatOnlyTheImageCacheHoldsBeside() {
        long rodata = 0x500000;
        byte[] file = new byte[4096];
        file[0] = 1;
        machine.memory().mapImage("prog", rodata, dev.hdbg.agent.unicorn.Prot.READ, file);
        machine.memory().release(machine.memory().detach()); // an exec: the program's process is gone
        machine.memory().mapImage("prog", rodata, dev.hdbg.agent.unicorn.Prot.READ, file); // the block it left
        RootAllocation store = code("c6042500005000" + "07"); // mov byte [0x500000], 7
        assertThat(root.callCustomCode(store, 0, new GuestRegs(), 0)).isInstanceOf(RootCallResult.Returned.class);
        assertThat(machine.memory().read(rodata, 1)).containsExactly(7);

        dev.hdbg.agent.machine.AddressSpace child = machine.memory().copy();
        assertThat(root.callCustomCode(store, 0, new GuestRegs(), 0)).as("now a forked child holds it too")
                .isInstanceOf(RootCallResult.Faulted.class);
        machine.memory().release(child);

        dev.hdbg.agent.machine.AddressSpace patched = machine.memory().detach(); // an exec of the same program
        machine.memory().mapImage("prog", rodata, dev.hdbg.agent.unicorn.Prot.READ, file);
        assertThat(machine.memory().read(rodata, 1)).as("the file's byte, not the patch").containsExactly(1);
        machine.memory().release(patched);
    }

    /**
     * A condition on registers alone does not load or store GUEST_REGS; a condition that reads them after it still sees
     * the guest's registers of its own hit, and one frame serves both.
     */
    @Test
    void conditionsOnRegistersAloneLeaveGuestRegsToTheConditionsThatReadThem() {
        RootAllocation registersOnly = code("b801000000"); // mov eax, 1
        RootAllocation readsRdi = code("488b4138"); // mov rax, [rcx + 0x38]
        for (long rdi = 1; rdi <= 3; rdi++) {
            machine.write(GuestRegister.RDI, rdi);
            GuestRegs frame = new GuestRegs();
            assertThat(root.callCondition(registersOnly, frame, 0)).isEqualTo(new RootCallResult.Returned(1));
            assertThat(frame.isLoaded()).isFalse();
            assertThat(root.callCondition(readsRdi, frame, 0)).isEqualTo(new RootCallResult.Returned(rdi));
            assertThat(root.callCondition(registersOnly, frame, 0)).isEqualTo(new RootCallResult.Returned(1));
            assertThat(root.callCondition(readsRdi, frame, 0)).isEqualTo(new RootCallResult.Returned(rdi));
        }
    }

    /**
     * Register-only code stopped by its budget, between its ret and the trap (RSP then 8 higher than a call leaves it)
     * or at the trap's hlt, is reported so, and the next calls start as the convention says.
     */
    @Test
    void conditionsOnRegistersAloneStoppedByTheBudgetLeaveTheNextCallsExact() {
        root.close();
        root = new VmxRoot(machine, 4); // the run counts the code, its ret, the trap's lea and hlt: 6
        machine.write(GuestRegister.RDI, 0x42);
        // inc ebx: RAX stays 0, as a call starts, so only RSP differs from what the next call needs
        RootAllocation tooLong = code("ffc3ffc3ffc3ffc3ffc3"); // inc ebx x5
        RootAllocation budgetThenRet = code("ffc3ffc3ffc3ffc3"); // inc ebx x4: the run stops after the trap's lea
        RootAllocation incTwice = code("ffc0ffc0");
        RootAllocation readsRdi = code("488b4138");
        RootAllocation readsRcx = code("4889c8"); // mov rax, rcx
        for (RootAllocation stopped : List.of(tooLong, budgetThenRet)) {
            for (int i = 0; i < 2; i++) {
                assertThat(root.callCondition(readsRcx, new GuestRegs(), 0))
                        .isEqualTo(new RootCallResult.Returned(VmxRoot.GUEST_REGS_ADDRESS));
                assertThat(root.callCondition(stopped, new GuestRegs(), 0)).isInstanceOfSatisfying(
                        RootCallResult.BudgetExhausted.class, b -> assertThat(b.budget()).isEqualTo(4));
                assertThat(root.callCondition(incTwice, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(2));
                assertThat(root.callCondition(incTwice, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(2));
                assertThat(root.callCondition(readsRcx, new GuestRegs(), 0))
                        .isEqualTo(new RootCallResult.Returned(VmxRoot.GUEST_REGS_ADDRESS));
                assertThat(root.callCondition(readsRdi, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x42));
            }
        }
    }

    /**
     * A condition reading GUEST_REGS slots sees the guest's registers of its own hit (or the loaded frame's), whatever
     * conditions that store all of GUEST_REGS or write into it ran before.
     */
    @Test
    void conditionsReadingSlotsSeeTheirHitsRegisters() {
        RootAllocation rdiPlusRsi = code("488b4138" + "48034130"); // mov rax, [rcx + 0x38] ; add rax, [rcx + 0x30]
        // mov qword [rcx + 0x38], 0x99 ; mov eax, 1
        RootAllocation writesRdiSlot = code("48c7413899000000" + "b801000000");
        for (long rdi = 1; rdi <= 3; rdi++) {
            machine.write(GuestRegister.RDI, rdi);
            machine.write(GuestRegister.RSI, 0x100);
            assertThat(root.callCondition(rdiPlusRsi, new GuestRegs(), 0))
                    .isEqualTo(new RootCallResult.Returned(rdi + 0x100));
            assertThat(root.callCondition(writesRdiSlot, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(1));
            assertThat(root.callCondition(rdiPlusRsi, new GuestRegs(), 0))
                    .isEqualTo(new RootCallResult.Returned(rdi + 0x100));
            GuestRegs loaded = new GuestRegs();
            loaded.loadFrom(new long[] {0, 0, 0, 0, 0, 0, 0x20, 0x10, 0, 0, 0, 0, 0, 0, 0, 0});
            assertThat(root.callCondition(rdiPlusRsi, loaded, 0)).as("from the loaded frame")
                    .isEqualTo(new RootCallResult.Returned(0x30));
        }
    }

    /** The budget counts the code's instructions, its ret among them, and not the return trap's two. */
    @Test
    void codeOfExactlyTheBudgetReturnsAndOneInstructionMoreIsStopped() {
        root.close();
        root = new VmxRoot(machine, 4);
        RootAllocation threeAndRet = code("ffc0ffc0ffc0"); // inc eax x3, then the appended ret: 4 instructions
        RootAllocation fourAndRet = code("ffc0ffc0ffc0ffc0");
        assertThat(root.callCondition(threeAndRet, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(3));
        assertThat(root.callCustomCode(threeAndRet, 0, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(3));
        assertThat(root.callCondition(fourAndRet, new GuestRegs(), 0)).isInstanceOfSatisfying(
                RootCallResult.BudgetExhausted.class, b -> assertThat(b.budget()).isEqualTo(4));
        assertThat(root.callCondition(threeAndRet, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(3));
    }

    /** The guest's shared registers are in the root when register-only code runs, and again for code that reads them. */
    @Test
    void aConditionReadingADebugRegisterAfterRegisterOnlyOnesSeesTheGuests() {
        RootAllocation registersOnly = code("31c0");
        RootAllocation readsDr3 = code("0f21d8"); // mov rax, dr3
        for (long dr3 = 0x10; dr3 <= 0x30; dr3 += 0x10) {
            machine.write(GuestRegister.DR3, dr3);
            assertThat(root.callCondition(registersOnly, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
            assertThat(root.callCondition(readsDr3, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(dr3));
        }
    }
}
