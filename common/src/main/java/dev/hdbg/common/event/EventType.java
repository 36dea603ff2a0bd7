package dev.hdbg.common.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The VM exits an event can watch, named after HyperDbg's commands. The context each passes to
 * conditions (RDX), custom code (R8) and logs ({@code $context}) is given per constant.
 */
public enum EventType {
    /** {@code !epthook ADDR}: execution reaches ADDR, before the instruction runs. Context = ADDR. */
    EPT_HOOK("!epthook"),
    /** {@code !epthook2 ADDR}: the same, HyperDbg's detours-style hook (the cheaper path). Context = ADDR. */
    EPT_HOOK2("!epthook2"),
    /** {@code !monitor ATTR FROM TO}: a read, write or fetch touching the range. Context = the accessed address. */
    MONITOR("!monitor"),
    /** {@code !syscall [NUM]}: SYSCALL. Context = the syscall number (RAX). */
    SYSCALL("!syscall"),
    /** {@code !sysret}: the return to the caller (SYSRET, or the return of an emulated system call). Context = its RIP. */
    SYSRET("!sysret"),
    /** {@code !cpuid [LEAF]}: CPUID. Context = EAX, the leaf. */
    CPUID("!cpuid"),
    /** {@code !msrread [MSR]}: RDMSR. Context = ECX. */
    MSR_READ("!msrread"),
    /** {@code !msrwrite [MSR]}: WRMSR. Context = ECX. */
    MSR_WRITE("!msrwrite"),
    /** {@code !tsc}: RDTSC (context 0) and RDTSCP (context 1). */
    TSC("!tsc"),
    /** {@code !pmc}: RDPMC. Context = 0. */
    PMC("!pmc"),
    /** {@code !vmcall}: VMCALL. Context = 0. */
    VMCALL("!vmcall"),
    /** {@code !ioin [PORT]}: IN, all widths and string forms. Context = the port. */
    IO_IN("!ioin"),
    /** {@code !ioout [PORT]}: OUT, all widths and string forms. Context = the port. */
    IO_OUT("!ioout"),
    /** {@code !exception [VECTOR]}: exceptions 0-31. Context = the vector. */
    EXCEPTION("!exception"),
    /** {@code !interrupt VECTOR}: interrupts 32-255 (INT n). Context = the vector. */
    INTERRUPT("!interrupt"),
    /** {@code !dr}: MOV to or from DR0-DR7. Context = 0. */
    DR("!dr"),
    /** {@code !crwrite CR [mask M]}: MOV to CR0 or CR4 changing a bit in the mask. Context = the CR number. */
    CR_WRITE("!crwrite"),
    /** {@code !xsetbv [XCR]}: XSETBV. Context = ECX. */
    XSETBV("!xsetbv");

    private final String command;

    EventType(String command) {
        this.command = command;
    }

    /** The HyperDbg command that creates this event, such as {@code !epthook}. */
    public String command() {
        return command;
    }

    public static Optional<EventType> byCommand(String command) {
        return Arrays.stream(values()).filter(t -> t.command.equalsIgnoreCase(command)).findFirst();
    }
}
