import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * What a time slice costs the guest, on the agent's own Unicorn binding (docs/benchmarks.md "Time slices"): one
 * loop run four ways on a fresh engine each — uncounted (one uc_emu_start), counted (uc_emu_start's count of
 * 200,000 instructions: a C code hook on every instruction, what the scheduler used), by blocks (a Java
 * UC_HOOK_BLOCK upcall per translated block executed, stopping the engine inside the hook after 40,000 blocks: the
 * block's instructions do not run, Unicorn 2.0.1 emitting the block hook before the block's exit check), and by
 * the native block budget the scheduler uses since stop 48 (Unicorn.limitBlocks, 40,000 blocks a run). Prints CPU
 * seconds per mode and checks exactness: a loop of `lock inc qword [counter]` must end with the counter at its
 * iteration count however often it was stopped and restarted.
 *
 * <p>Run after a build: {@code java --enable-native-access=ALL-UNNAMED -cp 'agent/target/classes:agent/target/lib/*'
 * bench/SliceCost.java [ITERATIONS] [ROUNDS]}.
 */
public class SliceCost {
    private static final long CODE = 0x10000;
    private static final long DATA = 0x20000;
    /** mov [rdi], rcx; mov [rdi+8], rcx; inc rax; dec rcx; jnz back: two stores per iteration. */
    private static final String STORES = "48890f" + "48894f08" + "48ffc0" + "48ffc9" + "75f1";
    /** inc rax; add rdx, rax; dec rcx; jnz back: registers only. */
    private static final String REGISTERS = "48ffc0" + "4801c2" + "48ffc9" + "75f5";
    /** lock inc qword [rdi]; dec rcx; jnz back. */
    private static final String LOCKED = "f048ff07" + "48ffc9" + "75f7";
    private static final long SLICE_INSTRUCTIONS = 200_000;
    private static final long SLICE_BLOCKS = 40_000;

    enum Mode { UNCOUNTED, COUNTED, BLOCKS, BUDGET }

    record Result(double cpuSeconds, long runs, long rax, long counter) {
    }

    public static void main(String[] args) {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (String[] loop : new String[][] {{"stores", STORES}, {"registers", REGISTERS}, {"lock inc", LOCKED}}) {
            for (int round = 0; round < rounds; round++) {
                StringBuilder line = new StringBuilder(String.format("%-9s round %d:", loop[0], round));
                for (Mode mode : Mode.values()) {
                    Result r = run(loop[1], iterations, mode);
                    boolean exact = loop[1].equals(LOCKED) ? r.counter == iterations
                            : loop[1].equals(STORES) || loop[1].equals(REGISTERS) ? r.rax == iterations : true;
                    line.append(String.format("  %s %.3f s (%d runs%s)", mode.name().toLowerCase(), r.cpuSeconds,
                            r.runs, exact ? "" : ", NOT EXACT: rax " + r.rax + " counter " + r.counter));
                }
                System.out.println(line);
            }
        }
    }

    private static Result run(String code, long iterations, Mode mode) {
        try (Unicorn uc = Unicorn.openX86_64()) {
            byte[] bytes = HexFormat.of().parseHex(code);
            long end = CODE + bytes.length;
            uc.memMap(CODE, 0x1000, Prot.ALL);
            uc.memMap(DATA, 0x1000, Prot.READ | Prot.WRITE);
            uc.memWrite(CODE, bytes);
            uc.regWrite(X86Reg.RCX, iterations);
            uc.regWrite(X86Reg.RDI, DATA);
            long[] blocks = {0};
            if (mode == Mode.BLOCKS) {
                uc.hookBlock(1, 0, (address, size) -> {
                    if (++blocks[0] > SLICE_BLOCKS) {
                        uc.emuStop();
                    }
                });
            }
            var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long cpu = bean.getCurrentThreadCpuTime();
            long runs = 0;
            long rip = CODE;
            while (rip != end) {
                blocks[0] = 0;
                if (mode == Mode.BUDGET) {
                    uc.limitBlocks(SLICE_BLOCKS);
                }
                uc.emuStart(rip, end, 0, mode == Mode.COUNTED ? SLICE_INSTRUCTIONS : 0);
                rip = uc.regRead(X86Reg.RIP);
                runs++;
            }
            double seconds = (bean.getCurrentThreadCpuTime() - cpu) / 1e9;
            long counter = ByteBuffer.wrap(uc.memRead(DATA, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            return new Result(seconds, runs, uc.regRead(X86Reg.RAX), counter);
        }
    }
}
