package dev.hdbg.agent.unicorn;

/** Memory permissions, Unicorn's {@code UC_PROT_*} bits. */
public final class Prot {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    private Prot() {
    }
}
