/**
 * GDB's Remote Serial Protocol in front of an hdbg target: gdb, IDA, Ghidra or radare2 connect to a port on the
 * analyst's machine, and {@link dev.hdbg.host.gdb.GdbBridge} carries what they ask to the agent through
 * {@link dev.hdbg.host.client.DebuggerClient}, so the agent keeps one protocol. Packet framing and checksums
 * ({@link dev.hdbg.host.gdb.Packets}, {@link dev.hdbg.host.gdb.PacketReader}), the amd64 register file
 * ({@link dev.hdbg.host.gdb.TargetDescription}), one session's dispatcher by command
 * ({@link dev.hdbg.host.gdb.GdbSession}); {@code monitor} reaches hdbg's own commands through
 * {@link dev.hdbg.host.gdb.Monitor}, which the command line implements (this package never sees it).
 */
package dev.hdbg.host.gdb;
