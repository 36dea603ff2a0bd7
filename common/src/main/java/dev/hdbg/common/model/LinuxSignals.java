package dev.hdbg.common.model;

/** Linux's x86-64 signal names by number, as a shell reports a death by one and the agent's messages name them. */
public final class LinuxSignals {
    private static final String[] NAMES = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private LinuxSignals() {
    }

    /** {@code "SIGSEGV"} for 11; empty for a real-time signal or a number that names none. */
    public static String name(int signal) {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "";
    }

    /** {@code "11 (SIGSEGV)"}, or the number alone when it has no name. */
    public static String describe(int signal) {
        String name = name(signal);
        return name.isEmpty() ? Integer.toString(signal) : signal + " (" + name + ")";
    }
}
