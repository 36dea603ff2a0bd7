package dev.hdbg.agent.machine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.MemoryRegionInfo;
import dev.hdbg.agent.machine.elf.ElfImage.ProgramHeader;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.X86Reg;
import dev.hdbg.common.event.GuestRegister;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ElfLoaderTest {
    private static final long PIE_BASE = ElfLoader.DEFAULT_PIE_BASE;
    private static final List<String> ARGV = List.of("/usr/bin/hello", "first", "zweites Argument");
    private static final List<String> ENVP = List.of("HOME=/root", "LANG=C.UTF-8");

    @Test
    void eachPtLoadIsMappedOnWholePagesWithItsPermissions() {
        byte[] file = TestPrograms.staticHello();
        ElfImage image = ElfParser.parse("hello", file);
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello", file, ARGV, ENVP, PIE_BASE);

            assertThat(loaded.loadBias()).isZero();
            List<MemoryRegionInfo> regions = machine.memory().regions();
            for (ProgramHeader p : image.loads()) {
                MemoryRegionInfo region = regionAt(regions, p.vaddr());
                assertThat(region.name()).isEqualTo("hello");
                assertThat(region.begin()).isEqualTo(p.vaddr() & -4096L);
                assertThat(region.end()).isGreaterThanOrEqualTo(p.vaddr() + p.memsz());
                assertThat(region.perms()).isEqualTo(p.prot());
            }
            assertThat(regions).extracting(MemoryRegionInfo::toString).contains(
                    "0x400000-0x401000 r-- hello",
                    "0x7ffffe800000-0x7fffff000000 rw- stack");
            assertThat(regions).anySatisfy(r -> assertThat(r.permissionString()).isEqualTo("r-x"));
            assertThat(regions).anySatisfy(r -> assertThat(r.permissionString()).isEqualTo("rw-"));
        }
    }

    @Test
    void fileBytesAreCopiedAndTheRestIsZero() {
        byte[] file = TestPrograms.staticHello();
        ElfImage image = ElfParser.parse("hello", file);
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello", file, ARGV, ENVP, PIE_BASE);

            for (ProgramHeader p : image.loads()) {
                int n = (int) Math.min(p.filesz(), 4096);
                assertThat(machine.memory().read(p.vaddr(), n))
                        .isEqualTo(Arrays.copyOfRange(file, (int) p.offset(), (int) p.offset() + n));
            }
            long counter = loaded.symbols().byName("counter").orElseThrow().address();
            assertThat(qword(machine, counter) & 0xffff_ffffL).isEqualTo(3);
            Symbols.Symbol buffer = loaded.symbols().byName("buffer").orElseThrow();
            assertThat(machine.memory().read(buffer.address(), (int) buffer.size())).containsOnly(0);
        }
    }

    @Test
    void theInitialStackIsLaidOutAsLinuxCreateElfTablesDoes() {
        byte[] file = TestPrograms.staticHello();
        ElfImage image = ElfParser.parse("hello", file);
        byte[] expectedRandom = new byte[16];
        new Random(42).nextBytes(expectedRandom);
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "/usr/bin/hello", file, ARGV, ENVP, PIE_BASE, new Random(42));
            long rsp = machine.read(GuestRegister.RSP);

            assertThat(rsp).isEqualTo(loaded.initialRsp());
            assertThat(rsp % 16).as("psABI: RSP is 16-byte aligned at process entry").isZero();
            assertThat(loaded.stackTop()).isEqualTo(ElfLoader.STACK_TOP);
            StackReader stack = new StackReader(machine, rsp);
            assertThat(stack.argv()).isEqualTo(ARGV);
            assertThat(stack.envp()).isEqualTo(ENVP);

            var auxv = stack.auxv();
            assertThat(auxv.getLast()).isEqualTo(new long[] {Auxv.AT_NULL, 0});
            assertThat(stack.aux(Auxv.AT_PHDR)).isEqualTo(0x400000 + image.phoff());
            assertThat(machine.memory().read(stack.aux(Auxv.AT_PHDR), 56 * image.programHeaders().size()))
                    .isEqualTo(Arrays.copyOfRange(file, (int) image.phoff(),
                            (int) image.phoff() + 56 * image.programHeaders().size()));
            assertThat(stack.aux(Auxv.AT_PHENT)).isEqualTo(56);
            assertThat(stack.aux(Auxv.AT_PHNUM)).isEqualTo(image.programHeaders().size());
            assertThat(stack.aux(Auxv.AT_PAGESZ)).isEqualTo(4096);
            assertThat(stack.aux(Auxv.AT_BASE)).isZero();
            assertThat(stack.aux(Auxv.AT_FLAGS)).isZero();
            assertThat(stack.aux(Auxv.AT_ENTRY)).isEqualTo(image.entry());
            for (int key : new int[] {Auxv.AT_UID, Auxv.AT_EUID, Auxv.AT_GID, Auxv.AT_EGID, Auxv.AT_SECURE,
                Auxv.AT_HWCAP2}) {
                assertThat(stack.aux(key)).as("auxv %d", key).isZero();
            }
            assertThat(stack.aux(Auxv.AT_HWCAP)).as("CPUID.1:EDX of this machine's CPU").isEqualTo(cpuidLeaf1Edx())
                    .satisfies(hwcap -> assertThat(hwcap & (1L << 25 | 1L << 26)).as("SSE, SSE2").isNotZero());
            assertThat(stack.aux(Auxv.AT_CLKTCK)).isEqualTo(100);
            assertThat(stack.cString(stack.aux(Auxv.AT_PLATFORM))).isEqualTo("x86_64");
            assertThat(stack.cString(stack.aux(Auxv.AT_EXECFN))).isEqualTo("/usr/bin/hello");
            long random = stack.aux(Auxv.AT_RANDOM);
            assertThat(random).isGreaterThan(rsp).isLessThan(ElfLoader.STACK_TOP);
            assertThat(machine.memory().read(random, 16)).isEqualTo(expectedRandom);

            // Strings sit at the top: argv[0] lowest, then envp, the path, and 8 zero bytes below the top.
            assertThat(stack.argvPointers().getFirst()).isGreaterThan(random);
            assertThat(stack.aux(Auxv.AT_EXECFN)).isEqualTo(ElfLoader.STACK_TOP - 8 - "/usr/bin/hello".length() - 1);
            assertThat(qword(machine, ElfLoader.STACK_TOP - 8)).isZero();
        }
    }

    /** CPUID leaf 1 executed in a machine of its own, as the guest would. */
    private static long cpuidLeaf1Edx() {
        try (Machine machine = new Machine()) {
            machine.memory().map("code", 0x1000, 0x1000, Prot.ALL);
            machine.memory().write(0x1000, new byte[] {0x0f, (byte) 0xa2});
            machine.cpu().write(CpuRegister.RAX, 1);
            machine.cpu().step(0x1000);
            return machine.cpu().read(CpuRegister.RDX);
        }
    }

    @Test
    void aDynamicallyLinkedProgramStartsInItsInterpreterPlacedBelowTheMmapTop() {
        byte[] program = TestPrograms.dynamicTrue();
        byte[] ld = TestPrograms.interpreter();
        ElfImage image = ElfParser.parse("true", program);
        ElfImage interpreter = ElfParser.parse("ld", ld);
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, new ElfLoader.Executable("/bin/true", program),
                    Optional.of(new ElfLoader.Executable("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ld)),
                    new ElfLoader.Process(List.of("true"), List.of(), 1234, 5678, new Random(1)), PIE_BASE);

            LoadedElf.Image placed = loaded.interpreter().orElseThrow();
            assertThat(placed.end()).isEqualTo(ElfLoader.MMAP_TOP);
            assertThat(placed.bias() % 4096).isZero();
            assertThat(machine.rip()).isEqualTo(loaded.entry()).isEqualTo(placed.bias() + interpreter.entry());
            assertThat(machine.memory().read(placed.begin(), 4)).containsExactly(0x7f, 'E', 'L', 'F');
            assertThat(regionAt(machine.memory().regions(), placed.begin()).name())
                    .isEqualTo("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
            assertThat(loaded.programEntry()).isEqualTo(PIE_BASE + image.entry());
            assertThat(loaded.imageBegin()).isEqualTo(PIE_BASE);
            StackReader stack = new StackReader(machine, loaded.initialRsp());
            assertThat(stack.aux(Auxv.AT_BASE)).isEqualTo(placed.bias());
            assertThat(stack.aux(Auxv.AT_ENTRY)).isEqualTo(loaded.programEntry());
            assertThat(stack.aux(Auxv.AT_PHDR)).isEqualTo(PIE_BASE + image.phdrAddress().orElseThrow());
            assertThat(stack.aux(Auxv.AT_UID)).isEqualTo(1234);
            assertThat(stack.aux(Auxv.AT_EGID)).isEqualTo(5678);
            assertThat(stack.cString(stack.aux(Auxv.AT_EXECFN))).isEqualTo("/bin/true");
            assertThat(loaded.auxv()).containsSubsequence(Auxv.AT_BASE, placed.bias());
            for (int reg = 0; reg < 4; reg++) {
                X86Reg r = new X86Reg[] {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX}[reg];
                assertThat(machine.unicorn().regRead(r)).as("%s after the CPUID the loader asked", r).isZero();
            }
        }
    }

    @Test
    void theCpuidProbeLeavesTheImageAsCachedSoThatTheNextProgramMapsLdSosBlockAsItIs() {
        byte[] program = TestPrograms.dynamicTrue();
        var trueFile = new ElfLoader.Executable("/bin/true", program);
        var ld = Optional.of(new ElfLoader.Executable("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                TestPrograms.interpreter()));
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            LoadedElf first = ElfLoader.load(machine, trueFile, ld,
                    new ElfLoader.Process(List.of("true"), List.of(), 0, 0, new Random(1)), PIE_BASE);
            long hwcap = new StackReader(machine, first.initialRsp()).aux(Auxv.AT_HWCAP);
            assertThat(hwcap).as("CPUID's EDX: at least FPU and TSC").isNotZero();
            assertThat(machine.unicorn().memRegions()).as("the probe's page is the stack's again")
                    .anyMatch(r -> r.end() + 1 == ElfLoader.STACK_TOP && r.perms() == (Prot.READ | Prot.WRITE));

            memory.switchTo(memory.copy()); // fork ...
            memory.release(memory.detach()); // ... and exec the same program
            long before = memory.blocksMoved();
            ElfLoader.loadForExec(machine, trueFile, ld, new ElfLoader.Process(List.of("true"), List.of(), 0, 0,
                    new Random(2)), PIE_BASE, Optional.empty(), hwcap);
            long constants = Stream.of(program, TestPrograms.interpreter())
                    .flatMap(file -> ElfParser.parse("f", file).loads().stream())
                    .filter(p -> (p.flags() & (ElfImage.PF_W | ElfImage.PF_X)) == 0).count();
            assertThat(memory.blocksMoved() - before).as("only the constants' blocks, which do not idle, mapped "
                    + "again: every code block woken as the first load left it, none over a copy of its own")
                    .isEqualTo(constants);
        }
    }

    @Test
    void aDynamicProgramWithoutItsInterpreterOrWithAStaticOneIsRefused() {
        try (Machine machine = new Machine()) {
            assertThatThrownBy(() -> ElfLoader.load(machine, "/bin/true", TestPrograms.dynamicTrue(), ARGV, ENVP,
                    PIE_BASE)).hasMessageContaining("'/bin/true' is dynamically linked: it needs its interpreter "
                    + "/lib64/ld-linux-x86-64.so.2");
            assertThatThrownBy(() -> ElfLoader.load(machine, new ElfLoader.Executable("/bin/true",
                    TestPrograms.dynamicTrue()), Optional.of(new ElfLoader.Executable("hello", TestPrograms.staticHello())),
                    new ElfLoader.Process(ARGV, ENVP, 0, 0, new Random(1)), PIE_BASE))
                    .hasMessageContaining("the interpreter 'hello' is not a position-independent program");
        }
    }

    @Test
    void theGuestWaitsAtTheEntryInUserModeWithFsBaseZero() {
        byte[] file = TestPrograms.staticHello();
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello", file, ARGV, ENVP, PIE_BASE);

            assertThat(machine.rip()).isEqualTo(loaded.entry()).isEqualTo(ElfParser.parse("h", file).entry());
            assertThat(loaded.symbols().describe(loaded.entry())).hasValue("_start");
            assertThat(machine.unicorn().regRead(X86Reg.CS) & 3).isEqualTo(3);
            assertThat(machine.unicorn().regRead(X86Reg.FS_BASE)).isZero();
        }
    }

    @Test
    void theBreakStartsAtThePageAlignedEndOfTheHighestSegment() {
        byte[] file = TestPrograms.staticHello();
        ElfImage image = ElfParser.parse("hello", file);
        ProgramHeader last = image.loads().getLast();
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello", file, ARGV, ENVP, PIE_BASE);

            assertThat(loaded.brkStart()).isEqualTo((last.vaddr() + last.memsz() + 4095) & -4096L);
            assertThat(machine.memory().isMapped(loaded.brkStart() - 1, 1)).isTrue();
            assertThat(machine.memory().isMapped(loaded.brkStart(), 1)).isFalse();
        }
    }

    @Test
    void symbolsAndSectionsDescribeTheLoadedProgram() {
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello", TestPrograms.staticHello(), ARGV, ENVP, PIE_BASE);

            Symbols.Symbol main = loaded.symbols().byName("main").orElseThrow();
            assertThat(main.kind()).isEqualTo("function");
            assertThat(loaded.symbols().describe(main.address() + 5)).hasValue("main+0x5");
            assertThat(loaded.symbols().matching("mai?")).extracting(Symbols.Symbol::name).contains("main");
            assertThat(loaded.sections()).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo(".text");
                assertThat(s.flags()).isEqualTo("AX");
                assertThat(main.address()).isBetween(s.address(), s.address() + s.size());
            });
            assertThat(loaded.sections()).extracting(LoadedElf.Section::name).contains(".data", ".bss")
                    .doesNotContain(".symtab");
        }
    }

    @Test
    void aStaticPieIsMovedByThePieBase() {
        byte[] file = TestPrograms.staticPieHello();
        ElfImage image = ElfParser.parse("hello-pie", file);
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "hello-pie", file, ARGV, ENVP, PIE_BASE);

            assertThat(loaded.loadBias()).isEqualTo(PIE_BASE);
            assertThat(loaded.entry()).isEqualTo(PIE_BASE + image.entry()).isEqualTo(machine.rip());
            assertThat(machine.memory().regions()).extracting(MemoryRegionInfo::toString)
                    .contains("0x555555554000-0x55555555d000 r-- hello-pie");
            assertThat(machine.memory().read(PIE_BASE, 4)).containsExactly(0x7f, 'E', 'L', 'F');
            StackReader stack = new StackReader(machine, loaded.initialRsp());
            assertThat(stack.aux(Auxv.AT_ENTRY)).isEqualTo(loaded.entry());
            assertThat(stack.aux(Auxv.AT_PHDR)).isEqualTo(PIE_BASE + image.phdrAddress().orElseThrow());
            Symbols.Symbol main = loaded.symbols().byName("main").orElseThrow();
            assertThat(main.address()).isGreaterThan(PIE_BASE);
            assertThat(loaded.symbols().describe(main.address() + 5)).hasValue("main+0x5");
            assertThat(loaded.sections()).allSatisfy(s -> assertThat(s.address()).isGreaterThanOrEqualTo(PIE_BASE));
            ProgramHeader last = image.loads().getLast();
            assertThat(loaded.brkStart()).isEqualTo((PIE_BASE + last.vaddr() + last.memsz() + 4095) & -4096L);
        }
    }

    @Test
    void busyboxLoadsWithoutSymbols() {
        byte[] file = TestPrograms.busybox();
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "/bin/busybox", file, List.of("busybox", "echo", "hi"),
                    List.of(), PIE_BASE);

            assertThat(machine.rip()).isEqualTo(loaded.entry());
            assertThat(loaded.symbols().all()).isEmpty();
            assertThat(loaded.symbols().describe(loaded.entry())).isEmpty();
            StackReader stack = new StackReader(machine, loaded.initialRsp());
            assertThat(stack.argv()).containsExactly("busybox", "echo", "hi");
            assertThat(stack.envp()).isEmpty();
        }
    }

    @Test
    void segmentsSharingAPageShareOneMappingWithTheUnionOfPermissions() {
        int r = ElfImage.PF_R;
        byte[] code = {(byte) 0xf4, 1, 2, 3};
        byte[] data = {9, 8, 7, 6};
        byte[] file = new TinyElf().entry(0x401000)
                .load(r | ElfImage.PF_X, 0x401000, code, code.length)
                .load(r | ElfImage.PF_W, 0x401800, data, 0x2000)
                .load(r, 0x405000, data, data.length)
                .build();
        try (Machine machine = new Machine()) {
            LoadedElf loaded = ElfLoader.load(machine, "tiny", file, List.of("tiny"), List.of(), PIE_BASE);

            assertThat(machine.memory().regions()).extracting(MemoryRegionInfo::toString)
                    .contains("0x401000-0x404000 rwx tiny", "0x405000-0x406000 r-- tiny");
            assertThat(machine.memory().read(0x401000, 4)).isEqualTo(code);
            assertThat(machine.memory().read(0x401800, 4)).isEqualTo(data);
            assertThat(machine.memory().read(0x401804, 0x1ffc)).containsOnly(0);
            assertThat(loaded.brkStart()).isEqualTo(0x406000);
            // No PT_PHDR and no segment holding the headers: AT_PHDR has nothing to point at.
            assertThat(new StackReader(machine, loaded.initialRsp()).aux(Auxv.AT_PHDR)).isZero();
        }
    }

    @Test
    void refusalsLeaveTheMessageOfTheParserOrOfTheLayout() {
        try (Machine machine = new Machine()) {
            assertThatThrownBy(() -> ElfLoader.load(machine, "pie", TestPrograms.staticPieHello(), ARGV, ENVP,
                    0x5555_5555_4123L)).hasMessageContaining("the PIE base 0x555555554123 is not page-aligned");
            byte[] huge = new TinyElf().entry(0x401000).load(ElfImage.PF_R, 0x401000, new byte[1], 1L << 40).build();
            assertThatThrownBy(() -> ElfLoader.load(machine, "huge", huge, ARGV, ENVP, PIE_BASE))
                    .hasMessageContaining("which does not fit");
            assertThat(machine.memory().regions()).isEmpty();
        }
    }

    @Test
    void argumentsLargerThanAQuarterOfTheStackAreRefused() {
        byte[] file = new TinyElf().entry(0x401000).load(ElfImage.PF_R | ElfImage.PF_X, 0x401000, new byte[1], 1)
                .build();
        try (Machine machine = new Machine()) {
            List<String> argv = List.of("x".repeat(3 * 1024 * 1024));
            assertThatThrownBy(() -> ElfLoader.load(machine, "big", file, argv, List.of(), PIE_BASE))
                    .hasMessageContaining("(E2BIG)");
        }
    }

    private static MemoryRegionInfo regionAt(List<MemoryRegionInfo> regions, long address) {
        return regions.stream().filter(r -> r.contains(address)).findFirst().orElseThrow(
                () -> new AssertionError("0x" + Long.toHexString(address) + " is not mapped: " + regions));
    }

    static long qword(Machine machine, long address) {
        byte[] b = machine.memory().read(address, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
