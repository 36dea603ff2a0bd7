/**
 * A thin, typed binding over Capstone 4 ({@code libcapstone.so.4}) for x86-64 in Intel syntax, through the
 * Foreign Function &amp; Memory API: {@link dev.hdbg.host.disasm.Disassembler} decodes bytes into
 * {@link dev.hdbg.host.disasm.Instruction}s. The downcalls and {@code struct cs_insn}'s layout live in one
 * package-private class; a {@code cs_err} becomes a {@link dev.hdbg.host.disasm.CapstoneException} carrying
 * {@code cs_strerror}'s text. No debugger logic lives here.
 */
package dev.hdbg.host.disasm;
