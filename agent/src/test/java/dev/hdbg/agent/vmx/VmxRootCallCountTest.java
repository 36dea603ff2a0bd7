package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.machine.RegisterList;
import dev.hdbg.common.event.GuestRegister;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hot condition costs in calls into the emulator, counted (not timed): a false machine-code condition on a
 * hot {@code !epthook} is one read of the guest, the run, and one read of the root (docs/benchmarks.md, "The hot hit
 * path, wave 10"). Before, every condition also wrote the thirteen shared registers into the root again, control
 * registers included, wrote the five call registers, and read the guest and the root twice: six calls a hit.
 */
class VmxRootCallCountTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final int HITS = 100;

    private Machine machine;
    private VmxRoot root;
    private final List<String> guestCalls = new ArrayList<>();
    private final List<String> rootCalls = new ArrayList<>();

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        root = new VmxRoot(machine, counting(machine.cpu(), guestCalls), counting(machine.openPrivateCpu(), rootCalls),
                1000);
    }

    @AfterEach
    void stop() {
        root.close();
        machine.close();
    }

    /** {@code cpu}, noting the name of every method called on it (a register list's reads and writes by size). */
    private static Cpu counting(Cpu cpu, List<String> calls) {
        return (Cpu) Proxy.newProxyInstance(Cpu.class.getClassLoader(), new Class<?>[] {Cpu.class}, (proxy, method, args) -> {
            String name = method.getName();
            if (args != null && args.length > 0 && args[0] instanceof RegisterList list) {
                name += "(" + list.size() + ")";
            }
            calls.add(name);
            try {
                return method.invoke(cpu, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private List<String> perHit(List<String> calls, Runnable hit) {
        hit.run(); // the first call writes the shared registers into the root; the hot path is every call after it
        calls.clear();
        for (int i = 0; i < HITS; i++) {
            hit.run();
        }
        assertThat(calls.size() % HITS).as("calls " + calls).isZero();
        return calls.subList(0, calls.size() / HITS);
    }

    @Test
    void aHotFalseConditionReadingGuestRegsReadsTheGuestOnceAndCallsTheRootTwice() {
        // lea rax, [rcx] ; mov rax, [rax + 0x38] ; xor eax, eax: GUEST_REGS read through another register
        RootAllocation condition = root.installCode(HexFormat.of().parseHex("488d01" + "488b4038" + "31c0"));
        List<String> guest = perHit(guestCalls, () -> assertThat(root.callCondition(condition, new GuestRegs(), 0x40000a))
                .isEqualTo(new RootCallResult.Returned(0)));
        assertThat(guest).as("guest calls a hit").containsExactly("read(29)");
        guestCalls.clear();
        perHit(rootCalls, () -> root.callCondition(condition, new GuestRegs(), 0x40000a));
        assertThat(rootCalls.subList(0, rootCalls.size() / HITS)).as("root calls a hit")
                .containsExactly("run", "read(19)");
    }

    /**
     * {@code xor eax, eax} reads no memory and no shared register (docs/benchmarks.md, "Machine-code conditions, wave
     * 13"): 15 registers a hit, where it read 48 (the guest's 16 GUEST_REGS and 13 shared, the root's 19).
     */
    @Test
    void aHotFalseConditionOnRegistersReadsTheGuestsSharedRegistersAndTheRootsResult() {
        RootAllocation condition = root.installCode(HexFormat.of().parseHex("31c0")); // xor eax, eax
        GuestRegs frame = new GuestRegs();
        List<String> guest = perHit(guestCalls, () -> assertThat(root.callCondition(condition, frame, 0x40000a))
                .isEqualTo(new RootCallResult.Returned(0)));
        assertThat(guest).as("guest calls a hit").containsExactly("read(13)");
        assertThat(frame.isLoaded()).as("the frame, left for the actions to load").isFalse();
        guestCalls.clear();
        perHit(rootCalls, () -> root.callCondition(condition, new GuestRegs(), 0x40000a));
        assertThat(rootCalls.subList(0, rootCalls.size() / HITS)).as("root calls a hit").containsExactly("run", "read(2)");
    }

    /**
     * A condition reading one guest register from its GUEST_REGS slot, the usual condition, reads that register alone
     * beside the shared ones, and the root's result: 16 registers a hit, where it read 48.
     */
    @Test
    void aHotFalseConditionReadingOneGuestRegsSlotReadsThatRegisterAlone() {
        // mov rax, [rcx + 0x38] (RDI) ; cmp rax, 0x12345 ; sete al ; movzx eax, al
        RootAllocation condition =
                root.installCode(HexFormat.of().parseHex("488b4138" + "483d45230100" + "0f94c0" + "0fb6c0"));
        machine.write(GuestRegister.RDI, 0x7);
        GuestRegs frame = new GuestRegs();
        List<String> guest = perHit(guestCalls, () -> assertThat(root.callCondition(condition, frame, 0x40000a))
                .isEqualTo(new RootCallResult.Returned(0)));
        assertThat(guest).as("guest calls a hit").containsExactly("read(13)", "read");
        assertThat(frame.isLoaded()).as("the frame, left for the actions to load").isFalse();
        guestCalls.clear();
        perHit(rootCalls, () -> root.callCondition(condition, new GuestRegs(), 0x40000a));
        assertThat(rootCalls.subList(0, rootCalls.size() / HITS)).as("root calls a hit").containsExactly("run", "read(2)");
    }

    /** Code that writes a call register (here RCX) has the five call registers and RIP read back, not SHARED. */
    @Test
    void aConditionWritingAnArgumentRegisterReadsTheCallRegistersBack() {
        RootAllocation condition = root.installCode(HexFormat.of().parseHex("31c9" + "31c0")); // xor ecx, ecx ; xor eax, eax
        assertThat(perHit(rootCalls, () -> root.callCondition(condition, new GuestRegs(), 0)))
                .containsExactly("write(5)", "run", "read(6)");
    }

    @Test
    void aConditionOnALoadedFrameReadsOnlyTheSharedRegisters() {
        RootAllocation condition = root.installCode(HexFormat.of().parseHex("488b4138" + "31c0"));
        GuestRegs frame = new GuestRegs();
        frame.load(machine.cpu());
        assertThat(perHit(guestCalls, () -> root.callCondition(condition, frame, 0))).containsExactly("read(13)");
    }

    @Test
    void aHotCustomCodeReturningNullCallsTheRootTwice() {
        RootAllocation code = root.installCode(HexFormat.of().parseHex("31c0"));
        perHit(rootCalls, () -> assertThat(root.callCustomCode(code, 0, new GuestRegs(), 0))
                .isEqualTo(new RootCallResult.Returned(0)));
        assertThat(rootCalls.subList(0, rootCalls.size() / HITS)).containsExactly("run", "read(19)");
    }

    @Test
    void aTrueConditionsResultIsWrittenOverBeforeTheNextCall() {
        RootAllocation condition = root.installCode(HexFormat.of().parseHex("b801000000")); // mov eax, 1
        assertThat(perHit(rootCalls, () -> root.callCondition(condition, new GuestRegs(), 0)))
                .containsExactly("write(5)", "run", "read(2)");
    }

    /** Each call starts as the convention says, whatever the last one left in the root's call registers. */
    @Test
    void aCallStartsWithItsOwnCallRegistersWhateverTheLastCallLeft() {
        machine.write(GuestRegister.RDI, 0x42);
        // mov eax, 1 ; xor ecx, ecx ; mov edx, 7 ; mov r8d, 9 ; pop rbx ; push rax ; push rax ; jmp rbx: returns with
        // RSP 16 bytes lower than a ret leaves it
        RootAllocation clobbers = root.installCode(HexFormat.of().parseHex("b801000000" + "31c9" + "ba07000000"
                + "41b809000000" + "5b" + "50" + "50" + "ffe3"));
        RootAllocation nothing = root.installCode(new byte[0]); // ret: RAX as the call began
        RootAllocation readsRdi = root.installCode(HexFormat.of().parseHex("488b4138")); // mov rax, [rcx + 0x38]
        RootAllocation readsContext = root.installCode(HexFormat.of().parseHex("4889d0")); // mov rax, rdx
        RootAllocation clearsRcx = root.installCode(HexFormat.of().parseHex("31c9" + "b801000000")); // xor ecx, ecx ; mov eax, 1
        RootAllocation readsRcx = root.installCode(HexFormat.of().parseHex("4889c8")); // mov rax, rcx
        for (int i = 0; i < 3; i++) {
            assertThat(root.callCondition(clobbers, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(1));
            assertThat(root.callCondition(nothing, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
            assertThat(root.callCondition(readsRdi, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x42));
            assertThat(root.callCondition(readsContext, new GuestRegs(), 0x40000a))
                    .isEqualTo(new RootCallResult.Returned(0x40000a));
            assertThat(root.callCondition(clearsRcx, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(1));
            assertThat(root.callCondition(readsRcx, new GuestRegs(), 0))
                    .isEqualTo(new RootCallResult.Returned(VmxRoot.GUEST_REGS_ADDRESS));
            assertThat(root.callCustomCode(nothing, 0, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
        }
    }

    /**
     * The root keeps what a condition left in a shared register, so the next call must put the guest's back: a
     * condition reading DR0 sees the guest's, whatever an earlier one wrote there.
     */
    @Test
    void aSharedRegisterAConditionChangedIsTheGuestsAgainForTheNextCall() {
        machine.write(GuestRegister.DR0, 0x1000);
        // mov rax, 0x2000 ; mov dr0, rax ; xor eax, eax
        RootAllocation writes = root.installCode(HexFormat.of().parseHex("48c7c000200000" + "0f23c0" + "31c0"));
        RootAllocation reads = root.installCode(HexFormat.of().parseHex("0f21c0")); // mov rax, dr0
        assertThat(root.callCondition(reads, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x1000));
        assertThat(root.callCondition(writes, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
        assertThat(root.callCondition(reads, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x1000));
        assertThat(machine.read(GuestRegister.DR0)).isEqualTo(0x1000);

        RootAllocation registersOnly = root.installCode(HexFormat.of().parseHex("31c0"));
        assertThat(root.callCondition(writes, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
        assertThat(root.callCondition(registersOnly, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
        assertThat(root.callCondition(reads, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x1000));
        machine.write(GuestRegister.DR0, 0x3000);
        assertThat(root.callCondition(registersOnly, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0));
        assertThat(root.callCondition(reads, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(0x3000));
    }

    /**
     * Processes taking turns change the guest's mappings at every switch; the root mirrors them only when root code
     * runs (GuestMirror): a switch costs the root nothing, and the next call sees the memory of the process on the CPU.
     */
    @Test
    void processSwitchesCostTheRootNothingUntilRootCodeRuns() {
        dev.hdbg.agent.machine.GuestMemory memory = machine.memory();
        long data = 0x600000;
        memory.map("data", data, 4096, dev.hdbg.agent.unicorn.Prot.READ | dev.hdbg.agent.unicorn.Prot.WRITE);
        memory.write(data, new byte[] {1});
        RootAllocation load = root.installCode(HexFormat.of().parseHex("0fb6042500006000")); // movzx eax, byte [0x600000]
        assertThat(root.callCustomCode(load, 0, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(1));

        dev.hdbg.agent.machine.AddressSpace other = memory.copy();
        rootCalls.clear();
        for (int i = 0; i < 9; i++) { // the copy ends on the CPU
            other = memory.switchTo(other);
            memory.write(data, new byte[] {(byte) (i + 2)});
        }
        assertThat(rootCalls).as("root calls while processes switched").isEmpty();
        assertThat(root.callCustomCode(load, 0, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(10));
        assertThat(rootCalls).contains("unmap", "map");
        memory.release(other);
    }
}

