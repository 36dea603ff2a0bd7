package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The execution thread's mailbox: replies for every request, even when the thread is gone. */
class MailboxTest {
    private final Mailbox mailbox = new Mailbox();

    @Test
    void aRequestCompletesWithWhatItsTaskReturnsOrThrows() throws Exception {
        CompletableFuture<Integer> answered = mailbox.submit(() -> 42);
        CompletableFuture<Integer> refused = mailbox.submit(() -> {
            throw DebuggerException.invalid("no such thing");
        });
        mailbox.poll().run();
        mailbox.poll().run();
        assertThat(answered.get()).isEqualTo(42);
        assertThat(causeOf(refused)).isInstanceOf(DebuggerException.class).hasMessage("no such thing");
        assertThat(mailbox.isEmpty()).isTrue();
    }

    @Test
    void whileTheGuestWaitsOnlyTheReadsAtTheFrontAreServedSoNoReplyOvertakesAChange() throws Exception {
        CompletableFuture<Integer> read = mailbox.submitReading(() -> 1);
        CompletableFuture<Integer> write = mailbox.submit(() -> 2);
        CompletableFuture<Integer> readAfterTheWrite = mailbox.submitReading(() -> 3);

        mailbox.runReadingJobs();

        assertThat(read.get()).isEqualTo(1);
        assertThat(write).isNotDone();
        assertThat(readAfterTheWrite).isNotDone();
        mailbox.poll().run();
        mailbox.runReadingJobs();
        assertThat(write.get()).isEqualTo(2);
        assertThat(readAfterTheWrite.get()).isEqualTo(3);
        assertThat(mailbox.isEmpty()).isTrue();
    }

    @Test
    void aTaskThatOverflowsTheStackFailsAloneAndTheThreadGoesOn() throws Exception {
        CompletableFuture<Integer> deep = mailbox.submit(MailboxTest::recurse);
        mailbox.poll(1, TimeUnit.SECONDS).run();
        assertThat(causeOf(deep)).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void closingFailsWhatWaitsAndWhatComesLaterWithTheFirstReason() throws Exception {
        CompletableFuture<Integer> waiting = mailbox.submit(() -> 1);
        mailbox.close(new DebuggerException(DebuggerException.Kind.INTERNAL, "the execution thread failed"));
        mailbox.close(DebuggerException.badState("the agent is shutting down"));
        CompletableFuture<Integer> later = mailbox.submit(() -> 2);

        assertThat(causeOf(waiting)).hasMessage("the execution thread failed");
        assertThat(causeOf(later)).hasMessage("the execution thread failed");
        assertThat(mailbox.isEmpty()).isTrue();
        assertThat(mailbox.poll()).isNull();
    }

    private static Throwable causeOf(CompletableFuture<?> future) {
        assertThat(future).isDone();
        try {
            future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("completed normally: " + future.join());
    }

    private static int recurse() {
        return recurse() + 1;
    }
}
