/**
 * The script engine's back end: a checked script ({@link dev.hdbg.common.script.CheckedScript}) compiled to JVM
 * bytecode, one hidden class per script, so that a hot script runs at JIT speed with no interpreter, no boxing and no
 * allocation per operation.
 *
 * <p>{@link dev.hdbg.agent.script.ScriptCompiler} compiles; {@link dev.hdbg.agent.script.CompiledScript#run} runs one
 * trigger against a {@link dev.hdbg.agent.script.ScriptHost}, the debugger's side of the contract (registers, memory,
 * pseudo-registers, events, output). Global variables live in a {@link dev.hdbg.agent.script.ScriptGlobals} table
 * shared by every script of a machine; a script's own locals live in the compiled script, one set per core. A run
 * that divides by zero, faults on memory or exceeds its {@link dev.hdbg.agent.script.RunLimits} stops with a
 * {@link dev.hdbg.agent.script.ScriptRunException} naming the script's line; the guest is not touched by the error.
 */
package dev.hdbg.agent.script;
