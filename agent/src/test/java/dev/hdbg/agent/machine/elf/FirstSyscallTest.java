package dev.hdbg.agent.machine.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.unicorn.Hook;
import dev.hdbg.agent.unicorn.X86Reg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs a loaded program from its entry until its first {@code SYSCALL}, with no system-call layer: glibc's static
 * start-up reads argc, argv, envp and the auxiliary vector (AT_PHDR for its TLS segment, AT_RANDOM for the stack
 * protector) before it asks the kernel for anything, so reaching a system call at all shows the loaded image and
 * the initial stack are what glibc expects. Stops are by hook, never by instruction count (see SingleStep).
 */
class FirstSyscallTest {
    private static final long TWO_SECONDS = 2_000_000;

    @Test
    void aStaticExecutableRunsItsStartUpCodeUntilItsFirstSystemCall() {
        assertThat(runToFirstSyscall("hello", TestPrograms.staticHello())).isIn(12L /* brk */, 158L /* arch_prctl */);
    }

    @Test
    void aStaticPieRelocatesItselfAndReachesItsFirstSystemCall() {
        assertThat(runToFirstSyscall("hello-pie", TestPrograms.staticPieHello())).isIn(12L, 158L);
    }

    @Test
    void busyboxReachesItsFirstSystemCall() {
        assertThat(runToFirstSyscall("/bin/busybox", TestPrograms.busybox())).isIn(12L, 158L);
    }

    /** The system-call number (RAX) of the first {@code SYSCALL}; fails on an exception the guest raised first. */
    private static long runToFirstSyscall(String name, byte[] file) {
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, name, file, List.of(name), List.of("PATH=/bin"),
                    ElfLoader.DEFAULT_PIE_BASE);
            var uc = machine.unicorn();
            List<Long> syscalls = new ArrayList<>();
            List<String> faults = new ArrayList<>();
            try (Hook syscall = uc.hookSyscall(() -> {
                syscalls.add(uc.regRead(X86Reg.RAX));
                uc.emuStop();
            }); Hook interrupt = uc.hookInterrupt(intno -> {
                faults.add("vector " + intno + " at " + loaded.symbols().describe(uc.regRead(X86Reg.RIP))
                        .orElse("0x" + Long.toHexString(uc.regRead(X86Reg.RIP))));
                uc.emuStop();
            })) {
                uc.emuStart(loaded.entry(), -1L, TWO_SECONDS, 0);
            }
            assertThat(faults).as("exceptions before the first system call").isEmpty();
            assertThat(syscalls).as("system calls reached within two seconds").hasSize(1);
            // glibc's _dl_aux_init copied the auxiliary vector into these before any system call.
            StackReader stack = new StackReader(machine, loaded.initialRsp());
            loaded.symbols().byName("_dl_random").ifPresent(s -> assertThat(ElfLoaderTest.qword(machine, s.address()))
                    .as("_dl_random").isEqualTo(stack.aux(Auxv.AT_RANDOM)));
            loaded.symbols().byName("_dl_phdr").ifPresent(s -> assertThat(ElfLoaderTest.qword(machine, s.address()))
                    .as("_dl_phdr").isEqualTo(stack.aux(Auxv.AT_PHDR)));
            // __libc_start_main sets __environ to &argv[argc + 1] first thing.
            loaded.symbols().byName("__environ").ifPresent(s -> assertThat(ElfLoaderTest.qword(machine, s.address()))
                    .as("__environ").isEqualTo(loaded.initialRsp() + 8 + 8 * 2));
            return syscalls.getFirst();
        }
    }
}
