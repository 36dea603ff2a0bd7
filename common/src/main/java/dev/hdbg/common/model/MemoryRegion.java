package dev.hdbg.common.model;

import java.util.Objects;

/**
 * A mapped range of guest memory, [begin, end), as {@code .status} shows it.
 *
 * @param permissions {@code rwx} style, {@code -} for a permission not granted
 * @param name        for people: the image, the stack, a file mapping
 */
public record MemoryRegion(long begin, long end, String permissions, String name) {
    public MemoryRegion {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(name, "name");
    }
}
