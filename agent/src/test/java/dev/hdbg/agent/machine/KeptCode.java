package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Unicorn;
import java.util.Arrays;

/** What the tests of code kept on the engine across switches and execs share ({@link CodeKeeping}). */
final class KeptCode {
    private KeptCode() {
    }

    /** Contexts, idle code and the image cache work only with the library whose code the agent checked. */
    static void requireVerifiedLibrary() {
        assertThat(Unicorn.translationContextsRefused()).as("Debian's libunicorn 2.0.1").isEmpty();
    }

    /** A page of code that puts {@code value} in EAX and halts ({@link MovEaxCode}). */
    static byte[] page(int value) {
        return Arrays.copyOf(MovEaxCode.movEaxHlt(value), (int) GuestMemory.PAGE);
    }

    /** The process on the CPU forks, and the child execs: the parent's space is returned. */
    static AddressSpace forkAndExec(GuestMemory memory) {
        AddressSpace parent = memory.switchTo(memory.copy());
        memory.release(memory.detach());
        return parent;
    }
}
