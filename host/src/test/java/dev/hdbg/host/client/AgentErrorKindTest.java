package dev.hdbg.host.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ErrorReply;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The agent's error codes, mapped back in one place: each to the kind of its name, none forgotten. */
class AgentErrorKindTest {
    @Test
    void everyErrorCodeBecomesTheKindOfItsName() {
        for (ErrorCode code : Arrays.stream(ErrorCode.values())
                .filter(c -> c != ErrorCode.ERROR_CODE_UNSPECIFIED && c != ErrorCode.UNRECOGNIZED).toList()) {
            AgentError error = AgentError.of(ErrorReply.newBuilder().setCode(code).setMessage("why").build());
            assertThat(error.kind().name()).as("%s", code).isEqualTo(code.name().substring("ERROR_CODE_".length()));
            assertThat(error.getMessage()).isEqualTo("why");
        }
    }

    @Test
    void aCodeThisHostDoesNotKnowIsAnInternalErrorThatStillSaysWhatHappened() {
        AgentError error = AgentError.of(ErrorReply.newBuilder().setCodeValue(99).build());

        assertThat(error.kind()).isEqualTo(AgentError.Kind.INTERNAL);
        assertThat(error.getMessage()).isEqualTo("the agent refused the request (internal) without saying why");
    }
}
