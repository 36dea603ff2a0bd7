package dev.hdbg.host.client;

import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ErrorReply;
import java.util.Locale;

/** The agent refused a request or the connection failed; {@link #kind} says which way. */
public final class AgentError extends RuntimeException {
    /** The agent's error codes, mapped back in one place. */
    public enum Kind {
        VERSION_MISMATCH, UNAUTHENTICATED, HANDSHAKE_REQUIRED, INVALID_ARGUMENT, NOT_FOUND, BAD_STATE,
        UNMAPPED_ADDRESS, MALFORMED, BUSY, LIMIT_EXCEEDED, INTERNAL, READ_ONLY, TAKEN_OVER, CONNECTION, TIMEOUT,
        /** The agent's certificate is not the pinned or recorded one (or trust could not be decided). */
        UNTRUSTED_AGENT,
        /** TLS failed: the agent does not speak it, or refused this host's certificate (or its lack of one). */
        TLS;

        static Kind of(ErrorCode code) {
            return switch (code) {
                case ERROR_CODE_VERSION_MISMATCH -> VERSION_MISMATCH;
                case ERROR_CODE_UNAUTHENTICATED -> UNAUTHENTICATED;
                case ERROR_CODE_HANDSHAKE_REQUIRED -> HANDSHAKE_REQUIRED;
                case ERROR_CODE_INVALID_ARGUMENT -> INVALID_ARGUMENT;
                case ERROR_CODE_NOT_FOUND -> NOT_FOUND;
                case ERROR_CODE_BAD_STATE -> BAD_STATE;
                case ERROR_CODE_UNMAPPED_ADDRESS -> UNMAPPED_ADDRESS;
                case ERROR_CODE_MALFORMED -> MALFORMED;
                case ERROR_CODE_BUSY -> BUSY;
                case ERROR_CODE_LIMIT_EXCEEDED -> LIMIT_EXCEEDED;
                case ERROR_CODE_READ_ONLY -> READ_ONLY;
                case ERROR_CODE_TAKEN_OVER -> TAKEN_OVER;
                case ERROR_CODE_INTERNAL, ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> INTERNAL;
            };
        }
    }

    private final Kind kind;

    public AgentError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The agent's error reply; one without a message (no hdbg agent sends one) still says what happened. */
    static AgentError of(ErrorReply reply) {
        Kind kind = Kind.of(reply.getCode());
        String message = reply.getMessage().isBlank()
                ? "the agent refused the request (" + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + ") without saying why"
                : reply.getMessage();
        return new AgentError(kind, message);
    }
}
