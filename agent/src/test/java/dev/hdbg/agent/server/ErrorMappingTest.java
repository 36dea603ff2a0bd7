package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.debugger.DebuggerException;
import dev.hdbg.common.wire.WireFormatException;
import dev.hdbg.proto.v1.ErrorCode;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one error funnel: every kind of debugger failure has its own error code, of the same name. */
class ErrorMappingTest {
    @Test
    void everyKindOfDebuggerExceptionBecomesTheErrorCodeOfItsName() {
        for (DebuggerException.Kind kind : DebuggerException.Kind.values()) {
            var reply = ErrorMapping.toReply(new DebuggerException(kind, "what to do next"));
            assertThat(reply.getCode()).as("%s", kind).isEqualTo(ErrorCode.valueOf("ERROR_CODE_" + kind.name()));
            assertThat(reply.getMessage()).isEqualTo("what to do next");
        }
    }

    @Test
    void malformedRequestsAreInvalidArgumentsAndCompletionWrappersAreLookedThrough() {
        assertThat(ErrorMapping.toReply(new CompletionException(new WireFormatException("name an event id, or all"))))
                .isEqualTo(ErrorMapping.reply(ErrorCode.ERROR_CODE_INVALID_ARGUMENT, "name an event id, or all"));
        assertThat(ErrorMapping.toReply(new IllegalStateException("bug")).getCode()).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
    }
}
