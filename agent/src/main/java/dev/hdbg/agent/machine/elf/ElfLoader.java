package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.CpuRegister;
import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.UserMode;
import dev.hdbg.agent.machine.elf.ElfImage.ProgramHeader;
import dev.hdbg.agent.machine.elf.ElfImage.SectionHeader;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.X86Reg;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Loads a Linux x86-64 executable into a fresh {@link Machine} the way the kernel's {@code load_elf_binary} does —
 * the program, and for a dynamically linked one its interpreter ({@code PT_INTERP}, glibc's
 * {@code ld-linux-x86-64.so.2}) — and leaves the guest at its first instruction in user mode: the program's entry,
 * or the interpreter's, which then maps the libraries itself through system calls. Answering those is not this
 * class's job.
 */
public final class ElfLoader {
    /** MXCSR and the x87 control word as Linux initializes them: every exception masked, round to nearest. */
    private static final long LINUX_MXCSR = 0x1f80;
    private static final long LINUX_FPCW = 0x37f;

    /**
     * Where a position-independent executable goes unless told otherwise: Linux's {@code ELF_ET_DYN_BASE} with
     * randomization off, where gdb shows PIEs.
     */
    public static final long DEFAULT_PIE_BASE = 0x5555_5555_4000L;
    /** The end (exclusive) of the stack mapping. */
    public static final long STACK_TOP = 0x7fff_ff00_0000L;
    /** Linux's default {@code RLIMIT_STACK}, mapped up front: guest memory is not grown on demand. */
    public static final long STACK_SIZE = 8L * 1024 * 1024;
    /**
     * The top of the mmap area, below which mappings are placed top-down: the interpreter is its first mapping, as
     * Linux maps it from {@code mmap_base} before the program runs.
     */
    public static final long MMAP_TOP = 0x7fff_f000_0000L;
    /** The vDSO's region, named as /proc/self/maps names it. */
    public static final String VDSO_NAME = "[vdso]";

    /**
     * An ELF file to load.
     *
     * @param path       its path as the guest names it: {@code AT_EXECFN} for the program (as given, relative or not)
     * @param regionName the name of its regions, as /proc/PID/maps names the file: an absolute path, since a front
     *                   end (gdb's {@code qXfer:exec-file} through the bridge) opens the file by it
     * @param bytes      the whole file
     */
    public record Executable(String path, String regionName, byte[] bytes) {
        public Executable {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(regionName, "regionName");
            Objects.requireNonNull(bytes, "bytes");
        }

        /** A file whose regions are named by {@code path}. */
        public Executable(String path, byte[] bytes) {
            this(path, path, bytes);
        }
    }

    /**
     * The process the program starts as.
     *
     * @param argv   its arguments, {@code argv[0]} first (usually the program's path)
     * @param envp   its environment, {@code KEY=value} strings
     * @param uid    the user it runs as ({@code AT_UID}, {@code AT_EUID})
     * @param gid    its group ({@code AT_GID}, {@code AT_EGID})
     * @param random the source of the 16 {@code AT_RANDOM} bytes: a seeded one gives reproducible runs
     */
    public record Process(List<String> argv, List<String> envp, int uid, int gid, RandomGenerator random) {
        public Process {
            argv = List.copyOf(argv);
            envp = List.copyOf(envp);
            Objects.requireNonNull(random, "random");
        }
    }

    private ElfLoader() {
    }

    /**
     * Loads a static program as root, with 16 {@code AT_RANDOM} bytes from a {@link SecureRandom}, as the kernel's
     * {@code get_random_bytes} would give (glibc seeds its stack protector and pointer guard from them).
     *
     * @see #load(Machine, Executable, Optional, Process, long)
     */
    public static LoadedElf load(Machine machine, String name, byte[] file, List<String> argv, List<String> envp,
            long pieBase) {
        return load(machine, name, file, argv, envp, pieBase, new SecureRandom());
    }

    /** A static program as root with a chosen source of {@code AT_RANDOM}. */
    public static LoadedElf load(Machine machine, String name, byte[] file, List<String> argv, List<String> envp,
            long pieBase, RandomGenerator random) {
        return load(machine, new Executable(name, file), Optional.empty(), new Process(argv, envp, 0, 0, random),
                pieBase);
    }

