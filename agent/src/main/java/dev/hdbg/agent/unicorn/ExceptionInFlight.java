package dev.hdbg.agent.unicorn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a saved context keeps QEMU's {@code env->old_exception}, measured once per process: a
 * scratch engine takes a #GP (loading the invalid selector 0x88 into DS) that an interrupt hook
 * absorbs, and the one 32-bit field that goes from -1 (nothing in flight) to 13 is it. Measuring
 * instead of hard-coding keeps this correct for the library actually loaded, and fails loudly
 * when the layout is not what we expect.
 */
final class ExceptionInFlight {
    private static final int GP = 13;
    private static volatile int offset = -1;

    private ExceptionInFlight() {
    }

    static int offset() {
        int known = offset;
        if (known < 0) {
            synchronized (ExceptionInFlight.class) {
                if (offset < 0) {
                    offset = measure();
                }
                known = offset;
            }
        }
        return known;
    }

    private static int measure() {
        try (Unicorn scratch = Unicorn.openX86_64()) {
            scratch.memMap(0x1000, 0x1000, Prot.ALL);
            scratch.memWrite(0x1000, HexFormat.of().parseHex("66b88800" + "8ed8" + "90")); // mov ax, 0x88 ; mov ds, ax
            scratch.hookInterrupt(intno -> {
                scratch.regWrite(X86Reg.RIP, 0xdead_0000L); // unmapped: the run ends at once
                scratch.emuStop();
            });
            int size = (int) scratch.contextSize();
            byte[] before = snapshot(scratch, size);
            try {
                scratch.emuStart(0x1000, -1L, 0, 0);
            } catch (UnicornException expected) {
                // the fetch at 0xdead0000 ends the run
            }
            byte[] after = snapshot(scratch, size);
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i + 4 <= before.length; i += 4) {
                if (intAt(before, i) == -1 && intAt(after, i) == GP) {
                    candidates.add(i);
                }
            }
            if (candidates.size() != 1) {
                throw new IllegalStateException("cannot locate QEMU's exception-in-flight field in a Unicorn context "
                        + "(candidates: " + candidates + "); this Unicorn build is not supported");
            }
            return candidates.getFirst();
        }
    }

    private static byte[] snapshot(Unicorn engine, int size) {
        try (UnicornContext context = engine.contextSave()) {
            return context.pointer().reinterpret(size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static int intAt(byte[] bytes, int i) {
        return MemorySegment.ofArray(bytes).get(ValueLayout.JAVA_INT_UNALIGNED, i);
    }
}
