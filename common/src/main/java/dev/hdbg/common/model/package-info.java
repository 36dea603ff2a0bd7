/**
 * What the agent and the host say to each other, as typed values both sides share: the events and breakpoints the
 * agent holds, the target's state, symbols and modules, and the kinds of request (step modes, modifications,
 * attach modes). The agent's debugger returns these; the host's {@code DebuggerClient} hands the same types to its
 * callers. Each is translated to and from protobuf in exactly one codec of {@code dev.hdbg.common.wire}, so
 * protobuf stays at the edges of both sides.
 */
package dev.hdbg.common.model;