    /**
     * Parses the program, maps its {@code PT_LOAD} segments and, when it names one, its interpreter's; maps and fills
     * the stack, and enters user mode with RSP at {@code argc}. Afterwards:
     * <ul>
     * <li>each segment is mapped on whole pages with its {@code p_flags} as permissions, named after its file's path;
     *     where segments share a page they share one mapping with the union of their permissions. {@code p_filesz}
     *     bytes come from the file, the rest ({@code .bss}) is zero;</li>
     * <li>an {@code ET_DYN} program (a PIE, a static-pie, or the dynamic loader run as a program) is moved by
     *     {@code pieBase}; an {@code ET_EXEC} is loaded where it was linked;</li>
     * <li>the interpreter is placed just below {@link #MMAP_TOP}; the auxiliary vector's {@code AT_BASE} says where,
     *     {@code AT_ENTRY} and {@code AT_PHDR} describe the program, and RIP is the interpreter's entry. Without
     *     one, RIP is the program's entry;</li>
     * <li>the stack is {@link #STACK_SIZE} bytes read-write ending at {@link #STACK_TOP}, named {@code stack}, laid
     *     out as Linux's {@code create_elf_tables} does (see {@link InitialStack}), with {@code AT_HWCAP} the
     *     emulated CPU's CPUID.1:EDX;</li>
     * <li>CPL is 3 ({@link UserMode#enter}), every general register but RSP is zero, FS base is 0: glibc sets up its
     *     TLS with {@code arch_prctl} itself.</li>
     * </ul>
     * The machine's target description is not changed ({@code Machine.loaded} is not visible from here).
     *
     * @param interpreter the file {@link ElfImage#interpreter()} names, read by the caller from wherever the guest's
     *                    files are; ignored for a static program
     * @param pieBase     the load bias of a position-independent program, page-aligned; ignored for {@code ET_EXEC}
     * @throws IllegalArgumentException when {@link ElfParser#parse} refuses a file; when the program is dynamically
     *                                  linked and no interpreter is given, or the interpreter is not a
     *                                  position-independent ELF without an interpreter of its own; when
     *                                  {@code pieBase} is not page-aligned; when an image or the stack overlaps memory
     *                                  already mapped or reserved (the regions mapped before the clash stay mapped:
     *                                  load into a fresh machine); when the arguments take more than a quarter of the
     *                                  stack
     */
    public static LoadedElf load(Machine machine, Executable program, Optional<Executable> interpreter, Process process,
            long pieBase) {
        return load(machine, program, interpreter, process, pieBase, Optional.empty());
    }

    /**
     * {@link #load(Machine, Executable, Optional, Process, long)} with a vDSO ({@link Vdso#image}), mapped read-execute
     * below the interpreter, named {@value #VDSO_NAME}, its address in {@code AT_SYSINFO_EHDR}.
     */
    public static LoadedElf load(Machine machine, Executable program, Optional<Executable> interpreter, Process process,
            long pieBase, Optional<byte[]> vdsoImage) {
        return load(machine, program, interpreter, process, pieBase, vdsoImage, OptionalLong.empty());
    }

    /**
     * execve's load, inside the running program's SYSCALL exit: as {@link #load(Machine, Executable, Optional, Process,
     * long, Optional)} into a machine whose user memory is empty and which is in user mode already, but without
     * running an instruction (the engine is inside a hook): {@code hwcap} is the one the first program was given, and
     * RIP, RSP and the general registers are written directly (all zero but RSP, FS and GS bases zero).
     */
    public static LoadedElf loadForExec(Machine machine, Executable program, Optional<Executable> interpreter,
            Process process, long pieBase, Optional<byte[]> vdsoImage, long hwcap) {
        return load(machine, program, interpreter, process, pieBase, vdsoImage, OptionalLong.of(hwcap));
    }

