package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.elf.ElfLoader;

/**
 * Where {@code execve} loads a position-independent program: the first program's own path at
 * {@link ElfLoader#DEFAULT_PIE_BASE}, where Linux puts it without address randomisation and gdb shows it; every other
 * program a whole number of GiB above, the number chosen by its path, as randomisation would put it somewhere but the
 * same every run. Programs that run side by side (a shell and its commands, the two ends of a pipeline, gcc and its
 * cc1 and as) then keep their code on the engine together instead of taking turns at one address: at 0x555555554000
 * all, each switch between two of them translated the incoming one's code again (docs/targets.md, "Code shared
 * between programs"). A program loaded again lands where it did before and finds its code in the image cache.
 */
final class ProgramBases {
    /** The distance between two places: more than any program's image and the heap that follows it. */
    static final long STRIDE = 1L << 30;
    /** How many places other programs are spread over, above the first's. */
    static final int PLACES = 255;

    private final String firstProgram;

    /** @param firstProgram the guest path of the program the agent loaded first */
    ProgramBases(String firstProgram) {
        this.firstProgram = firstProgram;
    }

    /** The load base of the position-independent program at {@code guestPath}. */
    long of(String guestPath) {
        if (guestPath.equals(firstProgram)) {
            return ElfLoader.DEFAULT_PIE_BASE;
        }
        return ElfLoader.DEFAULT_PIE_BASE + (1 + Math.floorMod(guestPath.hashCode(), PLACES)) * STRIDE;
    }
}
