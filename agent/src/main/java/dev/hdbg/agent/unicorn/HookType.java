package dev.hdbg.agent.unicorn;

/** Unicorn's {@code UC_HOOK_*} bits (unicorn.h 2.0.1), for the memory hooks that take a mask. */
public final class HookType {
    public static final int INTR = 1;
    public static final int INSN = 1 << 1;
    public static final int CODE = 1 << 2;
    public static final int BLOCK = 1 << 3;
    public static final int MEM_READ_UNMAPPED = 1 << 4;
    public static final int MEM_WRITE_UNMAPPED = 1 << 5;
    public static final int MEM_FETCH_UNMAPPED = 1 << 6;
    public static final int MEM_READ_PROT = 1 << 7;
    public static final int MEM_WRITE_PROT = 1 << 8;
    public static final int MEM_FETCH_PROT = 1 << 9;
    public static final int MEM_READ = 1 << 10;
    public static final int MEM_WRITE = 1 << 11;
    /** Accepted by {@code uc_hook_add}, but Unicorn 2.0.1 never calls it for a successful fetch. */
    public static final int MEM_FETCH = 1 << 12;
    /** A read, reported after it happened with the value read. */
    public static final int MEM_READ_AFTER = 1 << 13;
    public static final int INSN_INVALID = 1 << 14;

    public static final int MEM_UNMAPPED = MEM_READ_UNMAPPED | MEM_WRITE_UNMAPPED | MEM_FETCH_UNMAPPED;
    public static final int MEM_PROT = MEM_READ_PROT | MEM_WRITE_PROT | MEM_FETCH_PROT;
    public static final int MEM_READ_INVALID = MEM_READ_PROT | MEM_READ_UNMAPPED;
    public static final int MEM_WRITE_INVALID = MEM_WRITE_PROT | MEM_WRITE_UNMAPPED;
    public static final int MEM_FETCH_INVALID = MEM_FETCH_PROT | MEM_FETCH_UNMAPPED;
    public static final int MEM_INVALID = MEM_UNMAPPED | MEM_PROT;
    public static final int MEM_VALID = MEM_READ | MEM_WRITE | MEM_FETCH;

    private HookType() {
    }
}