    private static LoadedElf load(Machine machine, Executable program, Optional<Executable> interpreter,
            Process process, long pieBase, Optional<byte[]> vdsoImage, OptionalLong knownHwcap) {
        ElfImage image = ElfParser.parse(program.path(), program.bytes());
        if (image.isPie() && (pieBase & (GuestMemory.PAGE - 1)) != 0) {
            throw new IllegalArgumentException("the PIE base 0x" + Long.toHexString(pieBase)
                    + " is not page-aligned (0x" + Long.toHexString(GuestMemory.PAGE) + ")");
        }
        Optional<ElfImage> interpreterImage = Optional.empty();
        if (image.interpreter().isPresent()) {
            if (interpreter.isEmpty()) {
                throw new IllegalArgumentException("'" + program.path() + "' is dynamically linked: it needs its "
                        + "interpreter " + image.interpreter().get());
            }
            interpreterImage = Optional.of(interpreterImage(interpreter.get()));
        }
        long bias = image.isPie() ? pieBase : 0;
        Placed placed = map(machine, program, image, bias);
        Optional<LoadedElf.Image> loadedInterpreter = Optional.empty();
        long start = image.entry() + bias;
        if (interpreterImage.isPresent()) {
            ElfImage ld = interpreterImage.get();
            long span = SegmentLayout.span(ld.loads());
            long lowest = SegmentLayout.lowest(ld.loads());
            long interpreterBias = MMAP_TOP - span - lowest;
            Placed at = map(machine, interpreter.get(), ld, interpreterBias);
            loadedInterpreter = Optional.of(new LoadedElf.Image(interpreter.get().path(), interpreterBias, at.begin(),
                    at.end()));
            start = ld.entry() + interpreterBias;
        }
        GuestMemory memory = machine.memory();
        memory.map("stack", STACK_TOP - STACK_SIZE, STACK_SIZE, Prot.READ | Prot.WRITE);
        long hwcap = knownHwcap.isPresent() ? knownHwcap.getAsLong() : probeHwcap(machine);
        // The vDSO goes below the interpreter, as Linux maps it after it (top-down), or at the top of the mmap area.
        long vdsoEnd = loadedInterpreter.map(LoadedElf.Image::begin).orElse(MMAP_TOP);
        long vdso = 0;
        if (vdsoImage.isPresent()) {
            byte[] bytes = vdsoImage.get();
            vdso = vdsoEnd - SegmentLayout.roundUp(bytes.length);
            memory.mapImage(VDSO_NAME, vdso, Prot.READ | Prot.EXEC,
                    Arrays.copyOf(bytes, (int) SegmentLayout.roundUp(bytes.length)));
        }

        long entry = image.entry() + bias;
        // Without a loaded program header table AT_PHDR would point at nothing; 0 makes glibc's lookups find none.
        long phdr = image.phdrAddress().isPresent() ? image.phdrAddress().getAsLong() + bias : 0;
        byte[] randomBytes = new byte[16];
        process.random().nextBytes(randomBytes);
        long base = loadedInterpreter.map(LoadedElf.Image::bias).orElse(0L);
        InitialStack.Layout stack = InitialStack.build(STACK_TOP, STACK_SIZE, program.path(), process.argv(),
                process.envp(), new InitialStack.ImageFacts(phdr, image.programHeaders().size(), entry, base, hwcap,
                        process.uid(), process.gid(), vdso), randomBytes);
        memory.write(stack.rsp(), stack.bytes());

        if (knownHwcap.isPresent()) {
            var cpu = machine.cpu();
            for (int encoding = 0; encoding < 16; encoding++) {
                cpu.write(CpuRegister.gpr(encoding), 0);
            }
            cpu.write(CpuRegister.FS_BASE, 0);
            cpu.write(CpuRegister.GS_BASE, 0);
            cpu.write(CpuRegister.RSP, stack.rsp());
            cpu.write(CpuRegister.RIP, start);
        } else {
            UserMode.enter(machine, start, stack.rsp());
            // As Linux: glibc's lazy binding saves the argument registers with FXSAVE around its resolver, which uses
            // SSE itself; without OSFXSR the first call to sin(3.75) got 0 and printf's first %f printed 0.000000.
            machine.cpu().write(CpuRegister.CR4, machine.cpu().read(CpuRegister.CR4) | UserMode.CR4_LINUX_SSE);
        }
        // The FPU and SSE control words a new program gets from Linux (fpu__clear, as an exec does): the emulated CPU
        // started with MXCSR 0, every SSE exception unmasked, which a program's stmxcsr and a tracer saw (stop 57).
        machine.unicorn().regWrite(X86Reg.MXCSR, LINUX_MXCSR);
        machine.unicorn().regWrite(X86Reg.FPCW, LINUX_FPCW);
        memory.imageLoaded();
        return new LoadedElf(start, entry, bias, placed.begin(), placed.end(),
                SegmentLayout.brkStart(image.loads(), bias), STACK_TOP, stack.rsp(),
                new Symbols(image.symbols()).relocated(bias), sections(image.sections(), bias), loadedInterpreter,
                stack.auxv());
    }

