package dev.hdbg.agent.unicorn;

/** Unicorn's {@code uc_mem_type}: the {@code type} a memory hook callback receives (unicorn.h 2.0.1). */
public final class MemType {
    public static final int READ = 16;
    public static final int WRITE = 17;
    public static final int FETCH = 18;
    public static final int READ_UNMAPPED = 19;
    public static final int WRITE_UNMAPPED = 20;
    public static final int FETCH_UNMAPPED = 21;
    public static final int WRITE_PROT = 22;
    public static final int READ_PROT = 23;
    public static final int FETCH_PROT = 24;
    public static final int READ_AFTER = 25;

    private MemType() {
    }
}
