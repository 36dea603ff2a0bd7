package dev.hdbg.agent.unicorn;

/** Unicorn's {@code UC_HOOK_*} bits, for the memory hooks that take a mask. */
public final class HookType {
    public static final int INTR = 1;
    public static final int INSN = 2;
    public static final int CODE = 4;
    public static final int BLOCK = 8;
    public static final int MEM_READ_UNMAPPED = 16;
    public static final int MEM_WRITE_UNMAPPED = 32;
    public static final int MEM_FETCH_UNMAPPED = 64;
    public static final int MEM_READ_PROT = 128;
    public static final int MEM_WRITE_PROT = 256;
    public static final int MEM_FETCH_PROT = 512;
    public static final int MEM_READ = 1024;
    public static final int MEM_WRITE = 2048;
    public static final int MEM_FETCH = 4096;
    public static final int INSN_INVALID = 16384;
    public static final int MEM_UNMAPPED = MEM_READ_UNMAPPED | MEM_WRITE_UNMAPPED | MEM_FETCH_UNMAPPED;
    public static final int MEM_PROT = MEM_READ_PROT | MEM_WRITE_PROT | MEM_FETCH_PROT;

    private HookType() {
    }
}
