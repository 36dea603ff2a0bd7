package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;
import java.util.Arrays;

/** The help text of each event command: what triggers it, its syntax, its context, an example. */
final class EventHelp {
    static final String OPTIONS = "Options: condition {HEX} code {HEX} buffer SIZE log {SPEC} break imm yes|no "
            + "pid PID|all core N|all sc on|off stage pre|post|all disabled output {NAME}. No action clause means break.";

    private EventHelp() {
    }

    static String[] of(EventType type) {
        String[] text = switch (type) {
            case EPT_HOOK -> new String[] {"Execution reaching ADDR, before it runs. Context = ADDR.",
                    "  !epthook ADDR [options]", "Example: !epthook 400040 log {rdi $context} imm no"};
            case EPT_HOOK2 -> new String[] {"Execution reaching ADDR (HyperDbg's detours-style hook). Context = ADDR.",
                    "  !epthook2 ADDR [options]", "Example: !epthook2 400040 code {48 ff 01 48 89 c8} buffer 8"};
            case MONITOR -> new String[] {"A read, write or fetch touching the range. Context = the accessed address.",
                    "  !monitor r|w|x|rw|... FROM TO [options]    or    !monitor ATTR FROM l LEN [options]",
                    "Example: !monitor w 400080 l 8 log {$context [400080]:8}"};
            case SYSCALL -> new String[] {"SYSCALL executed, optionally only for one number (RAX). Context = RAX.",
                    "  !syscall [NUM] [options]", "Example: !syscall 3c"};
            case SYSRET -> new String[] {"The return to the caller: SYSRET, or the return of an emulated system call. "
                    + "Context = the RIP returned to.", "  !sysret [options]", "Example: !sysret log {$context}"};
            case CPUID -> new String[] {"CPUID, optionally only for one leaf (EAX). Context = EAX.",
                    "  !cpuid [LEAF] [options]", "Example: !cpuid 1 stage post code {48 c7 42 18 37 13 00 00}"};
            case MSR_READ -> new String[] {"RDMSR, optionally only for one MSR (ECX). Context = ECX.",
                    "  !msrread [MSR] [options]", "Example: !msrread c0000100 log {rax rdx}"};
            case MSR_WRITE -> new String[] {"WRMSR, optionally only for one MSR (ECX). Context = ECX.",
                    "  !msrwrite [MSR] [options]", "Example: !msrwrite c0000082 sc on"};
            case TSC -> new String[] {"RDTSC (context 0) and RDTSCP (context 1).", "  !tsc [options]",
                    "Example: !tsc stage post log {rax rdx $context}"};
            case PMC -> new String[] {"RDPMC. Context = 0.", "  !pmc [options]", "Example: !pmc"};
            case VMCALL -> new String[] {"VMCALL. Context = 0.", "  !vmcall [options]", "Example: !vmcall log {rax rcx}"};
            case IO_IN -> new String[] {"IN, all widths and string forms, optionally one port. Context = the port.",
                    "  !ioin [PORT] [options]", "Example: !ioin 71 sc on code {48 c7 02 2a 00 00 00}"};
            case IO_OUT -> new String[] {"OUT, all widths and string forms, optionally one port. Context = the port.",
                    "  !ioout [PORT] [options]", "Example: !ioout 80 log {rax}"};
            case EXCEPTION -> new String[] {"Exceptions 0-31 (#DE, #DB, #BP, #UD, #GP, #PF ...), optionally one vector. "
                    + "Context = the vector.", "  !exception [VECTOR] [options]", "Example: !exception 3 sc on"};
            case INTERRUPT -> new String[] {"Interrupts 32-255 (INT n). Context = the vector.",
                    "  !interrupt VECTOR [options]", "Example: !interrupt 2e log {rax}"};
            case DR -> new String[] {"MOV to or from DR0-DR7. Context = 0.", "  !dr [options]", "Example: !dr sc on"};
            case CR_WRITE -> new String[] {"MOV to CR0 or CR4 changing a bit in the mask (default: all bits). "
                    + "Context = the CR number.", "  !crwrite 0|4 [mask M] [options]", "Example: !crwrite 4 mask 0x200"};
            case XSETBV -> new String[] {"XSETBV, optionally one XCR (ECX). Context = ECX.", "  !xsetbv [XCR] [options]",
                    "Example: !xsetbv 0 log {rax rdx}"};
        };
        String[] withOptions = Arrays.copyOf(text, text.length + 1);
        withOptions[text.length] = OPTIONS;
        return withOptions;
    }
}
