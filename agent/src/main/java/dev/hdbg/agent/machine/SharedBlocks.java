package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The host memory blocks that more than one process's address space holds, and by how many: a fork gives the child the
 * parent's read-only mappings themselves ({@link GuestMemory#copy}), so that the code translated from them stays valid
 * for both. A block not counted here has one holder. Not thread-safe; owned by {@link GuestMemory}.
 */
final class SharedBlocks {
    /** Holders of each shared block (two or more), by the block's host range. */
    private final Map<Block, Integer> holders = new HashMap<>();
    /** The blocks that are the program's shared memory ({@link #markWritable}). */
    private final Set<Block> writable = new HashSet<>();
    /** The blocks the image cache holds ({@link ImageBlocks}): one of their holders is no process. */
    private final Set<Block> cached = new HashSet<>();

    /** A block's host range: a slice starts where its block does ({@link GuestMapping}). */
    private record Block(long address, long size) {
        static Block of(MemorySegment memory) {
            return new Block(memory.address(), memory.byteSize());
        }

        // A record's own equals and hashCode go through method-handle chains (ObjectMethods), slow in the interpreter;
        // every write of guest memory from a system call looks its block up, 3 % of a program's first hundreds of
        // calls (docs/benchmarks.md, "A system call's first hundreds, stop 44").
        @Override
        public boolean equals(Object other) {
            return other instanceof Block b && b.address == address && b.size == size;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + Long.hashCode(size);
        }
    }

    /** One more space holds {@code block}. */
    void share(MemorySegment block) {
        holders.merge(Block.of(block), 2, (had, one) -> had + 1);
    }

    /** Whether another space holds {@code block} too, so that no space may write it in place. */
    boolean isShared(MemorySegment block) {
        return holders.containsKey(Block.of(block));
    }

    /**
     * One holder lets {@code block} go.
     *
     * @return true when it was the last, and the block's memory may be freed
     */
    boolean release(MemorySegment block) {
        Block key = Block.of(block);
        Integer had = holders.get(key);
        if (had == null) {
            writable.remove(key); // the host may give its range to another block
            return true;
        }
        if (had == 2) {
            holders.remove(key);
        } else {
            holders.put(key, had - 1);
        }
        return false;
    }

    /**
     * {@code block} is the program's shared memory ({@code MAP_SHARED}): a fork shares it even though it is writable,
     * and a write through any holder reaches them all, where other blocks are copied before a write.
     */
    void markWritable(MemorySegment block) {
        writable.add(Block.of(block));
    }

    /** Whether {@code block} is the program's shared memory ({@link #markWritable}). */
    boolean isWritable(MemorySegment block) {
        return writable.contains(Block.of(block));
    }

    /** The image cache holds {@code block} from now on ({@code true}) or lets it go ({@code false}). */
    void markCached(MemorySegment block, boolean held) {
        if (held) {
            cached.add(Block.of(block));
        } else {
            cached.remove(Block.of(block));
        }
    }

    /**
     * Whether another process's space holds {@code block} too, beside the image cache: what root code must not write
     * through (it would reach that process); a block only the cache holds besides its process is that process's to
     * patch, and the cache compares its bytes before it gives the block to the next load.
     */
    boolean isSharedByProcesses(MemorySegment block) {
        Integer had = holders.get(Block.of(block));
        return had != null && had - (cached.contains(Block.of(block)) ? 1 : 0) >= 2;
    }

    /** Whether {@code block} is held by more than one space and copied before a write (not {@link #markWritable}). */
    boolean isCopyOnWrite(MemorySegment block) {
        return isShared(block) && !isWritable(block);
    }

    /** How many blocks are shared (for tests and counters). */
    int count() {
        return holders.size();
    }
}
