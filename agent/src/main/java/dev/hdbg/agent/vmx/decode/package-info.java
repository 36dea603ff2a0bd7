/**
 * Decodes the privileged instruction the guest faulted on, so the agent can treat it as a VM exit and emulate it:
 * {@link dev.hdbg.agent.vmx.decode.PrivilegedInstructionDecoder} turns the bytes at RIP into a
 * {@link dev.hdbg.agent.vmx.decode.PrivilegedInstruction}, or into nothing when the fault is a real one.
 *
 * <p>The guest runs at CPL 3, so RDMSR, MOV to CR3, HLT and the like raise #GP or #UD with RIP at the
 * instruction; the decoder says which instruction it was, which registers it names and how long it is, so the
 * caller can advance RIP past it. It decodes 64-bit-mode code only (0x40-0x4F are REX prefixes, not INC/DEC), and
 * knows nothing of the emulator or the debugger: it is pure Java over a byte array.
 *
 * <p>{@link dev.hdbg.agent.vmx.decode.MemoryAccesses} says which memory an instruction Capstone decoded reads and
 * writes with given register values, so that a memory fault can be traced to its instruction.
 */
package dev.hdbg.agent.vmx.decode;
