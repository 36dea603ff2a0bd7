package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Cpu;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.common.event.Access;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A root call runs with Unicorn's {@code until} at 0, which Unicorn does not drop a translation and refill the TLB
 * for after every run (docs/benchmarks.md, "Machine-code conditions, wave 13"), and behaves as with -1: code reaching
 * 0 faults as the fetch did, and runs there when the guest maps page 0.
 */
class VmxRootUntilTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    /** The codes compared, each as a condition and as custom code. */
    private static final List<String> CODES = List.of(
            "31c0", // xor eax, eax
            "31c0ffd0", // xor eax, eax ; call rax: to 0
            "31c0ffe0", // xor eax, eax ; jmp rax
            "488b042500000000", // mov rax, [0]: a read fault
            "b805000000"); // mov eax, 5

    private final List<Machine> machines = new ArrayList<>();
    private final List<VmxRoot> roots = new ArrayList<>();
    private final List<Long> untils = new ArrayList<>();

    @AfterEach
    void stop() {
        roots.forEach(VmxRoot::close);
        machines.forEach(Machine::close);
    }

    /** A root over a fresh machine whose root CPU notes every run's until, after {@code until} rewrote it. */
    private VmxRoot root(UnaryOperator<Long> until, boolean pageZero) {
        Machine machine = new Machine();
        machines.add(machine);
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        if (pageZero) {
            mapPageZero(machine);
        }
        Cpu real = machine.openPrivateCpu();
        Cpu noting = (Cpu) Proxy.newProxyInstance(Cpu.class.getClassLoader(), new Class<?>[] {Cpu.class}, (p, method, args) -> {
            if (method.getName().equals("run") && args.length == 3) {
                args[2] = until.apply((Long) args[2]);
                untils.add((Long) args[2]);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        VmxRoot root = new VmxRoot(machine, machine.cpu(), noting, 1000);
        roots.add(root);
        return root;
    }

    /** mov eax, 7 ; ret at 0. */
    private static void mapPageZero(Machine machine) {
        machine.memory().map("zero", 0, 0x1000, Set.of(Access.READ, Access.WRITE, Access.EXECUTE));
        machine.memory().write(0, HexFormat.of().parseHex("b807000000c3"));
    }

    private static List<RootCallResult> results(VmxRoot root) {
        List<RootAllocation> codes = CODES.stream().map(hex -> root.installCode(HexFormat.of().parseHex(hex))).toList();
        List<RootCallResult> results = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (RootAllocation code : codes) {
                results.add(root.callCondition(code, new GuestRegs(), 0));
                results.add(root.callCustomCode(code, 0, new GuestRegs(), 0));
            }
        }
        return results;
    }

    @Test
    void aCallRunsWithUntilZeroWhileNothingIsMappedThere() {
        VmxRoot root = root(u -> u, false);
        root.callCondition(root.installCode(HexFormat.of().parseHex("31c0")), new GuestRegs(), 0);
        assertThat(untils).containsOnly(0L).isNotEmpty();
    }

    @Test
    void codeReachingZeroFaultsAsWithUntilMinusOne() {
        List<RootCallResult> before = results(root(u -> -1L, false));
        List<RootCallResult> now = results(root(u -> u, false));
        assertThat(now).isEqualTo(before);
        assertThat(now).contains(new RootCallResult.Faulted(VmxRoot.FETCH_AT_ZERO), new RootCallResult.Returned(5));
    }

    @Test
    void codeRunsAtZeroWhenTheGuestMapsIt() {
        List<RootCallResult> before = results(root(u -> -1L, true));
        untils.clear();
        List<RootCallResult> now = results(root(u -> u, true));
        assertThat(now).isEqualTo(before).contains(new RootCallResult.Returned(7));
        assertThat(untils).containsOnly(-1L);
    }

    /** Page 0 mapped after calls that ended at 0: the code there runs (no end of a run at 0 was kept translated). */
    @Test
    void pageZeroMappedLaterRunsTheCodeThere() {
        Machine machine = new Machine();
        machines.add(machine);
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        VmxRoot root = new VmxRoot(machine, 1000);
        roots.add(root);
        RootAllocation callsZero = root.installCode(HexFormat.of().parseHex("31c0ffd0"));
        assertThat(root.callCondition(callsZero, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Faulted(VmxRoot.FETCH_AT_ZERO));
        assertThat(root.callCondition(callsZero, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Faulted(VmxRoot.FETCH_AT_ZERO));
        mapPageZero(machine);
        assertThat(root.callCondition(callsZero, new GuestRegs(), 0)).isEqualTo(new RootCallResult.Returned(7));
    }
}
