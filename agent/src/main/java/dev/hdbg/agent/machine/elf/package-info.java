/**
 * Loading static Linux x86-64 ELF executables the way the kernel's {@code binfmt_elf} does:
 * {@link dev.hdbg.agent.machine.elf.ElfParser} reads and validates the file into an
 * {@link dev.hdbg.agent.machine.elf.ElfImage}, {@link dev.hdbg.agent.machine.elf.ElfLoader} maps its
 * {@code PT_LOAD} segments, builds the initial process stack ({@code argc}, {@code argv}, {@code envp}, the
 * auxiliary vector of {@link dev.hdbg.agent.machine.elf.Auxv}) and enters user mode at the entry, and
 * {@link dev.hdbg.agent.machine.elf.Symbols} names addresses for people ({@code main+0x12}).
 *
 * <p>Only static executables ({@code gcc -static}, {@code gcc -static-pie}) are accepted: the guest has no
 * dynamic loader and no file system to find one in. Nothing here executes guest code other than the single
 * {@code iretq} of {@link dev.hdbg.agent.machine.UserMode}; system calls belong to another layer.
 */
package dev.hdbg.agent.machine.elf;
