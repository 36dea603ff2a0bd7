package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link SyscallCatch#configure}: gdb's {@code QCatchSyscalls} arguments, the well-formed and the rest. */
class SyscallCatchTest {
    private final SyscallCatch catches = new SyscallCatch(null, null);

    @Test
    void catchingNoneSomeOrEveryCallIsAccepted() {
        assertThat(catches.configure("1")).as("every call").isTrue();
        assertThat(catches.configure("1;1;3c;e7")).as("write, exit and exit_group").isTrue();
        assertThat(catches.configure("0")).as("none").isTrue();
    }

    @Test
    void malformedArgumentsAreRefused() {
        assertThat(catches.configure("2")).isFalse();
        assertThat(catches.configure("")).isFalse();
        assertThat(catches.configure("1;zz")).isFalse();
        assertThat(catches.configure("0;1")).isFalse();
        assertThat(catches.configure("1;-1")).isFalse();
    }
}
