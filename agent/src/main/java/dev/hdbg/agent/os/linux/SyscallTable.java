package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * Every system call the layer emulates, by number: each group of calls registers its handlers, which hold the state
 * the group keeps for one process ({@link LinuxSyscalls} makes a table per process and dispatches through it).
 */
final class SyscallTable {
    private SyscallTable() {
    }

    /** A new table of {@code process}'s handlers, each group's state made for it. */
    static Map<Integer, Handler> of(LinuxProcess process) {
        Map<Integer, Handler> table = new HashMap<>();
        new FileSyscalls(process).register(table);
        new CopySyscalls(process).register(table);
        new OffsetSyscalls(process).register(table);
        new PollSyscalls(process).register(table);
        new EpollSyscalls(process).register(table);
        new InotifySyscalls(process).register(table);
        new PathSyscalls(process).register(table);
        new AttributeSyscalls(process).register(table);
        new LinkSyscalls(process).register(table);
        new NodeSyscalls(process).register(table);
        new LengthSyscalls(process).register(table);
        new MemfdSyscalls(process).register(table);
        new LockSyscalls(process).register(table);
        new StatSyscalls(process).register(table);
        new MemorySyscalls(process).register(table);
        new ProcessSyscalls(process).register(table);
        new SchedulingSyscalls(process).register(table);
        new JobControlSyscalls(process).register(table);
        new TraceSyscalls(process).register(table);
        new IdentitySyscalls(process).register(table);
        ForkSyscalls forks = new ForkSyscalls(process);
        forks.register(table);
        new ThreadSyscalls(process, forks).register(table);
        new TimeSyscalls(process).register(table);
        new TimerSyscalls(process).register(table);
        new SignalSyscalls(process).register(table);
        UnixAddresses addresses = new UnixAddresses(process);
        InetSockets inet = new InetSockets(process);
        new SocketSyscalls(process, addresses, inet).register(table);
        new MessageSyscalls(process, addresses, inet).register(table);
        new ConnectionSyscalls(process, addresses, inet).register(table);
        new ExecSyscalls(process).register(table);
        return table;
    }
}
