package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.HelloRequest;
import dev.hdbg.proto.v1.RecordBatch;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestRoutesTest {
    /** Served by the pieces around the table: the keep-alive, the dispatcher itself. */
    private static final Set<Envelope.BodyCase> AROUND_THE_TABLE = EnumSet.of(Envelope.BodyCase.PING_REQUEST,
            Envelope.BodyCase.DETACH_REQUEST);

    @Test
    void everyRequestOfTheProtocolHasAHandler() {
        // Building the table asks nothing of the debugger: the handlers only keep it.
        RequestRoutes routes = RequestRoutes.of((dev.hdbg.agent.debugger.Debugger) null);
        for (Envelope.BodyCase body : Arrays.stream(Envelope.BodyCase.values())
                .filter(b -> b.name().endsWith("_REQUEST") && !AROUND_THE_TABLE.contains(b)).toList()) {
            assertThat(routes.serves(body)).as("a handler for %s", body).isTrue();
        }
    }

    @Test
    void aSecondHelloAndWhatIsNoRequestAreAnsweredByTheTable() throws Exception {
        RequestRoutes routes = RequestRoutes.of((dev.hdbg.agent.debugger.Debugger) null);

        Envelope.Builder hello = routes.route(Envelope.newBuilder().setHelloRequest(HelloRequest.getDefaultInstance())
                .build()).get();
        assertThat(hello.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_BAD_STATE);
        assertThat(hello.getErrorReply().getMessage()).isEqualTo("already said hello");

        Envelope.Builder batch = routes.route(Envelope.newBuilder().setRecordBatch(RecordBatch.getDefaultInstance())
                .build()).get();
        assertThat(batch.getErrorReply().getCode()).isEqualTo(ErrorCode.ERROR_CODE_MALFORMED);
        assertThat(batch.getErrorReply().getMessage()).isEqualTo("not a request this agent serves: RECORD_BATCH");
    }
}
