package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The target's mapped regions as the agent's status names them, for the commands that must know
 * where memory ends ({@code s}), which memory is stack ({@code k}) or what a value points into
 * ({@code dqs}).
 */
final class GuestMemoryMap {
    /** The region the agent's raw loader maps below the image's stack top. */
    static final String STACK = "stack";
    static final String IMAGE = "image";
    private static final long PAGE = 0x1000;

    private final List<MemoryRegion> regions;
    private final String target;

    private GuestMemoryMap(List<MemoryRegion> regions, String target) {
        this.regions = regions.stream().sorted(Comparator.comparing(MemoryRegion::begin, Long::compareUnsigned)).toList();
        this.target = target;
    }

    static GuestMemoryMap of(DebugSession session) {
        AgentStatus status = session.await(session.client().status());
        return new GuestMemoryMap(status.regions(), status.target());
    }

    /** The first address of [from, from + length) that no region maps, if any; the range must not wrap. */
    OptionalLong firstUnmapped(long from, long length) {
        long at = from;
        long end = from + length;
        while (Long.compareUnsigned(at, end) < 0) {
            Optional<MemoryRegion> region = regionOf(at);
            if (region.isEmpty()) {
                return OptionalLong.of(at);
            }
            at = region.get().end();
        }
        return OptionalLong.empty();
    }

    /** {@code "stack"} or {@code "image"} when {@code address} lies in the stack or the loaded image. */
    Optional<String> kindOf(long address) {
        return regionOf(address).flatMap(r -> {
            if (r.name().equals(STACK)) {
                return Optional.of(STACK);
            }
            // The agent names the image's region as its target text begins: "sample demo at 0x400000 (...)".
            return target.startsWith(r.name() + " ") ? Optional.of(IMAGE) : Optional.empty();
        });
    }

    /** Whether [address, address + length) lies in the stack region, or in any region when there is none. */
    boolean inStack(long address, long length) {
        boolean hasStack = regions.stream().anyMatch(r -> r.name().equals(STACK));
        Optional<MemoryRegion> region = regionOf(address);
        return region.isPresent() && (!hasStack || region.get().name().equals(STACK))
                && Long.compareUnsigned(address + length, region.get().end()) <= 0 && Long.compareUnsigned(address + length, address) > 0;
    }

    /** "0x400000-0x411000 sample demo, ..." for error messages. */
    String describe() {
        return regions.stream().map(r -> "0x" + Long.toHexString(r.begin()) + "-0x" + Long.toHexString(r.end()) + " " + r.name())
                .collect(Collectors.joining(", "));
    }

    private Optional<MemoryRegion> regionOf(long address) {
        return regions.stream().filter(r -> Long.compareUnsigned(address, r.begin()) >= 0
                && Long.compareUnsigned(address, r.end()) < 0).findFirst();
    }

    /**
     * Reads up to {@code wanted} bytes at {@code address}: when the range runs into unmapped memory,
     * reads up to the last page boundary before it instead, down to the end of the first page.
     *
     * @throws AgentError UNMAPPED_ADDRESS when {@code address} itself is unmapped
     */
    static byte[] readUpTo(DebugSession session, long address, long wanted) {
        long end = address + wanted;
        if (Long.compareUnsigned(end, address) < 0) {
            end = 0; // the top of the address space
        }
        while (true) {
            try {
                return session.await(session.client().readMemory(address, (int) (end - address)));
            } catch (AgentError e) {
                long shorter = (end - 1) & -PAGE;
                if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS || Long.compareUnsigned(shorter, address) <= 0) {
                    throw e;
                }
                end = shorter;
            }
        }
    }

    static long littleEndian(byte[] data, int offset, int unit) {
        long value = 0;
        for (int b = unit - 1; b >= 0; b--) {
            value = (value << 8) | (data[offset + b] & 0xff);
        }
        return value;
    }
}
