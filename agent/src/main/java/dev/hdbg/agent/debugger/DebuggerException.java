package dev.hdbg.agent.debugger;

/**
 * The one exception debugger operations throw for a request that cannot be served; the server
 * turns it into an {@code ErrorReply} with the matching code. Messages say what to do next.
 */
public final class DebuggerException extends RuntimeException {
    public enum Kind { INVALID_ARGUMENT, NOT_FOUND, BAD_STATE, UNMAPPED_ADDRESS, LIMIT_EXCEEDED, INTERNAL }

    private final Kind kind;

    public DebuggerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static DebuggerException invalid(String message) {
        return new DebuggerException(Kind.INVALID_ARGUMENT, message);
    }

    public static DebuggerException notFound(String message) {
        return new DebuggerException(Kind.NOT_FOUND, message);
    }

    public static DebuggerException badState(String message) {
        return new DebuggerException(Kind.BAD_STATE, message);
    }

    public static DebuggerException limit(String message) {
        return new DebuggerException(Kind.LIMIT_EXCEEDED, message);
    }
}
