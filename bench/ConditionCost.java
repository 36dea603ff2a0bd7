import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.GuestRegs;
import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.RootCallResult;
import dev.hdbg.agent.vmx.VmxRoot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What one machine-code condition call into vmx-root costs, without the hook that raises it: bench/run.sh row 2's
 * condition (xor eax, eax) called CALLS times per block on a fresh frame each (as each hit of a hot !epthook),
 * thread CPU nanoseconds per call for each of BLOCKS blocks (the first ones warm the JIT up). Two builds compare
 * by running this with each one's classes, alternating (docs/benchmarks.md, "The hot hit path, wave 10"):
 * Run: java --enable-native-access=ALL-UNNAMED -cp 'agent/target/classes:agent/target/lib/*' bench/ConditionCost.java
 *      CALLS BLOCKS   -> prints the blocks' ns per call, then the median of the second half
 */
public class ConditionCost {
    public static void main(String[] args) {
        long calls = Long.decode(args[0]);
        int blocks = Integer.parseInt(args[1]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, RawImageLoader.DEFAULT_BASE,
                    RawImageLoader.DEFAULT_BASE);
            try (VmxRoot root = new VmxRoot(machine, 1000)) {
                RootAllocation condition = root.installCode(HexFormat.of().parseHex("31c0"));
                double[] perCall = new double[blocks];
                long holds = 0;
                for (int b = 0; b < blocks; b++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (long i = 0; i < calls; i++) {
                        if (root.callCondition(condition, new GuestRegs(), 0x40000a) instanceof RootCallResult.Returned(long rax)
                                && rax != 0) {
                            holds++;
                        }
                    }
                    perCall[b] = (threads.getCurrentThreadCpuTime() - start) / (double) calls;
                    System.out.printf("%.0f ", perCall[b]);
                }
                double[] late = Arrays.copyOfRange(perCall, blocks / 2, blocks);
                Arrays.sort(late);
                System.out.printf("%nmedian of the last %d blocks: %.0f ns a call (held %d times)%n", late.length,
                        late[late.length / 2], holds);
            }
        }
    }
}