    /**
     * CPUID's feature bits for AT_HWCAP, probed on the stack's top page (executable for the probe, its bytes and
     * permissions put back): not on the image, whose code is the image cache's block ({@link GuestMemory#mapImage}),
     * which a write there would have replaced with a copy of the process's own, so that no later program shared
     * ld.so's block with the first and each exec translated ld.so anew.
     */
    private static long probeHwcap(Machine machine) {
        GuestMemory memory = machine.memory();
        long page = STACK_TOP - GuestMemory.PAGE;
        memory.protect(page, GuestMemory.PAGE, Prot.READ | Prot.WRITE | Prot.EXEC);
        try {
            return CpuFeatures.hwcap(machine, page);
        } finally {
            memory.protect(page, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
        }
    }

    private static ElfImage interpreterImage(Executable interpreter) {
        ElfImage ld = ElfParser.parse(interpreter.path(), interpreter.bytes());
        if (!ld.isPie() || ld.interpreter().isPresent()) {
            // The kernel refuses both: an interpreter must be relocatable, and it is not loaded through another.
            throw new IllegalArgumentException("the interpreter '" + interpreter.path() + "' is not a position-"
                    + "independent program that loads itself (an ET_DYN without PT_INTERP, such as ld-linux-x86-64.so.2)");
        }
        return ld;
    }

    /** The pages a loaded image covers, [begin, end). */
    private record Placed(long begin, long end) {
    }

    /**
     * Maps {@code image}'s segments moved by {@code bias} and copies their file bytes in. Read-only mappings (code,
     * constants) go through {@link GuestMemory#mapImage} with their bytes, so that a program loaded again reuses the
     * blocks, and the code translated from them, that its last load left.
     */
    private static Placed map(Machine machine, Executable file, ElfImage image, long bias) {
        String who = "'" + file.path() + "'";
        List<ProgramHeader> loads = image.loads();
        List<SegmentLayout.Mapping> mappings = SegmentLayout.of(who, loads, bias);
        GuestMemory memory = machine.memory();
        List<SegmentLayout.Mapping> filled = new ArrayList<>();
        for (SegmentLayout.Mapping m : mappings) {
            if ((m.prot() & Prot.WRITE) == 0) {
                memory.mapImage(file.regionName(), m.begin(), m.prot(), bytesOf(m, loads, file.bytes(), bias));
            } else {
                memory.map(file.regionName(), m.begin(), m.end() - m.begin(), m.prot());
                filled.add(m);
            }
        }
        for (SegmentLayout.Mapping m : filled) {
            // Fresh mappings are zero-filled, so copying p_filesz bytes leaves the rest of p_memsz as .bss.
            fileRuns(m, loads, bias, (address, offset, length) -> memory.write(address,
                    Arrays.copyOfRange(file.bytes(), (int) offset, (int) offset + length)));
        }
        return new Placed(mappings.getFirst().begin(), mappings.getLast().end());
    }

    /** The bytes of mapping {@code m} as loaded: the file bytes of the segments in it, zeros elsewhere. */
    private static byte[] bytesOf(SegmentLayout.Mapping m, List<ProgramHeader> loads, byte[] file, long bias) {
        byte[] bytes = new byte[(int) (m.end() - m.begin())];
        fileRuns(m, loads, bias, (address, offset, length) -> System.arraycopy(file, (int) offset, bytes,
                (int) (address - m.begin()), length));
        return bytes;
    }

    /** A run of file bytes in a mapping: where it goes, where it is in the file, how long it is. */
    @FunctionalInterface
    private interface FileRun {
        void at(long address, long fileOffset, int length);
    }

    /** Each segment's file bytes ({@code p_filesz} of them) that lie in {@code m}, moved by {@code bias}. */
    private static void fileRuns(SegmentLayout.Mapping m, List<ProgramHeader> loads, long bias, FileRun run) {
        for (ProgramHeader p : loads) {
            long from = Math.max(p.vaddr() + bias, m.begin());
            long to = Math.min(p.vaddr() + bias + p.filesz(), m.end());
            if (from < to) {
                run.at(from, p.offset() + (from - p.vaddr() - bias), (int) (to - from));
            }
        }
    }

    private static List<LoadedElf.Section> sections(List<SectionHeader> headers, long bias) {
        List<LoadedElf.Section> sections = new ArrayList<>();
        for (SectionHeader s : headers) {
            if ((s.flags() & ElfImage.SHF_ALLOC) != 0 && s.address() != 0) {
                sections.add(new LoadedElf.Section(s.name(), s.address() + bias, s.size(), s.flagString()));
            }
        }
        return sections;
    }
}
