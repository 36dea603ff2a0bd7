package dev.hdbg.common.model;

/** A section of a {@link LoadedModule}, with its flags as {@code lm} shows them. */
public record Section(String name, long address, long size, String flags) {
}
