package dev.hdbg.agent.machine.elf;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.UserMode;
import dev.hdbg.agent.machine.elf.ElfImage.ProgramHeader;
import dev.hdbg.agent.machine.elf.ElfImage.SectionHeader;
import dev.hdbg.agent.unicorn.Prot;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Loads a static Linux x86-64 executable into a fresh {@link Machine} the way the kernel's {@code load_elf_binary}
 * does, and leaves the guest at its entry in user mode, ready to run its first instruction. The guest then expects
 * Linux system calls ({@code SYSCALL}); answering them is not this class's job.
 */
public final class ElfLoader {
    /** Where a static-pie goes unless told otherwise: where Linux puts PIEs with randomization off (gdb's view). */
    public static final long DEFAULT_PIE_BASE = 0x5555_5555_4000L;
    /** The end (exclusive) of the stack mapping. */
    public static final long STACK_TOP = 0x7fff_ff00_0000L;
    /** Linux's default {@code RLIMIT_STACK}, mapped up front: guest memory is not grown on demand. */
    public static final long STACK_SIZE = 8L * 1024 * 1024;

    private ElfLoader() {
    }

    /**
     * Loads {@code file} with 16 {@code AT_RANDOM} bytes from a {@link SecureRandom}, as the kernel's
     * {@code get_random_bytes} would give (glibc seeds its stack protector and pointer guard from them).
     *
     * @see #load(Machine, String, byte[], List, List, long, RandomGenerator)
     */
    public static LoadedElf load(Machine machine, String name, byte[] file, List<String> argv, List<String> envp,
            long pieBase) {
        return load(machine, name, file, argv, envp, pieBase, new SecureRandom());
    }

    /**
     * Parses {@code file}, maps its {@code PT_LOAD} segments, maps and fills the stack, and enters user mode at the
     * entry with RSP at {@code argc}. Afterwards:
     * <ul>
     * <li>each segment is mapped on whole pages with its {@code p_flags} as permissions, named {@code name}; where
     *     segments share a page they share one mapping with the union of their permissions. {@code p_filesz} bytes
     *     come from the file, the rest ({@code .bss}) is zero;</li>
     * <li>an {@code ET_DYN} (static-pie) is moved by {@code pieBase}; an {@code ET_EXEC} is loaded where it was
     *     linked;</li>
     * <li>the stack is {@link #STACK_SIZE} bytes read-write ending at {@link #STACK_TOP}, named {@code stack}, laid
     *     out as Linux's {@code create_elf_tables} does (see {@link InitialStack}), with {@code AT_EXECFN} =
     *     {@code name};</li>
     * <li>RIP is the entry, CPL is 3 ({@link UserMode#enter}), FS base is 0: a static glibc sets up its TLS with
     *     {@code arch_prctl} itself.</li>
     * </ul>
     * The machine's target description is not changed ({@code Machine.loaded} is not visible from here).
     *
     * @param name    the program's path as the guest should see it ({@code AT_EXECFN}); also names regions
     * @param argv    the guest's arguments, {@code argv[0]} first (usually {@code name})
     * @param envp    the guest's environment, {@code KEY=value} strings
     * @param pieBase the load bias of a static-pie, page-aligned; ignored for {@code ET_EXEC}
     * @param random  the source of the 16 {@code AT_RANDOM} bytes: a seeded one gives reproducible runs
     * @throws IllegalArgumentException when {@link ElfParser#parse} refuses the file; when {@code pieBase} is not
     *                                  page-aligned; when the image or its stack overlaps memory already mapped or
     *                                  reserved (the regions mapped before the clash stay mapped: load into a
     *                                  fresh machine); when the arguments take more than a quarter of the stack
     */
    public static LoadedElf load(Machine machine, String name, byte[] file, List<String> argv, List<String> envp,
            long pieBase, RandomGenerator random) {
        ElfImage image = ElfParser.parse(name, file);
        if (image.isPie() && (pieBase & (GuestMemory.PAGE - 1)) != 0) {
            throw new IllegalArgumentException("the PIE base 0x" + Long.toHexString(pieBase)
                    + " is not page-aligned (0x" + Long.toHexString(GuestMemory.PAGE) + ")");
        }
        long bias = image.isPie() ? pieBase : 0;
        String who = "'" + name + "'";
        List<ProgramHeader> loads = image.loads();
        List<SegmentLayout.Mapping> mappings = SegmentLayout.of(who, loads, bias);
        GuestMemory memory = machine.memory();
        for (SegmentLayout.Mapping m : mappings) {
            memory.map(name, m.begin(), m.end() - m.begin(), m.prot());
        }
        for (ProgramHeader p : loads) {
            if (p.filesz() > 0) {
                // Fresh mappings are zero-filled, so copying p_filesz bytes leaves the rest of p_memsz as .bss.
                memory.write(p.vaddr() + bias,
                        Arrays.copyOfRange(file, (int) p.offset(), (int) (p.offset() + p.filesz())));
            }
        }

        memory.map("stack", STACK_TOP - STACK_SIZE, STACK_SIZE, Prot.READ | Prot.WRITE);
        long entry = image.entry() + bias;
        // Without a loaded program header table AT_PHDR would point at nothing; 0 makes glibc's lookups find none.
        long phdr = image.phdrAddress().isPresent() ? image.phdrAddress().getAsLong() + bias : 0;
        byte[] randomBytes = new byte[16];
        random.nextBytes(randomBytes);
        InitialStack.Layout stack = InitialStack.build(STACK_TOP, STACK_SIZE, name, argv, envp,
                new InitialStack.ImageFacts(phdr, image.programHeaders().size(), entry), randomBytes);
        memory.write(stack.rsp(), stack.bytes());

        UserMode.enter(machine, entry, stack.rsp());
        return new LoadedElf(entry, bias, SegmentLayout.brkStart(loads, bias), STACK_TOP, stack.rsp(),
                new Symbols(image.symbols()).relocated(bias), sections(image.sections(), bias));
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
