package dev.hdbg.agent.server;

import dev.hdbg.agent.debugger.DebuggerException;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ErrorReply;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one error funnel: every failure a request meets becomes an {@link ErrorReply} here. */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    static ErrorReply toReply(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return switch (cause) {
            case DebuggerException e -> reply(code(e.kind()), e.getMessage());
            case WireFormatException e -> reply(ErrorCode.ERROR_CODE_INVALID_ARGUMENT, e.getMessage());
            case IllegalArgumentException e -> reply(ErrorCode.ERROR_CODE_INVALID_ARGUMENT, e.getMessage());
            default -> {
                LOG.error("request failed unexpectedly", cause);
                yield reply(ErrorCode.ERROR_CODE_INTERNAL, "internal error in the agent: " + cause
                        + " (the agent goes on; see its log)");
            }
        };
    }

    static ErrorReply reply(ErrorCode code, String message) {
        return ErrorReply.newBuilder().setCode(code).setMessage(message == null ? "" : message).build();
    }

    private static ErrorCode code(DebuggerException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> ErrorCode.ERROR_CODE_INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.ERROR_CODE_NOT_FOUND;
            case BAD_STATE -> ErrorCode.ERROR_CODE_BAD_STATE;
            case UNMAPPED_ADDRESS -> ErrorCode.ERROR_CODE_UNMAPPED_ADDRESS;
            case LIMIT_EXCEEDED -> ErrorCode.ERROR_CODE_LIMIT_EXCEEDED;
            case INTERNAL -> ErrorCode.ERROR_CODE_INTERNAL;
        };
    }
}
