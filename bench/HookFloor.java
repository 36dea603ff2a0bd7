import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.Unicorn;
import dev.hdbg.agent.unicorn.X86Reg;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java floor under a hot !epthook, beside bench/hook_floor.c: the loop sample through the agent's own FFM binding
 * with one code hook on the loop's body, the hook doing nothing (mode 0: the upcall alone) or reading @rdi (mode 1:
 * the upcall and one uc_reg_read downcall, what a script condition on @rdi needs at least). No debugger.
 * Run: java --enable-native-access=ALL-UNNAMED -cp agent/target/classes:agent/target/lib/'*' bench/HookFloor.java
 *      LOOP.BIN HITS MODE REPEATS   -> prints "hits nanoseconds" per repeat (the first ones warm the JIT up)
 */
public class HookFloor {
    static long seen;

    public static void main(String[] args) throws Exception {
        byte[] code = Files.readAllBytes(Path.of(args[0]));
        long hits = Long.decode(args[1]);
        int mode = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        for (int r = 0; r < repeats; r++) {
            try (Unicorn uc = Unicorn.openX86_64()) {
                uc.memMap(0x400000, 0x10000, Prot.ALL);
                uc.memWrite(0x400000, code);
                uc.memMap(0x7fff00000000L - 0x100000, 0x100000, Prot.READ | Prot.WRITE);
                uc.regWrite(X86Reg.RSP, 0x7fff00000000L - 0x100);
                uc.regWrite(X86Reg.RCX, hits);
                if (mode == 0) {
                    uc.hookCode(0x40000a, 0x40000a, (address, size) -> { });
                } else {
                    uc.hookCode(0x40000a, 0x40000a, (address, size) -> {
                        if (uc.regRead(X86Reg.RDI) == 0x12345) {
                            seen++;
                        }
                    });
                }
                long start = System.nanoTime();
                uc.emuStart(0x400000, -1, 0, 0);
                long ns = System.nanoTime() - start;
                if (uc.regRead(X86Reg.RAX) != hits || seen != 0) {
                    throw new IllegalStateException("wrong result");
                }
                System.out.println(hits + " " + ns);
            }
        }
    }
}
