package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.Hook;
import dev.hdbg.agent.unicorn.Unicorn;

/**
 * Runs exactly one instruction. Unicorn's own {@code count} is not used on the guest: switching
 * between counted and uncounted runs makes Unicorn 2.0.1 flush every translated block, which took
 * 2.4 s here (measured). Instead a code hook over every address lets the first instruction run and
 * stops before the second (a stop from a code hook holds its instruction back).
 */
public final class SingleStep {
    private SingleStep() {
    }

    /** Executes the instruction at {@code rip}; RIP is then at the next one. */
    public static void step(Unicorn uc, long rip) {
        boolean[] first = {true};
        Hook hook = uc.hookCode(1, 0, (address, size) -> {
            if (first[0]) {
                first[0] = false;
            } else {
                uc.emuStop();
            }
        });
        try {
            uc.emuStart(rip, -1L, 0, 0);
        } finally {
            hook.close();
        }
    }
}
