package dev.hdbg.agent.machine;

/** A mapped range of guest memory, [begin, end), with its permissions and a name for people. */
public record MemoryRegionInfo(long begin, long end, int perms, String name) {
    public boolean contains(long address) {
        return Long.compareUnsigned(address, begin) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    /** {@code rwx} style. */
    public String permissionString() {
        return ((perms & 1) != 0 ? "r" : "-") + ((perms & 2) != 0 ? "w" : "-") + ((perms & 4) != 0 ? "x" : "-");
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(begin) + "-0x" + Long.toHexString(end) + " " + permissionString() + " " + name;
    }
}
