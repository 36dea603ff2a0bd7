package dev.hdbg.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.proto.v1.Envelope;
import dev.hdbg.proto.v1.ErrorCode;
import dev.hdbg.proto.v1.ErrorReply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What every connection to the agent shows, whatever the host sent: nothing escapes the agent's
 * handlers; the agent writes only well-formed frames of replies and records; every error is typed
 * and says something; and either each request it received got exactly one reply of the kind asked
 * for, or the agent closed the connection after an error saying why.
 */
final class WireAssertions {
    /** The errors after which the agent closes the connection. */
    static final Set<ErrorCode> CLOSING = EnumSet.of(ErrorCode.ERROR_CODE_MALFORMED, ErrorCode.ERROR_CODE_VERSION_MISMATCH,
            ErrorCode.ERROR_CODE_UNAUTHENTICATED, ErrorCode.ERROR_CODE_BUSY);

    private WireAssertions() {
    }

    /**
     * Checks {@code connection} once the agent is quiet ({@link InProcessAgent#awaitQuiet}).
     *
     * @return the replies the host received (records left out)
     */
    static List<Envelope> assertWellBehaved(InProcessAgent.Connection connection) {
        assertThat(connection.probe().escaped()).as("what escaped the agent's handlers").isEmpty();
        List<Envelope> frames = connection.host().frames(true);
        List<Envelope> replies = new ArrayList<>();
        for (Envelope frame : frames) {
            if (frame.hasRecordBatch()) {
                assertThat(frame.getRequestId()).as("request id of a record batch").isZero();
                continue;
            }
            assertThat(isReply(frame.getBodyCase())).as("the agent wrote a %s, not a reply", frame.getBodyCase()).isTrue();
            if (frame.hasErrorReply()) {
                assertClear(frame.getErrorReply());
            }
            replies.add(frame);
        }
        List<PipelineProbe.Request> owed = connection.probe().requests().stream()
                .filter(PipelineProbe.Request::owedReply).toList();
        if (connection.probe().closed() && replies.isEmpty() && connection.host().openedLikeTls()) {
            return replies; // taken for a TLS host, which gets a close (and the agent's log line), not a frame
        }
        if (connection.probe().closed()) {
            // A close is explained: by an error that ends the connection, by any refusal of a Hello (the handshake
            // failed: an unknown attach mode is INVALID_ARGUMENT, and closes), or by the reply to the host's Detach.
            List<Long> hellos = connection.probe().requests().stream()
                    .filter(q -> q.body() == Envelope.BodyCase.HELLO_REQUEST).map(PipelineProbe.Request::id).toList();
            assertThat(replies).as("replies before the agent closed the connection")
                    .anyMatch(e -> e.hasErrorReply() && (CLOSING.contains(e.getErrorReply().getCode())
                            || hellos.contains(e.getRequestId())) || e.hasDetachReply());
            for (Envelope reply : replies) {
                assertThat(reply.getRequestId() == 0 || owed.stream().anyMatch(q -> q.id() == reply.getRequestId()))
                        .as("reply %s answers a request the agent received", reply).isTrue();
            }
        } else {
            assertOneReplyEach(owed, replies);
        }
        return replies;
    }

    /** Each request got one reply with its id, either an error or the reply of its kind. */
    static void assertOneReplyEach(List<PipelineProbe.Request> owed, List<Envelope> replies) {
        List<PipelineProbe.Request> unanswered = new ArrayList<>(owed);
        // Replies of a kind first, errors after: an error fits any request, so when a host reuses an id, an error
        // written before the other reply (a Hello's waits for the status) must not take that reply's request.
        List<Envelope> kindsFirst = new ArrayList<>(replies.stream().filter(e -> !e.hasErrorReply()).toList());
        kindsFirst.addAll(replies.stream().filter(Envelope::hasErrorReply).toList());
        for (Envelope reply : kindsFirst) {
            PipelineProbe.Request answered = unanswered.stream()
                    .filter(q -> q.id() == reply.getRequestId() && fits(q.body(), reply)).findFirst()
                    .orElseThrow(() -> new AssertionError("reply " + reply + " answers none of the requests still owed one: "
                            + unanswered));
            unanswered.remove(answered);
        }
        assertThat(unanswered).as("requests that got no reply").isEmpty();
    }

    /** An error reply, or the reply to this kind of request ({@code X_REQUEST} -> {@code X_REPLY}). */
    static boolean fits(Envelope.BodyCase request, Envelope reply) {
        return reply.hasErrorReply() || reply.getBodyCase().name().equals(request.name().replace("_REQUEST", "_REPLY"));
    }

    /** A typed error with a message; an internal error means an exception the agent did not expect. */
    static void assertClear(ErrorReply error) {
        assertThat(error.getCode()).as("code of %s", error)
                .isNotIn(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.ERROR_CODE_INTERNAL, ErrorCode.UNRECOGNIZED);
        assertThat(error.getMessage()).as("message of %s", error).isNotBlank();
    }

    private static boolean isReply(Envelope.BodyCase body) {
        return body.name().endsWith("_REPLY");
    }
}
