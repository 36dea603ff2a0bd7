package dev.hdbg.common.event;

import dev.hdbg.common.event.EventOptions.Stage;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of events: the VM exits an event can watch, named after HyperDbg's commands, one entry each.
 * An entry says everything the rest of hdbg needs of its event type: its number on the wire (hdbg.proto's
 * {@code EventType}), its command, what comes between the command and its options ({@link Positional}: the
 * address, range or filter, with its range, messages and examples), what triggers it, what its context holds
 * (what conditions get in RDX, custom code in R8 and logs as {@code $context}), which stages it runs at, whether
 * {@code sc on} may skip it, and an example to paste. {@link EventSpec} validates with it, the host's parser,
 * {@code help} and outputs read it, and docs/events.md shows every entry's command and example (a test checks).
 *
 * <p>Adding an event type is: one entry here (with its new wire number in hdbg.proto), the exit that raises it
 * ({@code ExitReason} and its source in the agent's vmx package), and a test.
 */
public enum EventType {
    EPT_HOOK(1, "!epthook", new Positional.Address(),
            "Execution reaching ADDR, before it runs.", "ADDR",
            "!epthook 4000a2 stage all log {$context $ip $event_stage r14}"),
    EPT_HOOK2(3, "!epthook2", new Positional.Address(),
            "Execution reaching ADDR (HyperDbg's detours-style hook).", "ADDR",
            "!epthook2 4000a2 stage post log {r14}"),
    MONITOR(4, "!monitor", new Positional.AccessRange("!monitor rw 7fff0000 7fff0010 or !monitor w 400080 l 8"),
            "A read, write or fetch touching the range.", "the accessed address",
            "!monitor w 4000b0 l 8 stage all log {$context $event_stage [4000b0]:8}"),
    SYSCALL(5, "!syscall", new Positional.Filter("NUM", "number", 0, -1L, false, "", "!syscall 0x3c"),
            "SYSCALL executed, optionally only for one number (RAX).", "RAX",
            "!syscall 3c stage all log {$context $event_stage}"),
    SYSRET(6, "!sysret", new Positional.None(),
            "The return to the caller: SYSRET, or the return of an emulated system call.",
            "the address of the SYSRET (of an emulated call's return: the RIP returned to)",
            "!sysret stage all log {$context $ip $event_stage}"),
    CPUID(2, "!cpuid", new Positional.Filter("LEAF", "leaf", 0, 0xffff_ffffL, false,
            "does not fit in 32 bits (CPUID takes its leaf in EAX)", "!cpuid 1"),
            "CPUID, optionally only for one leaf (EAX).", "EAX",
            "!cpuid 1 stage all log {$context $event_stage rbx}"),
    MSR_READ(7, "!msrread", new Positional.Filter("MSR", "MSR", 0, 0xffff_ffffL, false,
            "does not fit in 32 bits (RDMSR takes the MSR in ECX)", "!msrread c0000080"),
            "RDMSR, optionally only for one MSR (ECX).", "ECX",
            "!msrread c0000102 stage all log {$context $event_stage rax rdx}"),
    MSR_WRITE(8, "!msrwrite", new Positional.Filter("MSR", "MSR", 0, 0xffff_ffffL, false,
            "does not fit in 32 bits (WRMSR takes the MSR in ECX)", "!msrwrite c0000080"),
            "WRMSR, optionally only for one MSR (ECX).", "ECX",
            "!msrwrite sc on log {$context rax rdx}"),
    TSC(9, "!tsc", new Positional.None(),
            "RDTSC and RDTSCP.", "0 for RDTSC, 1 for RDTSCP",
            "!tsc stage all log {$context $event_stage rax rdx}"),
    PMC(10, "!pmc", new Positional.None(),
            "RDPMC.", "0",
            "!pmc sc on code {48 c7 02 07 00 00 00}"),
    VMCALL(11, "!vmcall", new Positional.None(),
            "VMCALL.", "0",
            "!vmcall stage all log {$context $ip $event_stage}"),
    IO_IN(12, "!ioin", new Positional.Filter("PORT", "port", 0, 0xffff, false,
            "is out of range, 0 .. 0xffff (I/O ports are 16 bits)", "!ioin 60"),
            "IN, all widths and string forms, optionally one port.", "the port",
            "!ioin 71 sc on code {48 c7 02 2a 00 00 00}"),
    IO_OUT(13, "!ioout", new Positional.Filter("PORT", "port", 0, 0xffff, false,
            "is out of range, 0 .. 0xffff (I/O ports are 16 bits)", "!ioout 64"),
            "OUT, all widths and string forms, optionally one port.", "the port",
            "!ioout 80 stage all log {$context $event_stage rax}"),
    // spec: vectors 0-31 are the architecture's exceptions, 32-255 external or software interrupts.
    EXCEPTION(14, "!exception", new Positional.Filter("VECTOR", "vector", 0, 31, false,
            "is out of range, 0 .. 31 (0 .. 0x1f; use !interrupt for 32 .. 255)", "!exception 0xe"),
            "Exceptions 0-31 (#DE, #DB, #BP, #UD, #GP, #PF ...), optionally one vector.", "the vector",
            "!exception 3 sc on log {$context $ip}"),
    INTERRUPT(15, "!interrupt", new Positional.Filter("VECTOR", "vector", 32, 255, true,
            "is out of range, 32 .. 255 (0x20 .. 0xff; use !exception for 0 .. 31)", "!interrupt 0x2e"),
            "Interrupts 32-255 (INT n).", "the vector",
            "!interrupt 2e stage all log {$context $ip $event_stage}"),
    DR(16, "!dr", new Positional.None(),
            "MOV to or from DR0-DR7.", "0",
            "!dr stage all log {$context $event_stage rax rbp dr0}"),
    // spec: only CR0 and CR4 writes exit on their guest/host masks; CR3 and CR8 are other exits.
    CR_WRITE(17, "!crwrite", new Positional.ControlRegister(List.of(0L, 4L), "!crwrite 4 0x20"),
            "MOV to CR0 or CR4 changing a bit in the mask (default: all bits).", "the CR number",
            "!crwrite 4 200 stage all log {$context $event_stage rax cr4}"),
    XSETBV(18, "!xsetbv", new Positional.Filter("XCR", "XCR", 0, 0xffff_ffffL, false,
            "does not fit in 32 bits (XSETBV takes the XCR in ECX)", "!xsetbv 0"),
            "XSETBV, optionally one XCR (ECX).", "ECX",
            "!xsetbv 0 stage all log {$context $event_stage rax}"),
    // spec: !mode's context is 0 on the transition to the kernel, 3 on the one to user mode (mode.md, "Context"); it
    // has no calling stages. The guest's kernel is the agent's Linux layer: it is entered by SYSCALL.
    MODE(19, "!mode", new Positional.Mode("!mode u"),
            "The guest entering the kernel (k: a system call, handed to the agent's Linux layer) or returning to user"
                    + " mode (u: the call done); ku both.", "0 entering the kernel, 3 returning to user mode",
            EnumSet.of(Stage.PRE), true, "!mode ku log {$context $ip rax}"),
    // spec: HyperDbg raises !trace before each traced instruction with context DEBUGGER_EVENT_TRACE_TYPE_STEP_IN
    // (MetaDispatchEventInstrumentationTrace) and says short-circuiting makes no sense for it; pre stage only.
    TRACE(20, "!trace", new Positional.TraceType("!trace step-in"),
            "Each instruction the guest executes, before it runs (exact: the emulator sees every one).",
            "1 (HyperDbg's DEBUGGER_EVENT_TRACE_TYPE_STEP_IN)", EnumSet.of(Stage.PRE), false,
            "!trace step-in script { .n = .n + 1; }");

    private final int wireNumber;
    private final String command;
    private final Positional positional;
    private final String triggers;
    private final String context;
    private final Set<Stage> stages;
    private final boolean shortCircuit;
    private final String example;

    /** An entry that runs at every stage and may be short-circuited, as every event of HyperDbg's catalogue does. */
    EventType(int wireNumber, String command, Positional positional, String triggers, String context, String example) {
        this(wireNumber, command, positional, triggers, context, EnumSet.allOf(Stage.class), true, example);
    }

    EventType(int wireNumber, String command, Positional positional, String triggers, String context, Set<Stage> stages,
              boolean shortCircuit, String example) {
        this.wireNumber = wireNumber;
        this.command = command;
        this.positional = positional;
        this.triggers = triggers;
        this.context = context;
        this.stages = Collections.unmodifiableSet(EnumSet.copyOf(stages));
        this.shortCircuit = shortCircuit;
        this.example = example;
    }

    /** This type's number in hdbg.proto's {@code EventType} ({@code EVENT_TYPE_CPUID = 2}); never 0. */
    public int wireNumber() {
        return wireNumber;
    }

    /** The HyperDbg command that creates this event, such as {@code !epthook}. */
    public String command() {
        return command;
    }

    /** What the command takes before its options, and so what the event matches on. */
    public Positional positional() {
        return positional;
    }

    /** The command's forms, such as {@code !cpuid [LEAF]}, as {@code help} and docs/events.md write them. */
    public List<String> forms() {
        return positional.forms(command);
    }

    /** What triggers the event, one sentence for {@code help}. */
    public String triggers() {
        return triggers;
    }

    /** What the context holds: conditions get it in RDX, custom code in R8, logs as {@code $context}. */
    public String context() {
        return context;
    }

    /** The stages ({@code stage pre|post|all}) the event may run at. */
    public Set<Stage> stages() {
        return stages;
    }

    /** Whether {@code sc on} may skip the instruction or access after the actions. */
    public boolean shortCircuit() {
        return shortCircuit;
    }

    /** A command to paste, runnable on the built-in {@code events} sample as docs/events.md shows it. */
    public String example() {
        return example;
    }

    public static Optional<EventType> byCommand(String command) {
        return Arrays.stream(values()).filter(t -> t.command.equalsIgnoreCase(command)).findFirst();
    }
}
