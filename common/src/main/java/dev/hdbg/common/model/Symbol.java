package dev.hdbg.common.model;

/** A symbol of the target, for {@code x} and for addresses shown as {@code symbol+0xNN}; kind as the ELF symbol table says. */
public record Symbol(String name, long address, long size, String kind) {
}
