import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.RootCallResult;
import dev.hdbg.agent.vmx.VmxRoot;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.function.LongToDoubleFunction;

/** One build's condition call, held open: apply(calls) = thread CPU ns per call over that many calls. */
public class CondLoop implements LongToDoubleFunction {
    final Machine machine = new Machine();
    final VmxRoot root;
    final RootAllocation condition;
    long holds;
    public CondLoop() {
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, RawImageLoader.DEFAULT_BASE, RawImageLoader.DEFAULT_BASE);
        root = new VmxRoot(machine, 1000);
        condition = root.installCode(HexFormat.of().parseHex("31c0"));
    }
    public double applyAsDouble(long calls) {
        var t = ManagementFactory.getThreadMXBean();
        long s = t.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) {
            if (root.callCondition(condition, new GuestRegs(), 0x40000a) instanceof RootCallResult.Returned(long rax) && rax != 0) holds++;
        }
        return (t.getCurrentThreadCpuTime() - s) / (double) calls;
    }
}
