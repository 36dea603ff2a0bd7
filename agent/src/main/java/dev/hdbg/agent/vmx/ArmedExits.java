package dev.hdbg.agent.vmx;

import dev.hdbg.common.event.Access;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the Unicorn hooks must catch, as the debugger's enabled events require. Exits caught by
 * faults (RDMSR, RDTSC, MOV CR ...) need no hook and are not listed: the guest runs at CPL 3 and
 * those instructions always trap, armed or not.
 *
 * @param executions addresses with an {@code !epthook}
 * @param detours    addresses with an {@code !epthook2}
 * @param breakpoints addresses with a breakpoint (the debugger's own, or a one-shot one)
 * @param monitors   {@code !monitor} ranges
 * @param cpuid      a {@code !cpuid} event exists (IN, OUT and SYSCALL are always hooked: the agent
 *                   emulates them, and their hooks cost nothing on code that does not execute them)
 */
public record ArmedExits(Set<Long> executions, Set<Long> detours, Set<Long> breakpoints, List<MonitorRange> monitors,
                         boolean cpuid) {
    public static final ArmedExits NONE = new ArmedExits(Set.of(), Set.of(), Set.of(), List.of(), false);

    public ArmedExits {
        executions = Set.copyOf(executions);
        detours = Set.copyOf(detours);
        breakpoints = Set.copyOf(breakpoints);
        monitors = List.copyOf(monitors);
    }

    /** A watched range [from, to] and the accesses that trigger. */
    public record MonitorRange(long from, long to, Set<Access> access) {
        public MonitorRange {
            if (access.isEmpty()) {
                throw new IllegalArgumentException("a monitor watches at least one kind of access");
            }
            access = Collections.unmodifiableSet(EnumSet.copyOf(access));
        }

        /** Whether an access of {@code size} bytes at {@code address} touches the range. */
        boolean touches(long address, int size) {
            return Long.compareUnsigned(address + size - 1, from) >= 0 && Long.compareUnsigned(address, to) <= 0;
        }

        /** Whether the instruction at {@code address} is in the range and executing it triggers. */
        boolean watchesExecutionAt(long address) {
            return access.contains(Access.EXECUTE) && Long.compareUnsigned(address, from) >= 0
                    && Long.compareUnsigned(address, to) <= 0;
        }
    }
}
