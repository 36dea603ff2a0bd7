/**
 * HyperDbg's script language, up to a checked syntax tree: the part the host and the agent share.
 *
 * <p>The host parses and checks a script before it sends anything, so that a user sees a compiler's error with a
 * caret under the offending token; the agent parses and checks the same text again before it compiles it, because
 * the agent trusts no host. {@link dev.hdbg.common.script.ScriptChecker} is the entry point for both; it returns a
 * {@link dev.hdbg.common.script.CheckedScript} (a tree of sealed records in which every name is resolved) or throws
 * {@link dev.hdbg.common.script.ScriptException} with every error it found.
 *
 * <p>The catalogues the language is made of live here once: {@link dev.hdbg.common.script.ScriptRegister} (every
 * register form, as a bit field of a base register), {@link dev.hdbg.common.script.PseudoRegister} and
 * {@link dev.hdbg.common.script.BuiltinFunction}. docs/scripts.md describes the language as hdbg implements it and
 * every difference from HyperDbg.
 */
package dev.hdbg.common.script;
