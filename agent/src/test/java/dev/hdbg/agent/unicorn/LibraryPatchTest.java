package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LibraryPatchTest {
    private final AtomicInteger applied = new AtomicInteger();

    private LibraryPatch patch(Optional<String> refusal) {
        return new LibraryPatch("the test patch", "--no-test-patch", "patched", () -> {
            applied.incrementAndGet();
            return refusal;
        });
    }

    @Test
    void isDecidedOnceAndThenCannotBeTurnedOff() {
        LibraryPatch patch = patch(Optional.empty());
        patch.decide();
        patch.decide();

        assertThat(applied).hasValue(1);
        assertThat(patch.status()).isEqualTo(new LibraryPatch.Status(LibraryPatch.State.ON, "patched"));
        assertThatThrownBy(patch::turnOff).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the test patch is already on");
    }

    @Test
    void turnedOffFirstIsNeverApplied() {
        LibraryPatch patch = patch(Optional.empty());
        patch.turnOff();
        patch.decide();

        assertThat(applied).hasValue(0);
        assertThat(patch.status()).isEqualTo(new LibraryPatch.Status(LibraryPatch.State.OFF,
                "turned off (--no-test-patch)"));
        assertThat(patch.on()).isFalse();
    }

    @Test
    void aMismatchOrAFailureRefusesWithTheReason() {
        LibraryPatch mismatched = patch(Optional.of("tlb_init_x86_64 differs"));
        mismatched.decide();
        assertThat(mismatched.status()).isEqualTo(new LibraryPatch.Status(LibraryPatch.State.REFUSED,
                "tlb_init_x86_64 differs"));

        LibraryPatch failing = new LibraryPatch("the test patch", "--no-test-patch", "patched", () -> {
            throw new IllegalStateException("mprotect refused");
        });
        failing.decide();
        assertThat(failing.status().state()).isEqualTo(LibraryPatch.State.REFUSED);
        assertThat(failing.status().detail()).contains("mprotect refused");
        failing.turnOff(); // refused stays refused: nothing was written
        assertThat(failing.status().state()).isEqualTo(LibraryPatch.State.REFUSED);
    }
}
