package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.common.event.GuestRegister;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
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
}
