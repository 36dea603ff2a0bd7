/**
 * A thin, typed binding over Capstone 4 ({@code libcapstone.so.4}) for x86-64 in Intel syntax, through the
 * Foreign Function &amp; Memory API: {@link dev.hdbg.common.disasm.Disassembler} decodes bytes into
 * {@link dev.hdbg.common.disasm.Instruction}s. The downcalls and {@code struct cs_insn}'s layout live in one
 * package-private class; a {@code cs_err} becomes a {@link dev.hdbg.common.disasm.CapstoneException} carrying
 * {@code cs_strerror}'s text. No debugger logic lives here. In {@code common} because both sides decode: the host
 * shows instructions ({@code u}), the agent measures them for scripts ({@code disassemble_len}).
 */
package dev.hdbg.common.disasm;
