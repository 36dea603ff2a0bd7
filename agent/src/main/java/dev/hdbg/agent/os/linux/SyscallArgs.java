package dev.hdbg.agent.os.linux;

/** The six argument registers of a Linux x86-64 {@code syscall}: RDI, RSI, RDX, R10, R8, R9. */
record SyscallArgs(long a0, long a1, long a2, long a3, long a4, long a5) {
    /** Argument {@code i} truncated to an {@code int}, as the kernel reads {@code int} parameters. */
    int i(int index) {
        return (int) l(index);
    }

    long l(int index) {
        return switch (index) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            case 5 -> a5;
            default -> throw new IllegalArgumentException("syscall argument " + index);
        };
    }
}
