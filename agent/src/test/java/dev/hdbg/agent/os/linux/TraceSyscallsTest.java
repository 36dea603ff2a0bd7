package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ptrace as a traced program sees it ({@link TraceSyscalls}): PTRACE_TRACEME once, then EPERM, with the tracer in
 * TracerPid; the tracer's side refused (EPERM with a notice for an attach, ESRCH for the rest, as for a process that is
 * not a stopped tracee of the caller's).
 */
class TraceSyscallsTest {
    private static final int PTRACE = 101;
    private static final int PTRACE_PEEKDATA = 2;
    private static final int PTRACE_CONT = 7;
    private static final int PTRACE_ATTACH = 16;
    private static final int PTRACE_SEIZE = 0x4206;

    @TempDir
    Path root;

    @Test
    void tracemeSucceedsOnceAndNamesTheParentAsTracer() {
        try (Guest g = new Guest(root, false)) {
            assertThat(g.readFile("/proc/self/status")).contains("TracerPid:\t0\n");
            assertThat(g.rax(PTRACE, TraceSyscalls.PTRACE_TRACEME, 0, 0, 0)).isZero();
            assertThat(g.rax(PTRACE, TraceSyscalls.PTRACE_TRACEME, 0, 0, 0)).as("already traced").isEqualTo(-Errno.EPERM);
            assertThat(g.readFile("/proc/self/status")).contains("TracerPid:\t" + g.rax(110) + "\n"); // getppid
            assertThat(g.spawn(57)).as("fork").isEqualTo(4243);
            assertThat(g.process.table().get(4243).orElseThrow().controls().tracer).as("a fork is not traced").isZero();
            assertThat(g.notices).isEmpty();
        }
    }

    @Test
    void theTracersSideIsRefusedAsLinuxRefusesAProcessThatIsNoStoppedTracee() {
        try (Guest g = new Guest(root, false)) {
            long child = g.spawn(57);
            assertThat(g.rax(PTRACE, PTRACE_CONT, child, 0, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_PEEKDATA, child, 0x400000, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_PEEKDATA, 999_999, 0, 0)).as("no such process").isEqualTo(-Errno.ESRCH);
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, 999_999, 0, 0)).isEqualTo(-Errno.ESRCH);
            assertThat(g.notices).isEmpty();
            assertThat(g.rax(PTRACE, PTRACE_ATTACH, child, 0, 0)).isEqualTo(-Errno.EPERM);
            assertThat(g.rax(PTRACE, PTRACE_SEIZE, child, 0, 0)).isEqualTo(-Errno.EPERM);
            assertThat(g.notices).hasSize(2).first().asString()
                    .contains("asked to trace process " + child, "PTRACE_ATTACH", "not emulated", "EPERM");
        }
    }
}
