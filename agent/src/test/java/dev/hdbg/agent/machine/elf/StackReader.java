package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.Machine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a process's initial stack back from guest memory, as a C runtime's {@code _start} would. */
final class StackReader {
    private final Machine machine;
    private final long rsp;

    StackReader(Machine machine, long rsp) {
        this.machine = machine;
        this.rsp = rsp;
    }

    long argc() {
        return ElfLoaderTest.qword(machine, rsp);
    }

    List<Long> argvPointers() {
        return pointers(rsp + 8);
    }

    List<String> argv() {
        return argvPointers().stream().map(this::cString).toList();
    }

    List<String> envp() {
        return pointers(envpStart()).stream().map(this::cString).toList();
    }

    /** The auxv pairs, AT_NULL included. */
    List<long[]> auxv() {
        long at = envpStart() + 8 * (pointers(envpStart()).size() + 1);
        List<long[]> pairs = new ArrayList<>();
        while (true) {
            long[] pair = {ElfLoaderTest.qword(machine, at), ElfLoaderTest.qword(machine, at + 8)};
            pairs.add(pair);
            if (pair[0] == Auxv.AT_NULL) {
                return pairs;
            }
            at += 16;
        }
    }

    long aux(int key) {
        return auxv().stream().filter(p -> p[0] == key).findFirst()
                .orElseThrow(() -> new AssertionError("no auxv entry " + key))[1];
    }

    String cString(long address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long a = address; ; a++) {
            byte b = machine.memory().read(a, 1)[0];
            if (b == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(b);
        }
    }

    private long envpStart() {
        return rsp + 8 + 8 * (argc() + 1);
    }

    private List<Long> pointers(long from) {
        List<Long> list = new ArrayList<>();
        for (long at = from; ; at += 8) {
            long p = ElfLoaderTest.qword(machine, at);
            if (p == 0) {
                return list;
            }
            list.add(p);
        }
    }
}
