package dev.hdbg.agent.unicorn;

/** Memory permissions: Unicorn's {@code UC_PROT_*} bits, combined with {@code |}. */
public final class Prot {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    private Prot() {
    }

    /** {@code perms} as {@code rwx} letters, {@code -} for a missing one: {@code r-x}. */
    public static String toString(int perms) {
        return ((perms & READ) != 0 ? "r" : "-") + ((perms & WRITE) != 0 ? "w" : "-")
                + ((perms & EXEC) != 0 ? "x" : "-");
    }
}
