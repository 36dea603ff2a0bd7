package dev.hdbg.common.model;

/** Linux's x86-64 signal names by number, as a shell reports a death by one and the agent's messages name them. */
public final class LinuxSignals {
    private static final String[] NAMES = {"", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
        "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** The highest signal number (SIGRTMAX). */
    public static final int MAX = 64;

    /**
     * Every signal a debugger can stop before, as a set (bit {@code s - 1} for signal {@code s}): all but SIGKILL and
     * SIGSTOP, which ptrace never stops before either.
     */
    public static final long STOPPABLE = -1L & ~bit(9) & ~bit(19);

    /** The signals of {@code set}, in order. */
    public static java.util.List<Integer> members(long set) {
        java.util.List<Integer> members = new java.util.ArrayList<>();
        for (int s = 1; s <= MAX; s++) {
            if ((set & bit(s)) != 0) {
                members.add(s);
            }
        }
        return members;
    }

    /** Signal {@code s}'s bit in a set of signals, as Linux's sigset_t holds it. */
    public static long bit(int s) {
        return 1L << (s - 1);
    }

    private LinuxSignals() {
    }

    /**
     * The number a user's word names: {@code 11}, {@code SIGSEGV}, {@code segv} (any case), {@code SIG34} for a
     * real-time one; empty when it names none.
     */
    public static java.util.OptionalInt number(String word) {
        String w = word.trim().toUpperCase(java.util.Locale.ROOT);
        if (w.matches("\\d{1,2}")) {
            int n = Integer.parseInt(w);
            return n >= 1 && n <= MAX ? java.util.OptionalInt.of(n) : java.util.OptionalInt.empty();
        }
        String name = w.startsWith("SIG") ? w : "SIG" + w;
        for (int s = 1; s < NAMES.length; s++) {
            if (NAMES[s].equals(name)) {
                return java.util.OptionalInt.of(s);
            }
        }
        if (name.matches("SIG\\d{1,2}")) {
            return number(name.substring(3));
        }
        return java.util.OptionalInt.empty();
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
